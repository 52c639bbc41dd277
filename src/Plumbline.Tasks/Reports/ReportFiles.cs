using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plumbline.Core.Supervision.Tasks;

namespace Plumbline.Tasks.Reports;

/// <summary>A bar of the report chart: a rate with its interval, and optionally the random-guess baseline's expectation and 95% range.</summary>
public sealed record ChartBar(string Label, Proportion Rate, GuessBaseline? Baseline = null);

/// <summary>Writes <c>report.json</c> and a self-contained <c>report.html</c> (inline SVG, no scripts, opens offline) into a folder.</summary>
public static class ReportFiles
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A proportion as JSON: <c>{"successes", "trials", "value", "ci": [lo, hi]}</c>.</summary>
    public static JsonObject Json(Proportion p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new JsonObject
        {
            ["successes"] = p.Successes,
            ["trials"] = p.Trials,
            ["value"] = p.Value is { } v ? Math.Round(v, 6) : null,
            ["ci"] = new JsonArray(Math.Round(p.Low, 6), Math.Round(p.High, 6)),
        };
    }

    /// <summary>A baseline as JSON: <c>{"expected", "range": [lo, hi], "p_value"}</c>.</summary>
    public static JsonObject Json(GuessBaseline b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return new JsonObject
        {
            ["expected"] = Math.Round(b.Expected, 6),
            ["range"] = new JsonArray(Math.Round(b.Low, 6), Math.Round(b.High, 6)),
            ["p_value"] = Math.Round(b.PValue, 8),
        };
    }

    /// <summary>Writes both files (each through a temporary file, so a failure leaves no half-written report).</summary>
    public static async Task WriteAsync(string folder, JsonObject report, string title, IReadOnlyList<ChartBar> bars, IReadOnlyList<(string Heading, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)> tables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(folder);
        await WriteAtomicAsync(Path.Combine(folder, "report.json"), report.ToJsonString(Indented) + "\n", cancellationToken);
        await WriteAtomicAsync(Path.Combine(folder, "report.html"), Html(title, report, bars, tables), cancellationToken);
    }

    private static async Task WriteAtomicAsync(string path, string text, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp-" + Environment.ProcessId;
        await File.WriteAllTextAsync(temporary, text, new UTF8Encoding(false), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    private static string Html(string title, JsonObject report, IReadOnlyList<ChartBar> bars, IReadOnlyList<(string Heading, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)> tables)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title>\n<style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;max-width:72em;color:#222}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}th{background:#f4f4f4}")
            .Append("pre{background:#f7f7f7;padding:.6em;overflow:auto;max-height:20em}.n{text-align:right}")
            .Append("</style></head><body>\n<h1>").Append(E(title)).Append("</h1>\n");
        html.Append(Chart(bars));
        foreach (var (heading, columns, rows) in tables)
        {
            html.Append("<h2>").Append(E(heading)).Append("</h2>\n<table><tr>");
            foreach (var c in columns)
            {
                html.Append("<th>").Append(E(c)).Append("</th>");
            }

            html.Append("</tr>\n");
            foreach (var row in rows)
            {
                html.Append("<tr>");
                foreach (var cell in row)
                {
                    html.Append(cell.Contains('\n', StringComparison.Ordinal) ? "<td><pre>" + E(cell) + "</pre></td>" : "<td>" + E(cell) + "</td>");
                }

                html.Append("</tr>\n");
            }

            html.Append("</table>\n");
        }

        html.Append("<h2>Run</h2>\n<pre>").Append(E(report["run"]?.ToJsonString(Indented) ?? "{}")).Append("</pre>\n</body></html>\n");
        return html.ToString();
    }

    /// <summary>Horizontal bars from 0 to 1: the rate as a bar, its 95% interval as a whisker, the baseline's 95% range as a grey band with its expectation as a tick.</summary>
    private static string Chart(IReadOnlyList<ChartBar> bars)
    {
        const int left = 170, width = 480, row = 34;
        var height = (bars.Count * row) + 40;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{left + width + 80}\" height=\"{height}\" role=\"img\" aria-label=\"rates with 95% intervals\">\n");
        for (var t = 0; t <= 10; t += 2)
        {
            var x = left + (width * t / 10.0);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.#}\" y1=\"10\" x2=\"{x:0.#}\" y2=\"{height - 24}\" stroke=\"#eee\"/><text x=\"{x:0.#}\" y=\"{height - 8}\" font-size=\"11\" text-anchor=\"middle\">{t / 10.0:0.0}</text>\n");
        }

        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = 14 + (i * row);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 8}\" y=\"{y + 15}\" font-size=\"13\" text-anchor=\"end\">{E(bar.Label)}</text>\n");
            if (bar.Baseline is { } b)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left + (width * b.Low):0.#}\" y=\"{y}\" width=\"{Math.Max(1, width * (b.High - b.Low)):0.#}\" height=\"22\" fill=\"#ddd\"><title>random guess: {b.Expected:0.###} expected, 95% range {b.Low:0.###}–{b.High:0.###}</title></rect>\n");
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left + (width * b.Expected):0.#}\" y1=\"{y - 2}\" x2=\"{left + (width * b.Expected):0.#}\" y2=\"{y + 24}\" stroke=\"#888\" stroke-dasharray=\"3,2\"/>\n");
            }

            var value = bar.Rate.Value ?? 0;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{y + 5}\" width=\"{width * value:0.#}\" height=\"12\" fill=\"#4a7ab5\"><title>{bar.Rate.Successes}/{bar.Rate.Trials} = {value:0.###}</title></rect>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left + (width * bar.Rate.Low):0.#}\" y1=\"{y + 11}\" x2=\"{left + (width * bar.Rate.High):0.#}\" y2=\"{y + 11}\" stroke=\"#111\" stroke-width=\"1.5\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + width + 6}\" y=\"{y + 15}\" font-size=\"12\">{(bar.Rate.Value is null ? "n/a" : value.ToString("0.000", CultureInfo.InvariantCulture))}</text>\n");
        }

        svg.Append("</svg>\n<p>Bars: the rate; black line: its 95% Wilson interval; grey band and dashed line: what a random guesser scores (95% range and expectation, exact).</p>\n");
        return svg.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
