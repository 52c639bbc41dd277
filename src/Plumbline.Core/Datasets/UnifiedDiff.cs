using System.Globalization;
using System.Text;

namespace Plumbline.Core.Datasets;

/// <summary>Unified diffs of one region of a text (one hunk), as <c>diff -u</c> writes them.</summary>
public static class UnifiedDiff
{
    /// <summary>
    /// The hunk turning <paramref name="before"/> into <paramref name="after"/>, two runs of whole lines that start
    /// at line <paramref name="firstLine"/> (1-based) of their texts. Leading and trailing lines both share are
    /// context; the rest is removed then added. Empty when the two are equal.
    /// </summary>
    public static string Hunk(string before, string after, int firstLine)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentOutOfRangeException.ThrowIfLessThan(firstLine, 1);
        if (before == after)
        {
            return "";
        }

        var a = before.Split('\n');
        var b = after.Split('\n');
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)])
        {
            suffix++;
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"@@ -{Range(firstLine, a.Length)} +{Range(firstLine, b.Length)} @@\n");
        for (var i = 0; i < prefix; i++)
        {
            text.Append(' ').Append(a[i]).Append('\n');
        }

        for (var i = prefix; i < a.Length - suffix; i++)
        {
            text.Append('-').Append(a[i]).Append('\n');
        }

        for (var i = prefix; i < b.Length - suffix; i++)
        {
            text.Append('+').Append(b[i]).Append('\n');
        }

        for (var i = a.Length - suffix; i < a.Length; i++)
        {
            text.Append(' ').Append(a[i]).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A whole-file diff of <paramref name="path"/> (for commits): <c>--- a/PATH</c>, <c>+++ b/PATH</c>, then the hunk.</summary>
    public static string File(string path, string before, string after)
    {
        ArgumentNullException.ThrowIfNull(path);
        var hunk = Hunk(before, after, 1);
        return hunk.Length == 0 ? "" : $"--- a/{path}\n+++ b/{path}\n{hunk}";
    }

    private static string Range(int start, int count) => count == 1
        ? start.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{start},{count}");
}
