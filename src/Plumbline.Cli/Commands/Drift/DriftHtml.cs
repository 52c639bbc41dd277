using System.Globalization;
using System.Net;
using System.Text;
using Plumbline.Core.Supervision.Drift;

namespace Plumbline.Cli.Commands.Drift;

/// <summary>The self-contained HTML drift report: one inline SVG line chart per metric across rounds (with its bootstrap band and the reference level), the perplexity histograms, the frozen clusters and the gate.</summary>
internal static class DriftHtml
{
    private const int Width = 320;
    private const int Height = 170;
    private const int Pad = 34;

    public static string Render(DriftReport report)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Plumbline drift report</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:24px;color:#222}h1{font-size:22px}h2{font-size:17px;margin-top:28px}")
            .Append(".grid{display:flex;flex-wrap:wrap;gap:14px}.card{border:1px solid #ddd;border-radius:6px;padding:8px}.card h3{font-size:13px;margin:0 0 4px}")
            .Append(".card p{font-size:11px;color:#666;margin:0;max-width:320px}table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ddd;padding:3px 6px;text-align:right}")
            .Append("th:first-child,td:first-child{text-align:left}.fail{color:#b00020;font-weight:600}.pass{color:#1b5e20;font-weight:600}code{font-size:12px}")
            .Append("</style></head><body>");
        html.Append("<h1>Drift report</h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p>Reference <code>{E(report.Reference.Source)}</code> ({report.Reference.N} texts), {report.Rounds.Count} round(s). plumb {E(report.Run.PlumbVersion)}: <code>{E(report.Run.CommandLine)}</code></p>");
        html.Append(report.Gate.Passed
            ? $"<p class=\"pass\">Gate passed ({report.Conditions.Count} condition(s)).</p>"
            : $"<p class=\"fail\">Gate failed:</p><ul>{string.Concat(report.Gate.Failed.Select(f => $"<li class=\"fail\">{E(f)}</li>"))}</ul>");

        html.Append("<h2>Metrics across rounds</h2><p>Line: the value per round; band: 95% bootstrap interval; dashed: the reference's own value.</p><div class=\"grid\">");
        var names = report.Rounds.SelectMany(r => r.Metrics.Keys).Distinct().ToList();
        foreach (var metric in DriftMetrics.All.Where(m => names.Contains(m.Name)))
        {
            html.Append("<div class=\"card\">").Append(CultureInfo.InvariantCulture, $"<h3>{E(metric.Name)}</h3>").Append(LineChart(report, metric.Name)).Append(CultureInfo.InvariantCulture, $"<p>{E(metric.Description)}</p></div>");
        }

        html.Append("</div>");
        html.Append("<h2>Perplexity under the round-0 model</h2><p>Histograms of log10 perplexity; the tails of round 0 thin out as a self-trained model collapses.</p><div class=\"grid\">");
        if (report.Reference.PerplexityHistogram is { } referenceHistogram)
        {
            html.Append("<div class=\"card\"><h3>reference</h3>").Append(Histogram(referenceHistogram)).Append("</div>");
        }

        foreach (var round in report.Rounds.Where(r => r.PerplexityHistogram is not null))
        {
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"card\"><h3>round {round.Round}: {E(round.Source)}</h3>").Append(Histogram(round.PerplexityHistogram!)).Append("</div>");
        }

        html.Append("</div>");
        if (report.Clusters is { Count: > 0 } clusters)
        {
            html.Append("<h2>Clusters frozen at round 0</h2><table><tr><th>cluster</th><th>keywords</th>");
            foreach (var round in report.Rounds)
            {
                html.Append(CultureInfo.InvariantCulture, $"<th>round {round.Round}</th>");
            }

            html.Append("</tr>");
            foreach (var cluster in clusters)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{cluster.Id}</td><td style=\"text-align:left\">{E(string.Join(", ", cluster.Keywords))}</td>");
                foreach (var round in report.Rounds)
                {
                    var share = round.ClusterShares is { } s && cluster.Id < s.Count ? s[cluster.Id] : double.NaN;
                    html.Append(CultureInfo.InvariantCulture, $"<td>{Format(share)}</td>");
                }

                html.Append("</tr>");
            }

            html.Append("</table>");
        }

        if (report.Rounds.Any(r => r.Probes.Count > 0))
        {
            html.Append("<h2>Probe answers</h2><table><tr><th>round</th><th>probes</th><th>n</th><th>matching rate</th><th>95% interval</th><th>unparseable</th></tr>");
            foreach (var round in report.Rounds)
            {
                foreach (var p in round.Probes)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<tr><td>{round.Round}</td><td>{E(p.Items)}</td><td>{p.N}</td><td>{Format(p.MatchingRate)}</td><td>[{Format(p.Ci[0])}, {Format(p.Ci[1])}]</td><td>{p.Unparseable}</td></tr>");
                }
            }

            html.Append("</table>");
        }

        html.Append("<h2>Rounds</h2><table><tr><th>metric</th><th>reference</th>");
        foreach (var round in report.Rounds)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{round.Round}</th>");
        }

        html.Append("</tr>");
        foreach (var name in DriftMetrics.All.Select(m => m.Name).Where(names.Contains))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(name)}</td><td>{Format(report.Reference.Metrics.GetValueOrDefault(name, double.NaN))}</td>");
            foreach (var round in report.Rounds)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td>{Format(round.Metrics.GetValueOrDefault(name, double.NaN))}</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table><h2>Inputs</h2><table><tr><th>file</th><th>sha256</th></tr>");
        foreach (var (file, sha) in report.Run.Inputs)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(file)}</td><td><code>{E(sha)}</code></td></tr>");
        }

        html.Append("</table></body></html>\n");
        return html.ToString();
    }

    private static string LineChart(DriftReport report, string metric)
    {
        var rounds = report.Rounds;
        var values = rounds.Select(r => r.Metrics.GetValueOrDefault(metric, double.NaN)).ToArray();
        var lows = rounds.Select(r => r.Ci.TryGetValue(metric, out var ci) ? ci[0] : double.NaN).ToArray();
        var highs = rounds.Select(r => r.Ci.TryGetValue(metric, out var ci) ? ci[1] : double.NaN).ToArray();
        var reference = report.Reference.Metrics.GetValueOrDefault(metric, double.NaN);
        var all = values.Concat(lows).Concat(highs).Append(reference).Where(double.IsFinite).ToArray();
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{E(metric)} across rounds\">");
        if (all.Length == 0)
        {
            return svg.Append("<text x=\"10\" y=\"20\" font-size=\"11\">no value</text></svg>").ToString();
        }

        var min = all.Min();
        var max = all.Max();
        if (max - min < 1e-12)
        {
            min -= 0.5;
            max += 0.5;
        }

        double X(int i) => Pad + (rounds.Count == 1 ? (Width - Pad - 10) / 2.0 : (double)i / (rounds.Count - 1) * (Width - Pad - 10));
        double Y(double v) => 10 + ((max - v) / (max - min) * (Height - 10 - 24));
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Pad}\" y1=\"{Height - 24}\" x2=\"{Width - 10}\" y2=\"{Height - 24}\" stroke=\"#999\"/><line x1=\"{Pad}\" y1=\"10\" x2=\"{Pad}\" y2=\"{Height - 24}\" stroke=\"#999\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"2\" y=\"14\" font-size=\"9\">{Format(max)}</text><text x=\"2\" y=\"{Height - 26}\" font-size=\"9\">{Format(min)}</text>");
        var band = Enumerable.Range(0, rounds.Count).Where(i => double.IsFinite(lows[i]) && double.IsFinite(highs[i])).ToArray();
        if (band.Length > 1)
        {
            var points = band.Select(i => $"{F(X(i))},{F(Y(highs[i]))}").Concat(band.Reverse().Select(i => $"{F(X(i))},{F(Y(lows[i]))}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polygon points=\"{string.Join(' ', points)}\" fill=\"#1565c0\" fill-opacity=\"0.15\"/>");
        }

        if (double.IsFinite(reference))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Pad}\" y1=\"{F(Y(reference))}\" x2=\"{Width - 10}\" y2=\"{F(Y(reference))}\" stroke=\"#2e7d32\" stroke-dasharray=\"4 3\"/>");
        }

        var line = Enumerable.Range(0, rounds.Count).Where(i => double.IsFinite(values[i])).Select(i => $"{F(X(i))},{F(Y(values[i]))}");
        svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{string.Join(' ', line)}\" fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\"/>");
        for (var i = 0; i < rounds.Count; i++)
        {
            if (double.IsFinite(values[i]))
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(X(i))}\" cy=\"{F(Y(values[i]))}\" r=\"3\" fill=\"#1565c0\"><title>round {rounds[i].Round}: {Format(values[i])} [{Format(lows[i])}, {Format(highs[i])}]</title></circle>");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(i) - 3)}\" y=\"{Height - 10}\" font-size=\"9\">{rounds[i].Round}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static string Histogram(PerplexityHistogram histogram)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"perplexity histogram\">");
        var counts = histogram.Counts;
        var total = counts.Sum() + histogram.Below + histogram.Above;
        var peak = Math.Max(1, counts.Append(histogram.Below).Append(histogram.Above).Max());
        var bars = counts.Count + 2;
        var barWidth = (Width - 20.0) / bars;
        var all = new[] { histogram.Below }.Concat(counts).Append(histogram.Above).ToArray();
        for (var i = 0; i < all.Length; i++)
        {
            var h = (double)all[i] / peak * (Height - 40);
            var label = i == 0 ? $"below 10^{Format(histogram.Edges[0])}" : i == all.Length - 1 ? $"above 10^{Format(histogram.Edges[^1])}" : $"10^{Format(histogram.Edges[i - 1])} to 10^{Format(histogram.Edges[i])}";
            var colour = i == 0 || i == all.Length - 1 ? "#9e9e9e" : "#6a1b9a";
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(10 + (i * barWidth))}\" y=\"{F(Height - 24 - h)}\" width=\"{F(Math.Max(1, barWidth - 1))}\" height=\"{F(h)}\" fill=\"{colour}\"><title>{label}: {all[i]} of {total}</title></rect>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"{Height - 8}\" font-size=\"9\">perplexity 10^{Format(histogram.Edges[0])}</text><text x=\"{Width - 90}\" y=\"{Height - 8}\" font-size=\"9\">10^{Format(histogram.Edges[^1])}</text>");
        return svg.Append("</svg>").ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Format(double value) => double.IsFinite(value) ? value.ToString(Math.Abs(value) >= 100 ? "0.#" : "0.####", CultureInfo.InvariantCulture) : "–";
}
