using System.CommandLine;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Core.Curation;
using Plumbline.Core.Curation.Agreement;
using Spectre.Console;
using static Plumbline.Cli.Commands.Labels.LabelOptions;

namespace Plumbline.Cli.Commands.Labels;

/// <summary><c>plumb labels agreement FILE --metric krippendorff|fleiss|cohen|percent [--level …] [--weights …]</c>.</summary>
internal static class LabelsAgreementCommand
{
    public static Command Create()
    {
        var input = new LabelInput();
        var metric = new Option<string>("--metric") { Description = "krippendorff (default), fleiss, cohen or percent", DefaultValueFactory = _ => "krippendorff" };
        var level = new Option<string>("--level") { Description = "Krippendorff's level: nominal (default), ordinal, interval or ratio (the last three need numeric labels)", DefaultValueFactory = _ => "nominal" };
        var weights = new Option<string>("--weights") { Description = "Cohen's kappa weights: unweighted (default), linear or quadratic", DefaultValueFactory = _ => "unweighted" };
        var raters = new Option<string?>("--raters") { Description = "Cohen's kappa: the two raters to compare, as A,B (needed when there are more than two)" };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap resamples of tasks for the confidence interval (default 1000; 0 = none)", DefaultValueFactory = _ => 1000 };
        var confidence = new Option<double>("--confidence") { Description = "Confidence level of the interval (default 0.95)", DefaultValueFactory = _ => 0.95 };
        var matrix = new Option<bool>("--matrix") { Description = "Also give every pair of raters (percent agreement and Cohen's kappa on the tasks both labelled)" };
        var seed = Seed();
        var command = new Command("agreement", "Inter-rater agreement with a bootstrap interval, per rater, per pair of raters and per guideline version")
        {
            metric, level, weights, raters, bootstrap, confidence, matrix, seed,
        };
        input.AddTo(command);
        return command.WithAction(async (context, ct) =>
        {
            var options = new AgreementOptions(
                ParseMetric(context.Get(metric)),
                ParseLevel(context.Get(level)),
                ParseWeights(context.Get(weights)),
                context.Get(bootstrap) >= 0 ? context.Get(bootstrap) : throw PlumblineException.BadInput("--bootstrap: must be 0 or more"),
                context.Get(seed),
                context.Get(confidence) is > 0 and < 1 ? context.Get(confidence) : throw PlumblineException.BadInput("--confidence: must be between 0 and 1"));
            if (context.Get(raters) is { } pair)
            {
                var names = pair.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                options = names.Length == 2
                    ? options with { RaterA = names[0], RaterB = names[1] }
                    : throw PlumblineException.BadInput($"--raters: '{pair}' is not two names as A,B");
            }

            var source = await input.ReadAsync(context, pairwise: false, ct);
            var set = LabelSet.Create(source.Labels, source.Name);
            var value = await Task.Run(() => AgreementAnalysis.Compute(set, options), ct);
            var perRater = AgreementAnalysis.PerRater(set);
            var pairs = context.Get(matrix) ? AgreementAnalysis.Matrix(set) : null;
            var byGuideline = ByGuideline(source, options);
            if (context.Json)
            {
                context.WriteJson(new
                {
                    metric = value.Metric,
                    level = value.Level,
                    weights = value.Weights,
                    value = Json(value.Value),
                    ci = value.Ci?.Select(Json).ToArray(),
                    confidence = options.Confidence,
                    units = value.Units,
                    labels = value.Labels,
                    raters = value.Raters,
                    bootstrap = options.Resamples,
                    seed = options.Seed,
                    per_rater = perRater.Select(r => new { worker = r.Worker, labels = r.Labels, pairs = r.Pairs, agreement = Json(r.Agreement), kappa = Json(r.Kappa) }),
                    matrix = pairs?.Select(p => new { a = p.A, b = p.B, shared = p.Shared, agreement = Json(p.Agreement), kappa = Json(p.Kappa) }),
                    by_guideline = byGuideline.Select(g => new { guideline = g.Version, sha256 = g.Sha256, value = Json(g.Value.Value), ci = g.Value.Ci?.Select(Json).ToArray(), labels = g.Value.Labels }),
                });
                return ExitCodes.Success;
            }

            var describe = value.Level is { } l ? $" ({l})" : value.Weights is { } w && w != "unweighted" ? $" ({w})" : "";
            var ci = value.Ci is { } c ? $"  {F(options.Confidence * 100, "0.#")}% CI [{F(c[0])}, {F(c[1])}]" : "";
            context.Say($"{value.Metric}{describe}: {F(value.Value)}{ci}  over {value.Units} task(s), {value.Labels} label(s), {value.Raters} rater(s) — {source.Name}");
            var table = new Table().AddColumns("rater", "labels", "pairs", "agreement with the rest", "kappa with the rest");
            foreach (var r in perRater)
            {
                table.AddRow(Markup.Escape(r.Worker), $"{r.Labels}", $"{r.Pairs}", F(r.Agreement), F(r.Kappa));
            }

            AnsiConsole.Write(table);
            if (byGuideline.Count > 0)
            {
                var versions = new Table().AddColumns("guideline", "sha256", "labels", value.Metric, "CI");
                foreach (var g in byGuideline)
                {
                    versions.AddRow(Markup.Escape(g.Version), g.Sha256?[..12] ?? "", $"{g.Value.Labels}", F(g.Value.Value), g.Value.Ci is { } gc ? Markup.Escape($"[{F(gc[0])}, {F(gc[1])}]") : "");
                }

                AnsiConsole.Write(versions);
            }

            if (pairs is not null)
            {
                var grid = new Table().AddColumns("rater A", "rater B", "shared tasks", "agreement", "Cohen's kappa");
                foreach (var p in pairs)
                {
                    grid.AddRow(Markup.Escape(p.A), Markup.Escape(p.B), $"{p.Shared}", F(p.Agreement), F(p.Kappa));
                }

                AnsiConsole.Write(grid);
            }

            return ExitCodes.Success;
        });
    }

    private sealed record VersionAgreement(string Version, string? Sha256, AgreementValue Value);

    /// <summary>The same coefficient over the labels made under each guideline version (when the labels say which).</summary>
    private static List<VersionAgreement> ByGuideline(LabelSource source, AgreementOptions options)
    {
        var result = new List<VersionAgreement>();
        foreach (var group in source.Labels.Where(l => l.Guideline is not null).GroupBy(l => l.Guideline!).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var sha = source.Guidelines.FirstOrDefault(g => g.Version == group.Key)?.Sha256;
            try
            {
                result.Add(new VersionAgreement(group.Key, sha, AgreementAnalysis.Compute(LabelSet.Create(group.ToList(), source.Name), options)));
            }
            catch (PlumblineException)
            {
                // A version whose labels cannot carry the coefficient (e.g. Cohen's raters absent) is left out.
            }
        }

        return result;
    }

    private static AgreementMetric ParseMetric(string name) => name switch
    {
        "krippendorff" or "alpha" => AgreementMetric.Krippendorff,
        "fleiss" => AgreementMetric.Fleiss,
        "cohen" => AgreementMetric.Cohen,
        "percent" => AgreementMetric.Percent,
        _ => throw PlumblineException.BadInput($"--metric: '{name}' is not one of krippendorff, fleiss, cohen, percent"),
    };

    private static MeasurementLevel ParseLevel(string name) => name switch
    {
        "nominal" => MeasurementLevel.Nominal,
        "ordinal" => MeasurementLevel.Ordinal,
        "interval" => MeasurementLevel.Interval,
        "ratio" => MeasurementLevel.Ratio,
        _ => throw PlumblineException.BadInput($"--level: '{name}' is not one of nominal, ordinal, interval, ratio"),
    };

    private static KappaWeights ParseWeights(string name) => name switch
    {
        "unweighted" or "none" => KappaWeights.Unweighted,
        "linear" => KappaWeights.Linear,
        "quadratic" => KappaWeights.Quadratic,
        _ => throw PlumblineException.BadInput($"--weights: '{name}' is not one of unweighted, linear, quadratic"),
    };
}
