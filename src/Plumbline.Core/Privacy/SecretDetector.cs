using Plumbline.Core.Text;

namespace Plumbline.Core.Privacy;

/// <summary>
/// Finds secrets and personal data in a text: keys and tokens, private key blocks, passwords, e-mail addresses,
/// phone numbers, card numbers, IP addresses and the contributor's own terms (<see cref="Rules"/>). Pure and
/// thread-safe. Positions are Unicode code points; findings are sorted by start and never overlap: overlapping
/// findings merge into one covering them all, of the most severe kind (Secret &gt; Card &gt; Email &gt; Phone &gt; Ip &gt; Term).
/// </summary>
public sealed class SecretDetector
{
    /// <summary>How much text around a window is read from a <see cref="TextBuffer"/> at first (code points, each way).</summary>
    public const int BufferContext = Window.Context + 64;

    private const int LongLineContext = Window.Context + Window.MaxToken + 64;

    private readonly RuleSet _rules;

    public SecretDetector()
        : this(new SecretDetectorOptions())
    {
    }

    public SecretDetector(SecretDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid secret detector options: " + string.Join("; ", errors), nameof(options));
        }

        _rules = new RuleSet(options);
    }

    /// <summary>Every rule, with its name, kind and what it matches.</summary>
    public static IReadOnlyList<DetectorRule> Rules => DetectorRules.All;

    /// <summary>Every finding in <paramref name="text"/>.</summary>
    public IReadOnlyList<Finding> Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Finish(text, Scan(text, 0, text.Length), HasSurrogates(text));
    }

    /// <summary>
    /// The findings around the window [<paramref name="windowStart"/>, <paramref name="windowEnd"/>) (code points) of
    /// <paramref name="text"/>, for the region an edit touched, after every edit. The window is widened to whole lines
    /// (in a long line: to a blank about 256 characters away, keeping a token that crosses that point whole) and back to
    /// the BEGIN line of a private key block it lies in; every finding in the widened window is returned, except one
    /// that touches a cut made inside a long line away from the window (it may be cut short; the edit did not touch it).
    /// </summary>
    public IReadOnlyList<Finding> Detect(string text, int windowStart, int windowEnd)
    {
        ArgumentNullException.ThrowIfNull(text);
        var astral = HasSurrogates(text);
        var length = astral ? CodePoints.Count(text) : text.Length;
        CheckWindow(windowStart, windowEnd, length);
        var start = astral ? CodePoints.ToUtf16Index(text, windowStart) : windowStart;
        var end = astral ? CodePoints.ToUtf16Index(text, windowEnd) : windowEnd;
        var region = Window.Expand(text, start, end);
        var scan = Scan(text, region.Start, region.End);
        scan.Found.RemoveAll(f => (region.CutStart && f.Start == region.Start && f.End < start)
                                  || (region.CutEnd && f.End == region.End && f.Start > end));
        return Finish(text, scan, astral);
    }

    /// <summary>
    /// <see cref="Detect(string, int, int)"/> on a document held in a <see cref="TextBuffer"/>, reading only the text
    /// near the window (<see cref="BufferContext"/> each way; more in long lines and inside a private key block).
    /// </summary>
    public IReadOnlyList<Finding> Detect(TextBuffer text, int windowStart, int windowEnd)
    {
        ArgumentNullException.ThrowIfNull(text);
        var length = text.Length;
        CheckWindow(windowStart, windowEnd, length);
        var context = BufferContext;
        while (true)
        {
            var from = Math.Max(0, windowStart - context);
            var to = Math.Min(length, windowEnd + context);
            var slice = text.Substring(from, to - from);
            if (context < PrivateKeyRule.LookBehind && NeedsMore(slice, windowStart - from, windowEnd - from, from > 0, to < length, context) is > 0 and var more)
            {
                context = more;
                continue;
            }

            var found = Detect(slice, windowStart - from, windowEnd - from);
            if (to < length && context < PrivateKeyRule.LookBehind && found.Any(f => f.Rule == DetectorRules.PrivateKey && f.End == to - from))
            {
                context = PrivateKeyRule.LookBehind; // a block running to the end of the slice may end further on
                continue;
            }

            return from == 0 ? found : [.. found.Select(f => f with { Start = f.Start + from, End = f.End + from })];
        }
    }

    /// <summary>Whether the slice is too short to decide: the context to read instead, or 0.</summary>
    private static int NeedsMore(string slice, int windowStart, int windowEnd, bool moreBefore, bool moreAfter, int context)
    {
        var (start, end) = HasSurrogates(slice)
            ? (CodePoints.ToUtf16Index(slice, windowStart), CodePoints.ToUtf16Index(slice, windowEnd))
            : (windowStart, windowEnd);
        var lines = Window.Lines(slice, start, end);
        if (moreBefore && Window.InKeyBody(slice, lines.Start, lines.End) && PrivateKeyRule.OpenBlockStart(slice, lines.Start) < 0)
        {
            return PrivateKeyRule.LookBehind; // inside what may be a key block whose BEGIN line is further back
        }

        var reachesEdge = (moreBefore && lines.Start == 0) || (moreAfter && lines.End == slice.Length);
        return reachesEdge && context < LongLineContext ? LongLineContext : 0;
    }

    private Scan Scan(string text, int start, int end)
    {
        var scan = new Scan(text, start, end, _rules, depth: 0);
        Scanner.Run(scan);
        return scan;
    }

    private static List<Finding> Finish(string text, Scan scan, bool astral)
    {
        var merged = Merge(scan.Found);
        return astral ? ToCodePoints(text, merged) : merged;
    }

    /// <summary>Sorts by start and merges overlapping findings into one covering all of them, of the most severe kind.</summary>
    internal static List<Finding> Merge(List<Finding> found)
    {
        if (found.Count <= 1)
        {
            return found;
        }

        var ordered = found.Select((finding, index) => (Finding: finding, Index: index))
            .OrderBy(x => x.Finding.Start).ThenBy(x => x.Index).Select(x => x.Finding).ToList();
        var merged = new List<Finding>(ordered.Count);
        foreach (var finding in ordered)
        {
            if (merged.Count > 0 && finding.Start < merged[^1].End)
            {
                var last = merged[^1];
                var best = Wins(finding, last) ? finding : last;
                merged[^1] = best with { Start = last.Start, End = Math.Max(last.End, finding.End) };
            }
            else
            {
                merged.Add(finding);
            }
        }

        return merged;
    }

    /// <summary>More severe wins; between equals, the wider; between those, the one found first.</summary>
    private static bool Wins(Finding challenger, Finding holder)
    {
        var severity = challenger.Kind.Severity().CompareTo(holder.Kind.Severity());
        return severity > 0 || (severity == 0 && challenger.Length > holder.Length);
    }

    private static List<Finding> ToCodePoints(string text, List<Finding> findings)
    {
        var result = new List<Finding>(findings.Count);
        var utf16 = 0;
        var codePoint = 0;
        foreach (var finding in findings)
        {
            var start = Advance(finding.Start);
            var end = Advance(finding.End);
            result.Add(finding with { Start = start, End = end });
        }

        return result;

        int Advance(int target)
        {
            while (utf16 < target)
            {
                utf16 += char.IsHighSurrogate(text[utf16]) && utf16 + 1 < text.Length && char.IsLowSurrogate(text[utf16 + 1]) ? 2 : 1;
                codePoint++;
            }

            return codePoint;
        }
    }

    private static bool HasSurrogates(string text) => text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;

    private static void CheckWindow(int windowStart, int windowEnd, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(windowStart);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowEnd, windowStart);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(windowEnd, length);
    }
}
