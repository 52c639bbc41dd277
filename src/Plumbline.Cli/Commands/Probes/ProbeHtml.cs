using System.Globalization;
using System.Net;
using System.Text;
using Plumbline.Core.Supervision.Probes;
using Plumbline.Models.Probes;

namespace Plumbline.Cli.Commands.Probes;

/// <summary>The self-contained report.html pages of the probe verbs: inline CSS and SVG, nothing fetched.</summary>
internal static class ProbeHtml
{
    private const string Style = "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}th{background:#f3f3f3}.num{text-align:right;font-variant-numeric:tabular-nums}.warn{color:#a40}code{background:#f6f6f6;padding:0 .2em}svg text{font:12px system-ui,sans-serif}";

    public static string Evaluation(IReadOnlyList<ProbeResult> results, IReadOnlyList<ProbeComparison> comparisons, string runJson)
    {
        var html = Start("plumb probe eval");
        html.Append("<h1>Probe evaluation</h1><p>Matching-behaviour rate: the share of answered items whose answer is the one that shows the behaviour, with a 95% Wilson interval. Refusals and unparseable replies are counted apart and left out of the rate.</p>");
        html.Append(Chart(results));
        html.Append("<table><tr><th>items</th><th>model</th><th>n</th><th>answered</th><th>matching</th><th>rate</th><th>95% CI</th><th>refused</th><th>unparseable</th><th>P(matching) from log-probs</th></tr>");
        foreach (var r in results)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(r.Items)}</td><td>{E(r.Model)}</td><td class=num>{r.N}</td><td class=num>{r.Answered}</td><td class=num>{r.Matching}</td><td class=num>{F(r.MatchingRate)}</td><td class=num>[{F(r.Ci.Low)}, {F(r.Ci.High)}]</td><td class=num>{r.Refused}</td><td class=num>{r.Unparseable}</td><td class=num>{(r.MeanMatchingProbability is { } p ? $"{F(p)} (n={r.WithProbability})" : "—")}</td></tr>");
        }

        html.Append("</table>");
        if (comparisons.Count > 0)
        {
            html.Append("<h2>Model differences</h2><p>On the items both models answered: McNemar's exact test on the discordant pairs, and a paired bootstrap 95% interval of the rate difference (first − second).</p>");
            html.Append("<table><tr><th>items</th><th>first</th><th>second</th><th>pairs</th><th>both match</th><th>only first</th><th>only second</th><th>neither</th><th>difference</th><th>95% CI</th><th>McNemar p</th></tr>");
            foreach (var c in comparisons)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(c.Items)}</td><td>{E(c.First)}</td><td>{E(c.Second)}</td><td class=num>{c.Pairs}</td><td class=num>{c.BothMatch}</td><td class=num>{c.OnlyFirst}</td><td class=num>{c.OnlySecond}</td><td class=num>{c.Neither}</td><td class=num>{F(c.Difference)}</td><td class=num>[{F(c.DifferenceCi.Low)}, {F(c.DifferenceCi.High)}]</td><td class=num>{c.PValue.ToString("G4", CultureInfo.InvariantCulture)}</td></tr>");
            }

            html.Append("</table>");
        }

        return End(html, runJson);
    }

    public static string Generation(ProbeSubtask subtask, GenerationResult result, int wanted, string runJson)
    {
        var html = Start("plumb probe generate");
        html.Append(CultureInfo.InvariantCulture, $"<h1>Probe generation: {E(subtask.Title)}</h1><p>{E(subtask.Definition)}</p>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{result.Candidates} candidates asked for, {result.Items.Count} kept (wanted {wanted}).</p>");
        html.Append("<h2>What each filter removed</h2>");
        var max = Math.Max(1, result.RemovedBy.Values.Max());
        html.Append(CultureInfo.InvariantCulture, $"<svg width=520 height={(result.RemovedBy.Count * 24) + 10} role=img aria-label='removals per filter'>");
        var y = 5;
        foreach (var (filter, count) in result.RemovedBy)
        {
            var width = 300.0 * count / max;
            html.Append(CultureInfo.InvariantCulture, $"<text x=0 y={y + 15}>{E(filter)}</text><rect x=110 y={y + 3} width={width:0.#} height=16 fill='#c66'/><text x={115 + width:0.#} y={y + 15}>{count}</text>");
            y += 24;
        }

        html.Append("</svg>");
        var balance = result.Balance;
        html.Append(CultureInfo.InvariantCulture, $"<h2>Answer balance</h2><p class='{(balance.Balanced ? string.Empty : "warn")}'>Before balancing: {E(Counts(balance.Before))} — {(balance.Balanced ? "balanced" : "unbalanced")}. After: {E(Counts(balance.After))}.</p>");
        var bias = result.Bias;
        html.Append(CultureInfo.InvariantCulture, $"<h2>Phrasing bias</h2><p class='{(bias.Flagged ? "warn" : string.Empty)}'>A naive Bayes classifier on surface features predicts the matching answer with {bias.Folds}-fold cross-validated accuracy {F(bias.Accuracy)} (chance {F(bias.Chance)}, one-sided binomial p = {bias.PValue.ToString("G4", CultureInfo.InvariantCulture)}): {(bias.Flagged ? "FLAGGED — the answer can be read off the phrasing" : "near chance")}.</p>");
        if (bias.TopFeatures.Count > 0)
        {
            html.Append("<table><tr><th>feature</th><th>favours</th><th>log ratio</th></tr>");
            foreach (var f in bias.TopFeatures)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td><code>{E(f.Feature)}</code></td><td>{E(f.Label)}</td><td class=num>{F(f.LogRatio)}</td></tr>");
            }

            html.Append("</table>");
        }

        html.Append("<h2>Removed candidates</h2><table><tr><th>#</th><th>filter</th><th>reason</th><th>question</th></tr>");
        foreach (var r in result.Removed)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td class=num>{r.Candidate}</td><td>{E(r.Filter)}</td><td>{E(r.Reason)}</td><td>{E(r.Question ?? string.Empty)}</td></tr>");
        }

        html.Append("</table>");
        return End(html, runJson);
    }

    private static string Chart(IReadOnlyList<ProbeResult> results)
    {
        const int Row = 22, Label = 330, Width = 360;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg width={Label + Width + 70} height={(results.Count * Row) + 30} role=img aria-label='matching rates with 95% intervals'>");
        for (var t = 0; t <= 4; t++)
        {
            var x = Label + (Width * t / 4.0);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1={x:0.#} x2={x:0.#} y1=0 y2={results.Count * Row} stroke='#ddd'/><text x={x - 8:0.#} y={(results.Count * Row) + 16}>{t / 4.0:0.##}</text>");
        }

        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            var y = i * Row;
            var name = r.Items.Length > 38 ? "…" + r.Items[^37..] : r.Items;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=0 y={y + 15}>{E(name)} · {E(Short(r.Model))}</text>");
            if (r.MatchingRate is { } rate)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<rect x={Label} y={y + 4} width={Width * rate:0.#} height=13 fill='#69c'/>");
                svg.Append(CultureInfo.InvariantCulture, $"<line x1={Label + (Width * r.Ci.Low):0.#} x2={Label + (Width * r.Ci.High):0.#} y1={y + 10} y2={y + 10} stroke='#222' stroke-width=2/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x={Label + Width + 6} y={y + 15}>{rate:0.000}</text>");
            }
        }

        return svg.Append("</svg>").ToString();
    }

    private static string Short(string model) => model.Length > 24 ? model[..23] + "…" : model;

    private static string Counts(IReadOnlyDictionary<string, int> counts) => string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"));

    private static StringBuilder Start(string title) => new StringBuilder()
        .Append("<!doctype html><html lang=en><head><meta charset=utf-8><title>").Append(E(title)).Append("</title><style>").Append(Style).Append("</style></head><body>");

    private static string End(StringBuilder html, string runJson) =>
        html.Append("<h2>Run</h2><pre>").Append(E(runJson)).Append("</pre></body></html>\n").ToString();

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string F(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "—";
}
