using Plumbline.Core.Text;
using Plumbline.Core.Text.Diff;

namespace Plumbline.Core.Privacy;

/// <summary>
/// The characters a redacted span reaches through the history (<see cref="Ids"/>, to pass to
/// <see cref="HistoryRedactor.RedactCharacters"/>): the span's own characters (<see cref="SpanCharacters"/>), the
/// characters of <see cref="Copies"/> older copies of its text (stretches of deleted text; copies that touch count once) the contributor wrote and deleted
/// (<see cref="CopyCharacters"/>), and the characters they typed inside the span while it existed and deleted
/// (<see cref="TypedInside"/>). <see cref="OthersLeft"/>: characters that would have been reached but another
/// contributor wrote them, so they stay.
/// </summary>
public sealed record SpanReach(IReadOnlySet<int> Ids, int SpanCharacters, int Copies, int CopyCharacters, int TypedInside, int OthersLeft);

public static partial class HistoryRedactor
{
    /// <summary>Spans shorter than this have no copies looked for: two letters of text are everywhere.</summary>
    public const int ShortestCopiedSpan = 3;

    /// <summary>
    /// What redacting code points [<paramref name="from"/>, <paramref name="to"/>) of the last revision's text reaches,
    /// beyond the characters themselves (which keep their identity however the text around them changes):
    /// <list type="number">
    /// <item><b>Older copies.</b> Text cut and pasted back, undone and redone, or deleted and typed again is new
    /// characters with the same content, so the earlier ones are not the span's. Every character the history ever held
    /// is put in one order that agrees with every revision (<see cref="CharacterHistory"/>); the deleted ones, in that
    /// order, are searched for the span's text: exact runs of a few code points seed a window, the span is aligned with
    /// the window by a shortest edit script (Myers' O(ND) diff on code points), and every stretch of matched blocks
    /// joined by small gaps (at most 4 code points between blocks of 3 or more, 1 next to a shorter block) that matches
    /// at least min(12, ⌈0.8·length⌉) code points of the span with a similarity 2·matched/(span part + copy part) of at
    /// least 0.8, and that holds an anchor — a matched run of at least 8 code points (fewer for a short span) whose text
    /// stands nowhere in the last revision but in the span — is an older copy, partial or whole, with its small
    /// differences (typos, an edit in between), and up to 3 differing code points at an end where the span goes on.
    /// Without an anchor a stretch only shares text that is common in the document (an identifier, a phrase used
    /// elsewhere): that is not a copy of the span.</item>
    /// <item><b>Text typed inside.</b> A deleted character inserted strictly inside the span — with a character of the
    /// span before it and one after it already in the text when it was typed — was part of the span while it
    /// existed.</item>
    /// </list>
    /// Only characters for which <paramref name="own"/> is true of the revision that inserted them (0: the start text) are
    /// reached; another contributor's characters in an older copy or typed inside the span stay as they were. Characters
    /// still in the last revision outside the span are never reached, whatever their text.
    /// </summary>
    public static SpanReach ReachSpan(string start, IReadOnlyList<Patch[]> revisions, int from, int to, Func<int, bool> own)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(revisions);
        ArgumentNullException.ThrowIfNull(own);
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        var history = CharacterHistory.Replay(start, revisions);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(to, history.Final.Length);
        var span = history.Final[from..to];
        var reached = new HashSet<int>(span);
        if (span.Length == 0)
        {
            return new SpanReach(reached, 0, 0, 0, 0, 0);
        }

        var ownCache = new Dictionary<int, bool>();
        bool Own(int id)
        {
            var revision = history.Revisions[id];
            if (!ownCache.TryGetValue(revision, out var mine))
            {
                mine = own(revision);
                ownCache[revision] = mine;
            }

            return mine;
        }

        var others = new HashSet<int>();
        var typedInside = TypedInside(history, span, reached, Own, others);
        var (copies, copyCharacters) = Copies(history, span, from, reached, Own, others);
        return new SpanReach(reached, span.Length, copies, copyCharacters, typedInside, others.Count);
    }

    /// <summary>Deleted characters inserted when a character of the span was already before them and another after them.</summary>
    private static int TypedInside(CharacterHistory history, int[] span, HashSet<int> reached, Func<int, bool> own, HashSet<int> others)
    {
        var positions = span.Select(id => history.OrderOf[id]).ToArray();
        var (lo, hi) = (positions.Min(), positions.Max());
        var inSpan = new HashSet<int>(span);

        // earliest[i]: the earliest step at which a character of the span at or after order index lo + i (from the right) was in the text.
        var fromRight = new int[hi - lo + 1];
        var earliest = int.MaxValue;
        for (var i = hi; i >= lo; i--)
        {
            var id = history.Order[i];
            if (inSpan.Contains(id))
            {
                earliest = Math.Min(earliest, history.Inserted[id]);
            }

            fromRight[i - lo] = earliest;
        }

        var count = 0;
        var fromLeft = int.MaxValue;
        for (var i = lo; i <= hi; i++)
        {
            var id = history.Order[i];
            if (inSpan.Contains(id))
            {
                fromLeft = Math.Min(fromLeft, history.Inserted[id]);
                continue;
            }

            // Characters of the span never leave (they are in the last revision), so "already in the text" is "inserted no later".
            var step = history.Inserted[id];
            if (history.Deleted[id] == CharacterHistory.Alive || fromLeft > step || fromRight[i - lo] > step)
            {
                continue;
            }

            if (!own(id))
            {
                others.Add(id);
            }
            else if (reached.Add(id))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Older copies of the span's text among the deleted characters: (copies, characters reached).</summary>
    private static (int Copies, int Characters) Copies(CharacterHistory history, int[] span, int from, HashSet<int> reached, Func<int, bool> own, HashSet<int> others)
    {
        if (span.Length < ShortestCopiedSpan)
        {
            return (0, 0);
        }

        var pattern = span.Select(id => history.CodePoints[id]).ToArray();
        var dead = history.Order.Where(id => history.Deleted[id] != CharacterHistory.Alive).ToArray();
        var final = history.Final.Select(id => history.CodePoints[id]).ToArray();
        var (before, after) = (final.AsSpan(0, from).ToArray(), final.AsSpan(from + span.Length).ToArray());
        var elsewhere = new Dictionary<(int, int), bool>();
        bool StandsElsewhere(int start, int length)
        {
            if (!elsewhere.TryGetValue((start, length), out var found))
            {
                var part = pattern.AsSpan(start, length);
                found = before.AsSpan().IndexOf(part) >= 0 || after.AsSpan().IndexOf(part) >= 0;
                elsewhere[(start, length)] = found;
            }

            return found;
        }

        // Two views of the deleted text: all of it, and without transient text, typed between deleted characters and
        // deleted before them (so an older copy with words typed into it and taken out again reads as it stood).
        var rawIndex = new Dictionary<int, int>(dead.Length);
        for (var i = 0; i < dead.Length; i++)
        {
            rawIndex[dead[i]] = i;
        }

        var views = new List<int[]> { dead };
        // Runs of neighbours deleted by the same patch, to step over in one go.
        var (runFirst, runLast) = (new int[dead.Length], new int[dead.Length]);
        for (var i = 0; i < dead.Length; i++)
        {
            runFirst[i] = i > 0 && history.Deleted[dead[i - 1]] == history.Deleted[dead[i]] ? runFirst[i - 1] : i;
        }

        for (var i = dead.Length - 1; i >= 0; i--)
        {
            runLast[i] = i + 1 < dead.Length && history.Deleted[dead[i + 1]] == history.Deleted[dead[i]] ? runLast[i + 1] : i;
        }

        var settled = dead.Where((_, i) => !(Outlived(history, dead, runFirst, i, -1) && Outlived(history, dead, runLast, i, +1))).ToArray();
        if (settled.Length < dead.Length)
        {
            views.Add(settled);
        }

        var copies = new List<(int First, int Last)>();
        var characters = 0;
        foreach (var view in views)
        {
            var text = view.Select(id => history.CodePoints[id]).ToArray();
            foreach (var (lo, hi) in CopyWindows(pattern, text))
            {
                foreach (var (start, end) in CopyMatches(pattern, text[lo..hi], StandsElsewhere))
                {
                    // In the raw order, from the copy's first character to its last, with whatever was typed inside it.
                    var (first, last) = (rawIndex[view[lo + start]], rawIndex[view[lo + end - 1]]);
                    var mine = false;
                    for (var i = first; i <= last; i++)
                    {
                        var id = dead[i];
                        if (!own(id))
                        {
                            others.Add(id);
                            continue;
                        }

                        mine = true;
                        if (reached.Add(id))
                        {
                            characters++;
                        }
                    }

                    if (mine)
                    {
                        copies.Add((first, last));
                    }
                }
            }
        }

        // A copy found in both views, or in two overlapping windows, is one copy.
        var distinct = 0;
        var reachedTo = -1;
        foreach (var (first, last) in copies.OrderBy(c => c.First))
        {
            distinct += first > reachedTo ? 1 : 0;
            reachedTo = Math.Max(reachedTo, last);
        }

        return (distinct, characters);
    }

    private const int EndDifference = 3;

    private const int AnchorLength = 8;

    private const int TransientReach = 256;

    /// <summary>
    /// Whether the deleted character at <paramref name="i"/> of <paramref name="dead"/>, looking one way (the other way is
    /// asked separately: a character typed between two deleted characters that were there before it and stayed after it
    /// was deleted is transient), was outlived: past characters typed later or deleted with it (at most
    /// <see cref="TransientReach"/> steps, a run deleted together being one; <paramref name="runEdge"/>: the far end of
    /// each such run in this direction), the first one typed earlier was deleted later.
    /// </summary>
    private static bool Outlived(CharacterHistory history, int[] dead, int[] runEdge, int i, int direction)
    {
        var c = dead[i];
        for (var (j, steps) = (runEdge[i] + direction, 0); j >= 0 && j < dead.Length && steps < TransientReach; j += direction, steps++)
        {
            var o = dead[j];
            if (history.Deleted[o] == history.Deleted[c])
            {
                j = runEdge[j];
                continue;
            }

            if (history.Inserted[o] >= history.Inserted[c])
            {
                continue;
            }

            return history.Deleted[o] > history.Deleted[c];
        }

        return false;
    }

    /// <summary>The fewest code points of the span an older copy must match.</summary>
    internal static int CopyMinimum(int spanLength) => Math.Min(12, (int)Math.Ceiling(0.8 * spanLength));

    /// <summary>
    /// Windows [lo, hi) of <paramref name="text"/> that may hold a copy of <paramref name="pattern"/>: every exact match of
    /// one of its k-grams (k = half the minimum match, 2 to 8; all-whitespace ones skipped) puts the pattern on a
    /// diagonal; diagonals within a quarter of the pattern of each other share a window, widened by that much on each side.
    /// </summary>
    internal static List<(int Lo, int Hi)> CopyWindows(int[] pattern, int[] text)
    {
        var k = Math.Clamp(CopyMinimum(pattern.Length) / 2, 2, 8);
        var windows = new List<(int, int)>();
        if (pattern.Length < k || text.Length < k)
        {
            return windows;
        }

        var grams = new Dictionary<ulong, List<int>>();
        for (var o = 0; o + k <= pattern.Length; o++)
        {
            if (pattern.AsSpan(o, k).ToArray().All(c => c < 0x10000 && char.IsWhiteSpace((char)c)))
            {
                continue;
            }

            var hash = Hash(pattern.AsSpan(o, k));
            if (!grams.TryGetValue(hash, out var offsets))
            {
                grams[hash] = offsets = [];
            }

            offsets.Add(o);
        }

        var diagonals = new SortedSet<int>();
        for (var q = 0; q + k <= text.Length; q++)
        {
            if (grams.TryGetValue(Hash(text.AsSpan(q, k)), out var offsets))
            {
                foreach (var o in offsets)
                {
                    if (pattern.AsSpan(o, k).SequenceEqual(text.AsSpan(q, k)))
                    {
                        diagonals.Add(q - o);
                    }
                }
            }
        }

        var slack = Math.Max(4, pattern.Length / 4);
        int? first = null;
        var last = 0;
        foreach (var d in diagonals)
        {
            if (first is { } f && d - last > slack)
            {
                windows.Add((Math.Max(0, f - slack), Math.Min(text.Length, last + pattern.Length + slack)));
                first = null;
            }

            first ??= d;
            last = d;
        }

        if (first is { } open)
        {
            windows.Add((Math.Max(0, open - slack), Math.Min(text.Length, last + pattern.Length + slack)));
        }

        return windows;
    }

    /// <summary>
    /// The stretches [start, end) of <paramref name="window"/> that are copies of part of <paramref name="pattern"/>: the
    /// matched blocks of a shortest edit script from the pattern to the window, chained across small gaps, kept when
    /// they match enough of the pattern closely enough (see <see cref="ReachSpan"/>).
    /// </summary>
    /// <param name="standsElsewhere">Whether pattern[start, start + length) also stands in the last revision outside the span (null: never).</param>
    internal static List<(int Start, int End)> CopyMatches(int[] pattern, int[] window, Func<int, int, bool>? standsElsewhere = null)
    {
        var matches = new List<(int, int)>();
        var blocks = CommonBlocks(pattern, window);
        var minimum = CopyMinimum(pattern.Length);
        var i = 0;
        while (i < blocks.Count)
        {
            var j = i;
            var matched = blocks[i].Length;
            while (j + 1 < blocks.Count && Joins(blocks[j], blocks[j + 1]))
            {
                j++;
                matched += blocks[j].Length;
            }

            var patternPart = blocks[j].A + blocks[j].Length - blocks[i].A;
            var copyPart = blocks[j].B + blocks[j].Length - blocks[i].B;
            if (matched >= minimum && 5 * matched >= 2 * (patternPart + copyPart) && HasAnchor(blocks, i, j, Math.Min(AnchorLength, minimum), standsElsewhere))
            {
                // A differing end (a typo in the last or first characters): as many window characters as the span still has, up to 3.
                var head = Math.Min(Math.Min(blocks[i].A, i > 0 ? blocks[i].B - (blocks[i - 1].B + blocks[i - 1].Length) : blocks[i].B), EndDifference);
                var tailA = pattern.Length - (blocks[j].A + blocks[j].Length);
                var tailB = (j + 1 < blocks.Count ? blocks[j + 1].B : window.Length) - (blocks[j].B + blocks[j].Length);
                var tail = Math.Min(Math.Min(tailA, tailB), EndDifference);
                matches.Add((blocks[i].B - head, blocks[j].B + blocks[j].Length + tail));
            }

            i = j + 1;
        }

        return matches;
    }

    /// <summary>
    /// Whether blocks i…j hold an anchor: a matched run of at least <paramref name="length"/> code points whose text stands nowhere
    /// in the last revision but in the span. Without one, the stretch only shares text that is common in the document
    /// (an identifier, a phrase used elsewhere), not a copy of the span.
    /// </summary>
    private static bool HasAnchor(List<(int A, int B, int Length)> blocks, int i, int j, int length, Func<int, int, bool>? standsElsewhere)
    {
        for (var b = i; b <= j; b++)
        {
            if (blocks[b].Length >= length && (standsElsewhere is null || !standsElsewhere(blocks[b].A, blocks[b].Length)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Joins((int A, int B, int Length) left, (int A, int B, int Length) right)
    {
        var gap = Math.Max(right.A - (left.A + left.Length), right.B - (left.B + left.Length));
        return gap <= (Math.Min(left.Length, right.Length) >= 3 ? 4 : 1);
    }

    /// <summary>The unchanged runs (A in <paramref name="a"/>, B in <paramref name="b"/>, length) of a shortest edit script from a to b, in order.</summary>
    internal static List<(int A, int B, int Length)> CommonBlocks(int[] a, int[] b)
    {
        var blocks = new List<(int, int, int)>();
        var (x, y) = (0, 0);
        foreach (var hunk in MyersDiff.Compare(a, b, int.MaxValue))
        {
            if (hunk.A > x)
            {
                blocks.Add((x, y, hunk.A - x));
            }

            (x, y) = (hunk.A + hunk.Deleted, hunk.B + hunk.Inserted);
        }

        if (x < a.Length)
        {
            blocks.Add((x, y, a.Length - x));
        }

        return blocks;
    }

    private static ulong Hash(ReadOnlySpan<int> gram)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in gram)
        {
            hash = unchecked((hash ^ (uint)c) * 1099511628211UL);
        }

        return hash;
    }
}
