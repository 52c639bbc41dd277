using System.CommandLine;
using System.Text;
using System.Text.Json;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Core.Curation;
using Plumbline.Core.Curation.Aggregation;
using Plumbline.Core.Curation.Pairwise;
using Plumbline.Core.Curation.Screening;
using Plumbline.Storage.Labels;
using static Plumbline.Cli.Commands.Labels.LabelOptions;

namespace Plumbline.Cli.Commands.Labels;

/// <summary><c>plumb labels import|assign|export</c>: campaigns in the store.</summary>
internal static class LabelsCampaignCommands
{
    public static Command Import()
    {
        var file = new Argument<FileInfo?>("FILE") { Description = "Labels as CSV (task,worker,label [,guideline] [,group]; with --pairwise worker,task,left,right,label [,guideline]); may be left out when only --gold is imported", Arity = ArgumentArity.ZeroOrOne };
        var campaign = new Option<string>("--campaign") { Description = "The campaign (created on first import)", Required = true };
        var pairwise = new Option<bool>("--pairwise") { Description = "The file holds pairwise comparisons" };
        var guideline = new Option<string[]>("--guideline") { Description = "A rater handbook version as VERSION=FILE.md (repeatable); stored and hashed. With one, labels without a guideline column are taken to be made under it", AllowMultipleArgumentsPerToken = false };
        var gold = new Option<FileInfo?>("--gold") { Description = "Known answers as CSV task,label" };
        var honeypot = new Option<bool>("--honeypot") { Description = "The --gold items are honeypots: checks mixed into raters' work, left out of exports" };
        var command = new Command("import", "Import labels into a campaign in the store (all or nothing)") { file, campaign, pairwise, guideline, gold, honeypot };
        return command.WithAction(async (context, ct) =>
        {
            if (context.Get(file) is null && context.Get(gold) is null)
            {
                throw PlumblineException.BadInput("give a FILE of labels, --gold, or both");
            }

            var name = context.Get(file)?.Name ?? "(no labels)";
            var isPairwise = context.Get(pairwise);
            IReadOnlyList<LabelRow>? labels = null;
            IReadOnlyList<PairwiseRow>? comparisons = null;
            if (context.Get(file) is { } labelFile)
            {
                var text = LabelInput.ReadText(labelFile, "FILE").Text;
                labels = isPairwise ? null : LabelCsv.ReadLabels(new StringReader(text), name);
                comparisons = isPairwise ? LabelCsv.ReadPairwise(new StringReader(text), name) : null;
            }
            if (labels is not null)
            {
                LabelSet.Create(labels, name);
            }

            var guidelines = new List<GuidelineFile>();
            foreach (var spec in context.Get(guideline) ?? [])
            {
                var cut = spec.IndexOf('=', StringComparison.Ordinal);
                if (cut <= 0 || cut == spec.Length - 1)
                {
                    throw PlumblineException.BadInput($"--guideline: '{spec}' is not VERSION=FILE.md");
                }

                var (content, _) = LabelInput.ReadText(new FileInfo(spec[(cut + 1)..]), $"--guideline {spec[..cut]}");
                guidelines.Add(new GuidelineFile(spec[..cut], content));
            }

            var goldRows = context.Get(gold) is { } goldFile ? LabelInput.ReadGold(goldFile, []) : null;
            var result = await new LabelCampaignService(context.Store, context.Time)
                .ImportAsync(context.Get(campaign), name, labels, comparisons, guidelines, goldRows, context.Get(honeypot), ct);
            if (context.Json)
            {
                context.WriteJson(new
                {
                    campaign = result.Campaign,
                    kind = result.Kind,
                    created = result.Created,
                    labels = result.Labels,
                    items = result.Items,
                    gold_items = result.GoldItems,
                    guidelines = result.Guidelines.Select(g => new { version = g.Version, sha256 = g.Sha256 }),
                });
                return ExitCodes.Success;
            }

            context.Say($"{(result.Created ? "Created" : "Added to")} campaign '{result.Campaign}' ({result.Kind}): {result.Labels} label(s); {result.Items} item(s), {result.GoldItems} with gold.");
            foreach (var g in result.Guidelines)
            {
                context.Say($"  guideline {g.Version}  sha256 {g.Sha256}");
            }

            return ExitCodes.Success;
        });
    }

    public static Command Assign()
    {
        var campaign = new Option<string>("--campaign") { Description = "The campaign (created if new)", Required = true };
        var workers = new Option<string>("--workers") { Description = "The raters, as a,b,c", Required = true };
        var overlap = new Option<int>("--overlap") { Description = "Distinct raters per item (default 3)", DefaultValueFactory = _ => 3 };
        var items = new Option<FileInfo?>("--items") { Description = "Items to add first, as CSV with a task column (and optionally group)" };
        var honeypots = new Option<int>("--honeypots") { Description = "Honeypot items mixed into each rater's share (default 0)", DefaultValueFactory = _ => 0 };
        var output = new Option<FileInfo?>("--out") { Description = "Write the new assignments as CSV task,worker,honeypot (default: print them)" };
        var seed = Seed();
        var command = new Command("assign", "Assign a campaign's items to raters with overlap, balancing load, and mix in honeypots") { campaign, workers, overlap, items, honeypots, output, seed };
        return command.WithAction(async (context, ct) =>
        {
            var newItems = new List<(string, string?)>();
            if (context.Get(items) is { } itemFile)
            {
                var (text, _) = LabelInput.ReadText(itemFile, "--items");
                newItems.AddRange(ReadItems(text, itemFile.Name));
            }

            var names = context.Get(workers).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var service = new LabelCampaignService(context.Store, context.Time);
            var added = await service.AssignAsync(context.Get(campaign), names, context.Get(overlap), context.Get(honeypots), context.Get(seed), newItems, ct);
            var pots = (await service.LoadAsync(context.Get(campaign), ct)).Honeypots;
            var csv = new StringBuilder("task,worker,honeypot\n");
            foreach (var a in added.OrderBy(a => a.Task, StringComparer.Ordinal).ThenBy(a => a.Worker, StringComparer.Ordinal))
            {
                csv.Append(Csv(a.Task)).Append(',').Append(Csv(a.Worker)).Append(',').Append(pots.Contains(a.Task) ? "true" : "false").Append('\n');
            }

            if (context.Get(output) is { } file)
            {
                await WriteAtomicallyAsync(file, csv.ToString(), ct);
            }

            if (context.Json)
            {
                context.WriteJson(new { campaign = context.Get(campaign), assignments = added.Select(a => new { task = a.Task, worker = a.Worker, honeypot = pots.Contains(a.Task) }) });
            }
            else if (context.Get(output) is { } written)
            {
                context.Say($"{added.Count} new assignment(s) written to {written.FullName}");
            }
            else
            {
                Console.Out.Write(csv.ToString());
            }

            return ExitCodes.Success;
        });
    }

    public static Command Export()
    {
        var campaign = new Option<string>("--campaign") { Description = "The campaign", Required = true };
        var method = new Option<string?>("--method") { Description = "Aggregation: mv, wawa, ds (default), glad, mace; pairwise campaigns use noisy Bradley–Terry rater reliabilities" };
        var dropFlagged = new Option<bool>("--drop-flagged") { Description = "Leave out the labels of raters flagged spammer or adversarial before aggregating" };
        var output = new Option<FileInfo>("--out") { Description = "The JSONL file to write", Required = true };
        var command = new Command("export", "Export a campaign's aggregated labels as JSONL for training (pairwise: chat-format preference pairs); honeypots are left out") { campaign, method, dropFlagged, output };
        return command.WithAction(async (context, ct) =>
        {
            var data = await new LabelCampaignService(context.Store, context.Time).LoadAsync(context.Get(campaign), ct);
            var lines = new StringBuilder();
            var dropped = new List<string>();
            var count = 0;
            if (data.Campaign.Kind == LabelCampaignService.Pairwise)
            {
                count = PreferencePairs(data, lines);
            }
            else
            {
                var rows = data.Labels;
                if (context.Get(dropFlagged))
                {
                    var all = LabelSet.Create(rows);
                    var flagged = RaterScreening.Screen(all, DawidSkene.Fit(all), data.Gold.Count > 0 ? data.Gold : null)
                        .Where(r => r.Flags.Contains("spammer") || r.Flags.Contains("adversarial")).Select(r => r.Worker).ToHashSet(StringComparer.Ordinal);
                    dropped.AddRange(flagged.Order(StringComparer.Ordinal));
                    rows = rows.Where(r => !flagged.Contains(r.Worker)).ToList();
                }

                var set = LabelSet.Create(rows);
                var result = Aggregator.Run(set, ParseMethod(context.Get(method) ?? "ds"));
                var guidelines = rows.GroupBy(r => r.Task).ToDictionary(g => g.Key, g => g.Select(r => r.Guideline).Where(v => v is not null).Distinct().Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
                for (var t = 0; t < set.Tasks.Count; t++)
                {
                    if (data.Honeypots.Contains(set.Tasks[t]))
                    {
                        continue;
                    }

                    lines.Append(JsonSerializer.Serialize(
                        new
                        {
                            task = set.Tasks[t],
                            label = set.Classes[result.Labels[t]],
                            probabilities = LabelsAggregateCommand.Probabilities(result, t),
                            method = result.Method,
                            labels = rows.Count(r => r.Task == set.Tasks[t]),
                            guidelines = guidelines[set.Tasks[t]],
                            gold = data.Gold.GetValueOrDefault(set.Tasks[t]),
                        },
                        CliContext.JsonOptions)).Append('\n');
                    count++;
                }
            }

            await WriteAtomicallyAsync(context.Get(output), lines.ToString(), ct);
            if (context.Json)
            {
                context.WriteJson(new { campaign = data.Campaign.Name, kind = data.Campaign.Kind, path = context.Get(output).FullName, examples = count, dropped_raters = dropped });
                return ExitCodes.Success;
            }

            context.Say($"Wrote {count} example(s) of campaign '{data.Campaign.Name}' to {context.Get(output).FullName}{(dropped.Count > 0 ? $" (left out raters: {string.Join(", ", dropped)})" : "")}.");
            return ExitCodes.Success;
        });
    }

    /// <summary>One chat-format preference pair per (task, pair of items): votes weighted by noisy Bradley–Terry reliability.</summary>
    private static int PreferencePairs(CampaignData data, StringBuilder lines)
    {
        var model = NoisyBradleyTerry.Fit(Comparisons.Create(data.Comparisons));
        var reliability = model.Workers.Select((w, i) => (w, model.Skill![i])).ToDictionary(p => p.w, p => p.Item2, StringComparer.Ordinal);
        var count = 0;
        foreach (var group in data.Comparisons
                     .GroupBy(c => (c.Task, A: string.CompareOrdinal(c.Left, c.Right) < 0 ? c.Left : c.Right, B: string.CompareOrdinal(c.Left, c.Right) < 0 ? c.Right : c.Left))
                     .OrderBy(g => g.Key.Task, StringComparer.Ordinal).ThenBy(g => g.Key.A, StringComparer.Ordinal).ThenBy(g => g.Key.B, StringComparer.Ordinal))
        {
            if (data.Honeypots.Contains(group.Key.Task))
            {
                continue;
            }

            var forA = group.Where(c => c.Label == group.Key.A).Sum(c => reliability[c.Worker]);
            var forB = group.Where(c => c.Label == group.Key.B).Sum(c => reliability[c.Worker]);
            if (forA == forB)
            {
                continue;
            }

            var (chosen, rejected) = forA > forB ? (group.Key.A, group.Key.B) : (group.Key.B, group.Key.A);
            lines.Append(JsonSerializer.Serialize(
                new
                {
                    messages = new[] { new { role = "user", content = group.Key.Task } },
                    chosen = new[] { new { role = "assistant", content = chosen } },
                    rejected = new[] { new { role = "assistant", content = rejected } },
                    agreement = Json(Math.Max(forA, forB) / (forA + forB)),
                    votes = group.Count(),
                },
                CliContext.JsonOptions)).Append('\n');
            count++;
        }

        return count;
    }

    private static IEnumerable<(string Task, string? Group)> ReadItems(string text, string source)
    {
        var reader = new StringReader(text);
        var header = (reader.ReadLine() ?? "").Split(',').Select(h => h.Trim().ToLowerInvariant()).ToList();
        var task = header.IndexOf("task");
        var group = header.IndexOf("group");
        if (task < 0)
        {
            throw PlumblineException.BadInput($"{source}:1: the header lacks column 'task'");
        }

        var line = 1;
        while (reader.ReadLine() is { } row)
        {
            line++;
            if (row.Trim().Length == 0)
            {
                continue;
            }

            var fields = row.Split(',');
            if (fields.Length != header.Count || fields[task].Trim().Length == 0)
            {
                throw PlumblineException.BadInput($"{source}:{line}: expected {header.Count} columns with a non-empty 'task'");
            }

            yield return (fields[task].Trim(), group >= 0 && fields[group].Trim().Length > 0 ? fields[group].Trim() : null);
        }
    }

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    /// <summary>Writes next to the target and renames, so a failure leaves no partial file.</summary>
    private static async Task WriteAtomicallyAsync(FileInfo file, string content, CancellationToken cancellationToken)
    {
        file.Directory?.Create();
        var temporary = file.FullName + ".tmp";
        await File.WriteAllTextAsync(temporary, content, new UTF8Encoding(false), cancellationToken);
        File.Move(temporary, file.FullName, overwrite: true);
    }
}
