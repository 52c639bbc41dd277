using System.Globalization;
using System.Text;

namespace Plumbline.Bench.Infrastructure;

/// <summary>The markdown report: a headline table filled by every suite, then one section per suite.</summary>
internal sealed class Report
{
    private readonly StringBuilder _sections = new();
    private readonly List<string[]> _headlines = [];

    /// <summary>A key number for the table at the top of the report.</summary>
    public void Headline(string metric, string value, string target = "", string note = "") =>
        _headlines.Add([metric, value, target, note]);

    public void Section(string title) => _sections.Append(CultureInfo.InvariantCulture, $"\n## {title}\n\n");

    public void Paragraph(string text) => _sections.Append(text).Append("\n\n");

    public void Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows) =>
        _sections.Append(Markdown(header, rows)).Append('\n');

    public string Render(IEnumerable<string> preamble)
    {
        var text = new StringBuilder("# Plumbline storage benchmark\n\n");
        foreach (var line in preamble)
        {
            text.Append(line).Append('\n');
        }

        text.Append("\n## Headline numbers\n\n");
        text.Append(Markdown(["metric", "value", "target", "note"], _headlines));
        text.Append(_sections);
        return text.ToString();
    }

    private static string Markdown(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", header).Append(" |\n");
        text.Append('|').AppendJoin('|', header.Select(_ => "---")).Append("|\n");
        foreach (var row in rows)
        {
            text.Append("| ").AppendJoin(" | ", row.Select(cell => cell.Replace("|", "\\|", StringComparison.Ordinal))).Append(" |\n");
        }

        return text.ToString();
    }
}

/// <summary>Number formats used throughout the report.</summary>
internal static class Format
{
    public static string Ms(double ms) => ms >= 100 ? ms.ToString("N0", CultureInfo.InvariantCulture) : ms.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Count(double n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Ratio(double x) => x.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    public static string Bytes(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Kib(long n) => (n / 1024.0).ToString("N1", CultureInfo.InvariantCulture) + " KiB";

    public static string Mib(long n) => (n / (1024.0 * 1024.0)).ToString("N2", CultureInfo.InvariantCulture) + " MiB";
}
