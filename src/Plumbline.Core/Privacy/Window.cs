using System.Buffers;

namespace Plumbline.Core.Privacy;

/// <summary>How a window is widened before scanning (UTF-16 indices).</summary>
internal static class Window
{
    /// <summary>A window grows to whole lines, but by at most this many characters each way before it is cut at a blank.</summary>
    public const int Context = 256;

    /// <summary>How far beyond <see cref="Context"/> a cut may move to reach a blank (the longest token kept whole).</summary>
    public const int MaxToken = 768;

    private static readonly SearchValues<char> Base64Characters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    /// <summary>A widened window; <see cref="CutStart"/>/<see cref="CutEnd"/> when it ends inside a line, at a blank.</summary>
    public readonly record struct Region(int Start, int End, bool CutStart, bool CutEnd);

    /// <summary>
    /// [start, end) widened to whole lines (long lines: to a blank about <see cref="Context"/> away), and back to the
    /// BEGIN line of a private key block the window is inside of.
    /// </summary>
    public static Region Expand(string text, int start, int end)
    {
        var region = Lines(text, start, end);
        if (InKeyBody(text, region.Start, region.End) && PrivateKeyRule.OpenBlockStart(text, region.Start) is >= 0 and var block)
        {
            region = region with { Start = block, CutStart = false };
        }

        return region;
    }

    public static Region Lines(string text, int start, int end)
    {
        var (from, cutStart) = LineStart(text, start);
        var (to, cutEnd) = LineEnd(text, end);
        return new Region(from, to, cutStart, cutEnd);
    }

    /// <summary>
    /// Whether the lines [<paramref name="start"/>, <paramref name="end"/>) may be inside a private key block: each is
    /// base64 (a body line being typed) or starts with ----- (an END line being typed), and so is the line above: 40 or
    /// more base64 characters (any number above an END line) or a line starting with -----.
    /// </summary>
    public static bool InKeyBody(string text, int start, int end)
    {
        var lines = text.AsSpan(start, end - start);
        var endLine = false;
        foreach (var range in lines.SplitAny('\n', '\r'))
        {
            var line = lines[range].Trim();
            if (!line.IsEmpty && !IsKeyLine(line, 1))
            {
                return false;
            }

            endLine |= line.StartsWith("-----", StringComparison.Ordinal);
        }

        var above = text.AsSpan(0, start).TrimEnd("\r\n");
        var lineStart = above.LastIndexOfAny('\n', '\r') + 1;
        return IsKeyLine(above[lineStart..].Trim(), endLine ? 1 : 40);
    }

    private static bool IsKeyLine(ReadOnlySpan<char> line, int minimum) =>
        line.StartsWith("-----", StringComparison.Ordinal) || (line.Length >= minimum && !line.ContainsAnyExcept(Base64Characters));

    private static (int Index, bool Cut) LineStart(string text, int start)
    {
        var low = Math.Max(0, start - Context);
        if (text.AsSpan(low, start - low).LastIndexOfAny('\n', '\r') is >= 0 and var newline)
        {
            return (low + newline + 1, false);
        }

        if (low == 0)
        {
            return (0, false);
        }

        var reach = Math.Max(0, low - MaxToken);
        var blank = text.AsSpan(reach, low - reach).LastIndexOfAny(" \t\n\r");
        var from = blank >= 0 ? reach + blank + 1 : reach;
        return (from, from > 0 && text[from - 1] is not ('\n' or '\r'));
    }

    private static (int Index, bool Cut) LineEnd(string text, int end)
    {
        var high = Math.Min(text.Length, end + Context);
        if (text.AsSpan(end, high - end).IndexOfAny('\n', '\r') is >= 0 and var newline)
        {
            return (end + newline, false);
        }

        if (high == text.Length)
        {
            return (high, false);
        }

        var reach = Math.Min(text.Length, high + MaxToken);
        var blank = text.AsSpan(high, reach - high).IndexOfAny(" \t\n\r");
        var to = blank >= 0 ? high + blank : reach;
        return (to, to < text.Length && text[to] is not ('\n' or '\r'));
    }
}
