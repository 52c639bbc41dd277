using System.Text;
using Plumbline.Core.Text;

namespace Plumbline.Core.Privacy;

/// <summary>Redaction of a standalone text (a comment, a note, a cue, a commit message): each finding becomes its placeholder.</summary>
public static class TextRedaction
{
    public static (string Text, IReadOnlyList<Finding> Findings) Apply(SecretDetector detector, string text)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(text);
        var findings = detector.Detect(text);
        if (findings.Count == 0)
        {
            return (text, findings);
        }

        var builder = new StringBuilder(text.Length);
        var at = 0;
        foreach (var finding in findings)
        {
            var start = CodePoints.ToUtf16Index(text, finding.Start);
            var end = CodePoints.ToUtf16Index(text, finding.End);
            builder.Append(text, at, start - at).Append(finding.Kind.Placeholder());
            at = end;
        }

        builder.Append(text, at, text.Length - at);
        return (builder.ToString(), findings);
    }
}
