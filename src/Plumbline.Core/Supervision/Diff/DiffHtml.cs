using System.Globalization;
using System.Net;
using System.Text;

namespace Plumbline.Core.Supervision.Diff;

/// <summary>The self-contained <c>report.html</c> of a diff: inline SVG charts and plain HTML, no scripts or external files.</summary>
public static class DiffHtml
{
    private const string BeforeColour = "#3b6fb6";
    private const string AfterColour = "#e07b39";

    /// <summary>Renders <paramref name="report"/>; <paramref name="beforeName"/> and <paramref name="afterName"/> name the two sides (file or model).</summary>
    public static string Render(DiffReport report, string beforeName, string afterName, string commandLine)
    {
        ArgumentNullException.ThrowIfNull(report);
        var s = report.Summary;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Behaviour diff</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;max-width:72em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top;font-size:.9em}")
            .Append(".sig{background:#fff4d6}.impure{background:#fde2e2}.muted{color:#777}.ex{max-width:40em;white-space:pre-wrap}.b{color:" + BeforeColour + "}.a{color:" + AfterColour + "}h2{margin-top:1.6em}code{background:#f3f3f3;padding:0 .2em}")
            .Append("</style></head><body>\n");
        html.Append("<h1>Behaviour diff</h1>\n");
        html.Append($"<p><span class=\"b\">■ before</span>: {E(beforeName)} ({s.BeforeSamples} responses) &nbsp; <span class=\"a\">■ after</span>: {E(afterName)} ({s.AfterSamples} responses)</p>\n");
        html.Append($"<p><b>{s.SignificantClusters}</b> of {s.K} clusters and <b>{s.SignificantGroups}</b> of {s.CoarseGroups} coarse groups changed share significantly (Benjamini–Hochberg q ≤ {N(s.Alpha)}, {E(s.Test.Replace('_', ' '))}); " +
            $"<b>{s.ImpureClusters}</b> clusters and <b>{s.ImpureGroups}</b> groups hold a shift inside them (impure).</p>\n");
        if (report.NullCheck is { } nc)
        {
            html.Append($"<p class=\"{(nc.Passed ? "" : "impure")}\">Null check (two random halves of the before-responses, {nc.HalfA} and {nc.HalfB}): {nc.SignificantClusters} of {nc.Clusters} clusters significant, {nc.SignificantSplits} inside shifts; false-positive rate {N(nc.FalsePositiveRate)} — {(nc.Passed ? "clean" : "NOT clean: treat the findings with care")}.</p>\n");
        }

        html.Append($"<p class=\"muted\">Embedder {E(s.Embedder)}{(s.Facets is null ? "" : $", facets {E(s.Facets)}")}{(s.Labeler is null ? ", keyword labels (c-TF-IDF)" : $", labeler {E(s.Labeler)}")}{(s.Judge is null ? "" : $", judge {E(s.Judge)}")}. {E(s.KRule)}. Coarse level: {E(s.CoarseRule)}. Mean bootstrap ARI {(s.StabilityAri is { } ari ? N(ari) : "—")}.</p>\n");
        if (s.Intended is { } intended)
        {
            html.Append($"<p>Intended change: <i>{E(intended)}</i></p>\n");
        }

        html.Append("<h2>Shares per cluster</h2>\n").Append(SharesChart(report.Clusters));
        html.Append("<h2>Map of the responses</h2>\n<p class=\"muted\">First two principal components of the embeddings; a sample of at most ").Append(report.Map.Count).Append(" responses.</p>\n").Append(MapChart(report.Map));
        if (s.KCandidates.Count > 1)
        {
            html.Append("<h2>Choosing k</h2>\n").Append(SilhouetteChart(s));
        }

        html.Append("<h2>Coarse groups</h2>\n<table><tr><th>group</th><th>clusters</th><th>label</th><th>before</th><th>after</th><th>change</th><th>q</th><th>inside shift</th></tr>\n");
        foreach (var g in report.Coarse)
        {
            var cls = g.Impure ? "impure" : g.Significant ? "sig" : "";
            var inside = g.Split is { } sp ? $"AUC {N(sp.Auc)}, q {N(sp.QValue)}{(sp.Significant ? $": after leans to <i>{E(string.Join(", ", sp.AfterKeywords))}</i>, before to <i>{E(string.Join(", ", sp.BeforeKeywords))}</i>" : "")}" : "—";
            if (g.HeterogeneityQ is { } hq)
            {
                inside += $"; clusters' mix q {N(hq)}";
            }

            html.Append($"<tr class=\"{cls}\"><td>G{g.Id}</td><td>{string.Join(", ", g.Clusters.Select(c => "#" + c))}</td><td>{E(g.Label)}</td><td>{P(g.Shares.Before)} ({g.Counts.Before})</td><td>{P(g.Shares.After)} ({g.Counts.After})</td><td>{Signed(g.Difference)}</td><td>{N(g.QValue)}</td><td>{inside}</td></tr>\n");
        }

        html.Append("</table>\n<h2>Clusters</h2>\n");
        foreach (var c in report.Clusters.OrderBy(c => c.QValue).ThenBy(c => c.Id))
        {
            var cls = c.Impure ? "impure" : c.Significant ? "sig" : "";
            html.Append($"<h3 class=\"{cls}\">#{c.Id} {E(c.Label)} <span class=\"muted\">(group G{c.Coarse})</span></h3>\n<table>");
            html.Append($"<tr><th>keywords</th><td>{E(string.Join(", ", c.Keywords))}</td></tr>");
            html.Append($"<tr><th>share</th><td><span class=\"b\">{P(c.Shares.Before)}</span> ({c.Counts.Before}) → <span class=\"a\">{P(c.Shares.After)}</span> ({c.Counts.After}), {Signed(c.Difference)}; p {N(c.PValue)}, q {N(c.QValue)}{(c.Significant ? " — <b>significant</b>" : "")}</td></tr>");
            html.Append($"<tr><th>stability, cohesion</th><td>bootstrap Jaccard {(c.Stability is { } st ? N(st) : "—")}, silhouette {(c.Cohesion is { } co ? N(co) : "—")}</td></tr>");
            if (c.Validation is { } v)
            {
                html.Append($"<tr><th>label check</th><td>accuracy {N(v.Accuracy)}, AUC {N(v.Auc)}, purity {N(v.Purity)} on {v.Items} held-out items{(v.Reliable ? "" : " — <b>unreliable label</b>")}</td></tr>");
            }

            if (c.Split is { } split)
            {
                html.Append($"<tr><th>inside shift</th><td>AUC {N(split.Auc)}, p {N(split.PValue)}, q {N(split.QValue)}{(split.Significant ? $" — <b>impure</b>: after leans to <i>{E(string.Join(", ", split.AfterKeywords))}</i>, before to <i>{E(string.Join(", ", split.BeforeKeywords))}</i>" : "")}</td></tr>");
            }

            if (c.Verdict is { } verdict)
            {
                html.Append($"<tr><th>judge</th><td><b>{E(verdict.Verdict)}</b>: {E(verdict.Reason)}</td></tr>");
            }

            html.Append("<tr><th class=\"b\">before</th><td>").Append(Examples(c.Examples.Before)).Append("</td></tr>");
            html.Append("<tr><th class=\"a\">after</th><td>").Append(Examples(c.Examples.After)).Append("</td></tr></table>\n");
        }

        html.Append($"<p class=\"muted\">{E(commandLine)}</p>\n</body></html>\n");
        return html.ToString();
    }

    private static string Examples(IReadOnlyList<ExampleText> examples) =>
        examples.Count == 0 ? "<span class=\"muted\">none</span>" : string.Join("", examples.Select(e => $"<div class=\"ex\">• {E(e.Text.Length > 400 ? e.Text[..400] + "…" : e.Text)} <span class=\"muted\">[{E(e.Id)}]</span></div>"));

    private static string SharesChart(IReadOnlyList<ClusterReport> clusters)
    {
        const int rowHeight = 22, labelWidth = 300, barWidth = 420;
        var max = Math.Max(1e-9, clusters.Max(c => Math.Max(c.Shares.Before, c.Shares.After)));
        var svg = new StringBuilder();
        var height = (clusters.Count * rowHeight) + 30;
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{labelWidth + barWidth + 120}\" height=\"{height}\" font-size=\"11\">");
        for (var i = 0; i < clusters.Count; i++)
        {
            var c = clusters[i];
            var y = 10 + (i * rowHeight);
            var label = $"#{c.Id} {(c.Label.Length > 40 ? c.Label[..40] + "…" : c.Label)}";
            svg.Append($"<text x=\"{labelWidth - 6}\" y=\"{y + 13}\" text-anchor=\"end\"{(c.Significant ? " font-weight=\"bold\"" : "")}>{E(label)}</text>");
            svg.Append($"<rect x=\"{labelWidth}\" y=\"{y + 2}\" width=\"{N1(c.Shares.Before / max * barWidth)}\" height=\"8\" fill=\"{BeforeColour}\"><title>before {P(c.Shares.Before)}</title></rect>");
            svg.Append($"<rect x=\"{labelWidth}\" y=\"{y + 10}\" width=\"{N1(c.Shares.After / max * barWidth)}\" height=\"8\" fill=\"{AfterColour}\"><title>after {P(c.Shares.After)}</title></rect>");
            var note = (c.Significant ? $"q={N(c.QValue)} {(c.Direction == "up" ? "▲" : "▼")}" : "") + (c.Impure ? " impure" : "");
            svg.Append($"<text x=\"{labelWidth + (Math.Max(c.Shares.Before, c.Shares.After) / max * barWidth) + 6:F1}\" y=\"{y + 15}\">{E(note)}</text>");
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string MapChart(IReadOnlyList<MapPoint> points)
    {
        const int size = 520, pad = 10;
        if (points.Count == 0)
        {
            return "<p class=\"muted\">no points</p>";
        }

        double minX = points.Min(p => p.X), maxX = points.Max(p => p.X), minY = points.Min(p => p.Y), maxY = points.Max(p => p.Y);
        double spanX = Math.Max(1e-9, maxX - minX), spanY = Math.Max(1e-9, maxY - minY);
        var svg = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{size}\" height=\"{size}\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fafafa\" stroke=\"#ddd\"/>");
        foreach (var p in points)
        {
            var x = pad + ((p.X - minX) / spanX * (size - (2 * pad)));
            var y = size - pad - ((p.Y - minY) / spanY * (size - (2 * pad)));
            svg.Append($"<circle cx=\"{N1(x)}\" cy=\"{N1(y)}\" r=\"2.2\" fill=\"{(p.After ? AfterColour : BeforeColour)}\" fill-opacity=\"0.55\"><title>#{p.Cluster}</title></circle>");
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string SilhouetteChart(DiffSummary s)
    {
        const int width = 520, height = 160, pad = 30;
        var ks = s.KCandidates;
        double minK = ks.Min(c => c.K), maxK = Math.Max(minK + 1, ks.Max(c => c.K));
        double lo = ks.Min(c => c.Silhouette), hi = Math.Max(lo + 1e-9, ks.Max(c => c.Silhouette));
        string Point(KCandidateLike c) => $"{N1(pad + ((c.K - minK) / (maxK - minK) * (width - (2 * pad))))},{N1(height - pad - ((c.S - lo) / (hi - lo) * (height - (2 * pad))))}";
        var line = string.Join(" ", ks.Select(c => Point(new KCandidateLike(c.K, c.Silhouette))));
        var chosen = ks.First(c => c.K == s.K);
        return $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-size=\"11\"><polyline points=\"{line}\" fill=\"none\" stroke=\"#555\"/>" +
            $"<circle r=\"4\" fill=\"#c00\" cx=\"{Point(new KCandidateLike(chosen.K, chosen.Silhouette)).Split(',')[0]}\" cy=\"{Point(new KCandidateLike(chosen.K, chosen.Silhouette)).Split(',')[1]}\"/>" +
            $"<text x=\"{pad}\" y=\"{height - 8}\">k = {ks[0].K}</text><text x=\"{width - pad}\" y=\"{height - 8}\" text-anchor=\"end\">k = {ks[^1].K}</text><text x=\"{pad}\" y=\"14\">mean silhouette {N(lo)} … {N(hi)}; chosen k = {s.K}</text></svg>\n";
    }

    private readonly record struct KCandidateLike(int K, double S);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string N(double value) => value.ToString(Math.Abs(value) is > 0 and < 0.001 ? "0.00E+0" : "0.###", CultureInfo.InvariantCulture);

    private static string N1(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string P(double value) => (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Signed(double value) => (value >= 0 ? "+" : "−") + (Math.Abs(value) * 100).ToString("0.0", CultureInfo.InvariantCulture) + " pts";
}
