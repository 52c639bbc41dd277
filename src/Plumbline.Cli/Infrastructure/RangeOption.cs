using System.Globalization;
using Plumbline.Core;

namespace Plumbline.Cli.Infrastructure;

/// <summary>The <c>--range START:END</c> option (code points at a revision) of the verbs that mark text.</summary>
internal static class RangeOption
{
    public static (int Start, int End) Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length == 2 &&
            int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start) &&
            int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end))
        {
            return (start, end);
        }

        throw PlumblineException.BadInput($"--range: '{text}' is not START:END (two non-negative integers)");
    }
}
