using System.CommandLine;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Core.Curation;
using Plumbline.Core.Curation.Quality;
using Spectre.Console;
using static Plumbline.Cli.Commands.Labels.LabelOptions;

namespace Plumbline.Cli.Commands.Labels;

/// <summary><c>plumb labels curve FILE --gold FILE --out DIR</c>: accuracy against labels per item and rater pool, and a recommendation.</summary>
internal static class LabelsCurveCommand
{
    public static Command Create()
    {
        var input = new LabelInput();
        var method = Method("mv", "Aggregation at each point: mv (default), wawa, ds, glad or mace");
        var replicates = new Option<int>("--replicates") { Description = "Seeded random draws of k labels per item, per point (default 200)", DefaultValueFactory = _ => 200 };
        var maxLabels = new Option<int>("--max-labels") { Description = "Largest k (default: the most labels any item has)", DefaultValueFactory = _ => 0 };
        var minGain = new Option<double>("--min-gain") { Description = "Accuracy gain per extra label below which another label is not worth it (default 0.01)", DefaultValueFactory = _ => 0.01 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for report.json and report.html", Required = true };
        var seed = Seed();
        var command = new Command("curve", "The quality–quantity curve: accuracy of aggregated labels against labels per item (1…k) and rater pool, with bootstrap intervals, marginal value and a recommendation")
        {
            method, replicates, maxLabels, minGain, output, seed,
        };
        input.AddTo(command);
        return command.WithAction(async (context, ct) =>
        {
            var options = new CurveOptions(ParseMethod(context.Get(method)), context.Get(maxLabels), context.Get(replicates), context.Get(seed), 0.95, context.Get(minGain));
            if (options.Replicates < 1)
            {
                throw PlumblineException.BadInput("--replicates: must be 1 or more");
            }

            var source = await input.ReadAsync(context, pairwise: false, ct);
            if (source.Gold.Count == 0)
            {
                throw PlumblineException.BadInput("--gold: the curve needs known answers (a CSV task,label, or a campaign with gold items)");
            }

            var set = LabelSet.Create(source.Labels, source.Name);
            var curve = await context.WithProgressAsync("quality–quantity curve", progress => Task.Run(() => QualityCurve.Compute(set, source.Gold, options, progress), ct));
            var folder = context.Get(output);
            await CurveReport.WriteAsync(folder, curve, options, source.Inputs, source.Name, ct);
            if (context.Json)
            {
                context.WriteJson(CurveReport.Json(curve, options, source.Inputs, source.Name));
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("pool", "labels per item", "accuracy", "95% interval", "gain");
            foreach (var p in curve.Points)
            {
                table.AddRow(p.Pool, $"{p.LabelsPerItem}", F(p.Accuracy), Markup.Escape($"[{F(p.Low)}, {F(p.High)}]"), p.Marginal is { } m ? (m * 100).ToString("+0.0;-0.0", System.Globalization.CultureInfo.InvariantCulture) + " pts" : "");
            }

            AnsiConsole.Write(table);
            context.Say($"Recommendation: {curve.Recommendation}");
            context.Say($"Wrote {Path.Combine(folder.FullName, "report.json")} and report.html");
            return ExitCodes.Success;
        });
    }
}
