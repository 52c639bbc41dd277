using Plumbline.Core.Privacy;
using Plumbline.Core.Text;

namespace Plumbline.Core.Tests.Privacy;

/// <summary>Findings as (kind, the text they cover, rule), for readable exact assertions.</summary>
internal static class Found
{
    public static List<(FindingKind Kind, string Text, string Rule)> In(string text, params string[] terms) =>
        Describe(text, new SecretDetector(new SecretDetectorOptions { Terms = terms }).Detect(text));

    public static List<(FindingKind Kind, string Text, string Rule)> Describe(string text, IEnumerable<Finding> findings) =>
        [.. findings.Select(f => (f.Kind, Covered(text, f), f.Rule))];

    /// <summary>The text a finding covers (its positions are code points).</summary>
    public static string Covered(string text, Finding finding)
    {
        var start = CodePoints.ToUtf16Index(text, finding.Start);
        var end = CodePoints.ToUtf16Index(text, finding.End);
        return text[start..end];
    }

    public static (FindingKind, string, string) Secret(string text, string rule) => (FindingKind.Secret, text, rule);
}
