using System.CommandLine;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Core.Curation;
using Plumbline.Core.Curation.Aggregation;
using Plumbline.Core.Curation.Screening;
using Spectre.Console;
using static Plumbline.Cli.Commands.Labels.LabelOptions;

namespace Plumbline.Cli.Commands.Labels;

/// <summary><c>plumb labels raters FILE [--gold FILE]</c>: reliability, spammer scores and adversary flags with their evidence.</summary>
internal static class LabelsRatersCommand
{
    public static Command Create()
    {
        var input = new LabelInput();
        var spammer = new Option<double>("--spammer-threshold") { Description = "Spammer score below which a rater is flagged (default 0.2; 0 = answers independent of the truth, 1 = perfect)", DefaultValueFactory = _ => ScreeningOptions.Default.SpammerThreshold };
        var lowSkill = new Option<double>("--low-skill") { Description = "Dawid–Skene accuracy below which a rater is flagged low_quality (default 0.6)", DefaultValueFactory = _ => ScreeningOptions.Default.LowSkill };
        var alpha = new Option<double>("--alpha") { Description = "Family-wise significance of the adversary tests (default 0.05, Bonferroni over raters and groups)", DefaultValueFactory = _ => ScreeningOptions.Default.FamilyAlpha };
        var minLabels = new Option<int>("--min-labels") { Description = "Raters with fewer labels are not flagged (default 5)", DefaultValueFactory = _ => ScreeningOptions.Default.MinLabels };
        var command = new Command("raters", "Screen raters: skill, agreement, spammer score, gold accuracy; flags spammer, adversarial (incl. targeted flips within a group such as safety), low_quality, failed_gold, with evidence")
        {
            spammer, lowSkill, alpha, minLabels,
        };
        input.AddTo(command);
        return command.WithAction(async (context, ct) =>
        {
            var options = new ScreeningOptions(context.Get(spammer), context.Get(lowSkill), context.Get(alpha), context.Get(minLabels));
            if (options.FamilyAlpha is <= 0 or >= 1)
            {
                throw PlumblineException.BadInput("--alpha: must be between 0 and 1");
            }

            var source = await input.ReadAsync(context, pairwise: false, ct);
            var set = LabelSet.Create(source.Labels, source.Name);
            var reports = await Task.Run(() => RaterScreening.Screen(set, DawidSkene.Fit(set), source.Gold.Count > 0 ? source.Gold : null, options), ct);
            if (context.Json)
            {
                context.WriteJson(new
                {
                    raters = reports.Select(r => new
                    {
                        worker = r.Worker,
                        skill = Json(r.Skill),
                        labels = r.Labels,
                        agreement = Json(r.Agreement),
                        spammer_score = Json(r.SpammerScore),
                        gold_accuracy = r.GoldAccuracy is { } g ? Json(g) : null,
                        gold_items = r.GoldItems,
                        flags = r.Flags,
                        evidence = r.Evidence,
                    }),
                    groups = set.TaskGroups?.Where(g => g is not null).Distinct().Order(StringComparer.Ordinal).ToArray() ?? [],
                });
                return ExitCodes.Success;
            }

            context.Say($"{reports.Count} rater(s), {set.Count} label(s) — {source.Name}{(set.TaskGroups is null ? "; no group column, so targeted flips within a group cannot be tested" : "")}");
            var table = new Table().AddColumns("rater", "labels", "skill (DS)", "agreement", "spammer score", "gold", "flags");
            foreach (var r in reports.OrderBy(r => r.Flags.Count == 0).ThenBy(r => r.Skill))
            {
                table.AddRow(
                    Markup.Escape(r.Worker),
                    $"{r.Labels}",
                    F(r.Skill),
                    F(r.Agreement),
                    F(r.SpammerScore),
                    r.GoldAccuracy is { } g ? $"{F(g)} of {r.GoldItems}" : "",
                    r.Flags.Count == 0 ? "" : $"[red]{Markup.Escape(string.Join(", ", r.Flags))}[/]");
            }

            AnsiConsole.Write(table);
            foreach (var r in reports.Where(r => r.Evidence.Count > 0))
            {
                foreach (var line in r.Evidence)
                {
                    context.Say($"{r.Worker}: {line}");
                }
            }

            return ExitCodes.Success;
        });
    }
}
