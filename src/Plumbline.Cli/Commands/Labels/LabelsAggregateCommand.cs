using System.CommandLine;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Core.Curation;
using Plumbline.Core.Curation.Aggregation;
using Plumbline.Core.Curation.Pairwise;
using Spectre.Console;
using static Plumbline.Cli.Commands.Labels.LabelOptions;

namespace Plumbline.Cli.Commands.Labels;

/// <summary><c>plumb labels aggregate FILE --method mv|wawa|ds|glad|mace</c>, or <c>--pairwise --method bt|noisy_bt</c>.</summary>
internal static class LabelsAggregateCommand
{
    private const int ShownRows = 50;

    public static Command Create()
    {
        var input = new LabelInput();
        var method = new Option<string?>("--method") { Description = "mv, wawa, ds (default), glad or mace; with --pairwise: bt or noisy_bt (default)" };
        var pairwise = new Option<bool>("--pairwise") { Description = "The labels are pairwise comparisons (worker,task,left,right,label)" };
        var iterations = new Option<int>("--iterations") { Description = "Most EM iterations (default 100)", DefaultValueFactory = _ => 100 };
        var fitGold = new Option<bool>("--fit-gold") { Description = "Dawid–Skene: hold the --gold answers fixed while fitting (then the gold accuracy printed is no longer a check)" };
        var command = new Command("aggregate", "Aggregate labels per task with posteriors and rater skill (or rank items from pairwise comparisons)") { method, pairwise, iterations, fitGold };
        input.AddTo(command);
        return command.WithAction(async (context, ct) =>
        {
            var isPairwise = context.Get(pairwise);
            var source = await input.ReadAsync(context, isPairwise, ct);
            if (isPairwise)
            {
                return Pairwise(context, source, context.Get(method) ?? "noisy_bt", context.Get(iterations));
            }

            var set = LabelSet.Create(source.Labels, source.Name);
            var chosen = ParseMethod(context.Get(method) ?? "ds");
            if (context.Get(fitGold) && (chosen != AggregationMethod.DawidSkene || source.Gold.Count == 0))
            {
                throw PlumblineException.BadInput("--fit-gold: needs --method ds and --gold FILE (or a campaign with gold)");
            }

            var known = context.Get(fitGold)
                ? source.Gold.Select(g => (Task: set.TaskIndex(g.Key), Class: set.ClassIndex(g.Value))).Where(g => g.Task >= 0 && g.Class >= 0).ToDictionary(g => g.Task, g => g.Class)
                : null;
            var result = await Task.Run(() => known is null ? Aggregator.Run(set, chosen, context.Get(iterations)) : DawidSkene.Fit(set, context.Get(iterations), gold: known), ct);
            var gold = GoldAccuracy(result, source.Gold);
            if (context.Json)
            {
                context.WriteJson(new
                {
                    method = result.Method,
                    iterations = result.Iterations,
                    labels = Enumerable.Range(0, set.Tasks.Count).Select(t => new
                    {
                        task = set.Tasks[t],
                        label = set.Classes[result.Labels[t]],
                        probabilities = Probabilities(result, t),
                    }),
                    workers = Enumerable.Range(0, set.Workers.Count).Select(w => new
                    {
                        worker = set.Workers[w],
                        skill = Json(result.Skill[w]),
                        confusion = result.Confusion is { } confusion ? Confusion(set, confusion[w]) : null,
                    }),
                    gold = gold is { } g ? new { items = g.Items, accuracy = Json(g.Accuracy), fitted = known is not null } : null,
                });
                return ExitCodes.Success;
            }

            context.Say($"{result.Method}: {set.Tasks.Count} task(s), {set.Count} label(s), {set.Workers.Count} rater(s), {result.Iterations} iteration(s) — {source.Name}");
            if (gold is { } scored)
            {
                context.Say($"accuracy on {scored.Items} gold item(s): {scored.Accuracy * 100:0.0}%{(known is null ? "" : " (held fixed while fitting)")}");
            }

            var table = new Table().AddColumns("task", "label", "probability");
            foreach (var t in Enumerable.Range(0, set.Tasks.Count).Take(ShownRows))
            {
                table.AddRow(Markup.Escape(set.Tasks[t]), Markup.Escape(set.Classes[result.Labels[t]]), F(result.Probability(t, result.Labels[t])));
            }

            AnsiConsole.Write(table);
            if (set.Tasks.Count > ShownRows)
            {
                context.Say($"… {set.Tasks.Count - ShownRows} more task(s); --json gives them all");
            }

            var workers = new Table().AddColumns("rater", "labels", "skill");
            foreach (var w in Enumerable.Range(0, set.Workers.Count).OrderByDescending(w => result.Skill[w]))
            {
                workers.AddRow(Markup.Escape(set.Workers[w]), $"{set.LabelsOf(w)}", F(result.Skill[w]));
            }

            AnsiConsole.Write(workers);
            return ExitCodes.Success;
        });
    }

    public static Dictionary<string, double?> Probabilities(AggregationResult result, int task) =>
        Enumerable.Range(0, result.Set.ClassCount).ToDictionary(c => result.Set.Classes[c], c => Json(result.Probability(task, c)), StringComparer.Ordinal);

    /// <summary>Truth → answer → probability.</summary>
    private static Dictionary<string, Dictionary<string, double?>> Confusion(LabelSet set, double[] confusion) =>
        Enumerable.Range(0, set.ClassCount).ToDictionary(
            truth => set.Classes[truth],
            truth => Enumerable.Range(0, set.ClassCount).ToDictionary(answer => set.Classes[answer], answer => Json(confusion[(truth * set.ClassCount) + answer]), StringComparer.Ordinal),
            StringComparer.Ordinal);

    private static (int Items, double Accuracy)? GoldAccuracy(AggregationResult result, IReadOnlyDictionary<string, string> gold)
    {
        var items = 0;
        var right = 0;
        for (var t = 0; t < result.Set.Tasks.Count; t++)
        {
            if (gold.TryGetValue(result.Set.Tasks[t], out var answer))
            {
                items++;
                right += result.Set.Classes[result.Labels[t]] == answer ? 1 : 0;
            }
        }

        return items == 0 ? null : (items, (double)right / items);
    }

    private static int Pairwise(CliContext context, LabelSource source, string method, int iterations)
    {
        var data = Comparisons.Create(source.Comparisons);
        var result = method switch
        {
            "bt" => BradleyTerry.Fit(data, iterations),
            "noisy_bt" => NoisyBradleyTerry.Fit(data),
            _ => throw PlumblineException.BadInput($"--method: '{method}' is not a pairwise method (bt or noisy_bt)"),
        };
        var ranked = Enumerable.Range(0, result.Items.Count).OrderByDescending(i => result.Scores[i]).ThenBy(i => result.Items[i], StringComparer.Ordinal).ToArray();
        if (context.Json)
        {
            context.WriteJson(new
            {
                method = result.Method,
                iterations = result.Iterations,
                items = ranked.Select(i => new { item = result.Items[i], score = Json(result.Scores[i]) }),
                workers = Enumerable.Range(0, result.Workers.Count).Select(w => new
                {
                    worker = result.Workers[w],
                    skill = result.Skill is { } s ? Json(s[w]) : null,
                    bias = result.Bias is { } b ? Json(b[w]) : null,
                }),
            });
            return ExitCodes.Success;
        }

        context.Say($"{result.Method}: {data.Items.Count} item(s), {data.Count} comparison(s), {data.Workers.Count} rater(s) — {source.Name}");
        var table = new Table().AddColumns("rank", "item", "score");
        for (var r = 0; r < ranked.Length; r++)
        {
            table.AddRow($"{r + 1}", Markup.Escape(result.Items[ranked[r]]), F(result.Scores[ranked[r]], "0.0000"));
        }

        AnsiConsole.Write(table);
        if (result.Skill is not null)
        {
            var workers = new Table().AddColumns("rater", "reliability", "picks left when guessing");
            for (var w = 0; w < result.Workers.Count; w++)
            {
                workers.AddRow(Markup.Escape(result.Workers[w]), F(result.Skill[w]), F(result.Bias![w]));
            }

            AnsiConsole.Write(workers);
        }

        return ExitCodes.Success;
    }
}
