using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core.Curation.Quality;

namespace Plumbline.Cli.Commands.Labels;

/// <summary>The quality–quantity curve as <c>report.json</c> (with the run block) and a self-contained <c>report.html</c> with an inline SVG chart.</summary>
internal static class CurveReport
{
    private static readonly string[] Colours = ["#1f77b4", "#2ca02c", "#d62728", "#9467bd"];

    public static object Json(CurveResult curve, CurveOptions options, IReadOnlyList<InputFile> inputs, string source) => new
    {
        run = Run(options.Seed, inputs),
        source,
        curve = new
        {
            method = curve.Method,
            replicates = options.Replicates,
            confidence = options.Confidence,
            min_gain = options.MinGain,
            pools = curve.Pools.Select(p => new { name = p.Name, workers = p.Workers, mean_skill = LabelOptions.Json(p.MeanSkill) }),
            points = curve.Points.Select(p => new
            {
                pool = p.Pool,
                labels_per_item = p.LabelsPerItem,
                accuracy = LabelOptions.Json(p.Accuracy),
                ci = new[] { LabelOptions.Json(p.Low), LabelOptions.Json(p.High) },
                marginal = p.Marginal is { } m ? LabelOptions.Json(m) : null,
                gold_items = p.GoldItems,
            }),
            recommended_labels_per_item = curve.RecommendedLabels,
            recommendation = curve.Recommendation,
        },
    };

    public static object Run(int seed, IReadOnlyList<InputFile> inputs) => new
    {
        plumb_version = typeof(CurveReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
        command_line = "plumb " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a)),
        seeds = new[] { seed },
        models = Array.Empty<string>(),
        inputs = inputs.Select(i => new { path = i.Path, sha256 = i.Sha256 }),
    };

    public static async Task WriteAsync(DirectoryInfo folder, CurveResult curve, CurveOptions options, IReadOnlyList<InputFile> inputs, string source, CancellationToken cancellationToken)
    {
        folder.Create();
        var json = JsonSerializer.Serialize(Json(curve, options, inputs, source), new JsonSerializerOptions(CliContext.JsonOptions) { WriteIndented = true });
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "report.json"), json + "\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "report.html"), Html(curve, options, source), cancellationToken);
    }

    private static string Html(CurveResult curve, CurveOptions options, string source)
    {
        var c = CultureInfo.InvariantCulture;
        var html = new StringBuilder();
        html.Append(c, $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Quality–quantity curve</title>
            <style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:right}th{background:#f4f4f4}.rec{background:#eef6ee;padding:.6rem;border-left:4px solid #2ca02c}</style>
            </head><body>
            <h1>Quality–quantity curve</h1>
            <p>{{WebUtility.HtmlEncode(source)}} · aggregation <b>{{curve.Method}}</b> · {{options.Replicates}} seeded draws per point (seed {{options.Seed}}) · {{options.Confidence * 100:0.#}}% intervals</p>
            <p class="rec"><b>Recommendation:</b> {{WebUtility.HtmlEncode(curve.Recommendation)}}</p>
            """);
        html.Append(Chart(curve));
        html.Append("<h2>Points</h2><table><tr><th>pool</th><th>labels per item</th><th>accuracy</th><th>interval</th><th>gain over one label fewer</th><th>gold items</th></tr>");
        foreach (var p in curve.Points)
        {
            html.Append(c, $"<tr><td>{WebUtility.HtmlEncode(p.Pool)}</td><td>{p.LabelsPerItem}</td><td>{p.Accuracy * 100:0.0}%</td><td>[{p.Low * 100:0.0}%, {p.High * 100:0.0}%]</td><td>{(p.Marginal is { } m ? (m * 100).ToString("+0.0;-0.0", c) + " pts" : "")}</td><td>{p.GoldItems}</td></tr>");
        }

        html.Append("</table><h2>Rater pools</h2><table><tr><th>pool</th><th>raters</th><th>mean Dawid–Skene skill</th></tr>");
        foreach (var pool in curve.Pools)
        {
            html.Append(c, $"<tr><td>{WebUtility.HtmlEncode(pool.Name)}</td><td style=\"text-align:left\">{WebUtility.HtmlEncode(string.Join(", ", pool.Workers))}</td><td>{pool.MeanSkill:0.000}</td></tr>");
        }

        html.Append("</table></body></html>\n");
        return html.ToString();
    }

    private static string Chart(CurveResult curve)
    {
        var c = CultureInfo.InvariantCulture;
        const double width = 640, height = 360, left = 60, right = 150, top = 20, bottom = 50;
        var kMax = Math.Max(2, curve.Points.Max(p => p.LabelsPerItem));
        var yMin = Math.Floor(curve.Points.Min(p => p.Low) * 10) / 10;
        double X(int k) => left + ((k - 1) * (width - left - right) / (kMax - 1));
        double Y(double a) => top + ((1 - ((a - yMin) / (1 - yMin))) * (height - top - bottom));
        var svg = new StringBuilder();
        svg.Append(c, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"accuracy against labels per item\">");
        for (var tick = yMin; tick <= 1.0001; tick += 0.1)
        {
            svg.Append(c, $"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{Y(tick):0.0}\" y2=\"{Y(tick):0.0}\" stroke=\"#eee\"/><text x=\"{left - 8}\" y=\"{Y(tick) + 4:0.0}\" text-anchor=\"end\" font-size=\"11\">{tick * 100:0}%</text>");
        }

        for (var k = 1; k <= kMax; k++)
        {
            svg.Append(c, $"<text x=\"{X(k):0.0}\" y=\"{height - bottom + 18}\" text-anchor=\"middle\" font-size=\"11\">{k}</text>");
        }

        svg.Append(c, $"<text x=\"{(left + width - right) / 2}\" y=\"{height - 10}\" text-anchor=\"middle\" font-size=\"12\">labels per item</text>");
        svg.Append(c, $"<text x=\"14\" y=\"{(top + height - bottom) / 2}\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 14 {(top + height - bottom) / 2})\">accuracy on gold</text>");
        var i = 0;
        foreach (var pool in curve.Pools)
        {
            var points = curve.Points.Where(p => p.Pool == pool.Name).OrderBy(p => p.LabelsPerItem).ToList();
            if (points.Count == 0)
            {
                continue;
            }

            var colour = Colours[i % Colours.Length];
            var band = string.Join(' ', points.Select(p => $"{X(p.LabelsPerItem).ToString("0.0", c)},{Y(p.High).ToString("0.0", c)}")
                .Concat(points.AsEnumerable().Reverse().Select(p => $"{X(p.LabelsPerItem).ToString("0.0", c)},{Y(p.Low).ToString("0.0", c)}")));
            svg.Append(c, $"<polygon points=\"{band}\" fill=\"{colour}\" fill-opacity=\"0.15\" stroke=\"none\"/>");
            svg.Append(c, $"<polyline points=\"{string.Join(' ', points.Select(p => $"{X(p.LabelsPerItem).ToString("0.0", c)},{Y(p.Accuracy).ToString("0.0", c)}"))}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>");
            foreach (var p in points)
            {
                svg.Append(c, $"<circle cx=\"{X(p.LabelsPerItem):0.0}\" cy=\"{Y(p.Accuracy):0.0}\" r=\"3\" fill=\"{colour}\"><title>{WebUtility.HtmlEncode(pool.Name)}, {p.LabelsPerItem}: {p.Accuracy * 100:0.0}%</title></circle>");
            }

            svg.Append(c, $"<rect x=\"{width - right + 15}\" y=\"{top + (i * 20)}\" width=\"12\" height=\"12\" fill=\"{colour}\"/><text x=\"{width - right + 32}\" y=\"{top + (i * 20) + 10}\" font-size=\"12\">{WebUtility.HtmlEncode(pool.Name)}</text>");
            i++;
        }

        svg.Append("</svg>");
        return svg.ToString();
    }
}
