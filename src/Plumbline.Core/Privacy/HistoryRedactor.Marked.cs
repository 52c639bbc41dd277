using Plumbline.Core.Text;

namespace Plumbline.Core.Privacy;

/// <summary>
/// The characters of a span of the latest text, traced back by identity: <see cref="Ids"/> holds the identity of
/// each code point of the span in order, <see cref="Revisions"/> the revision that inserted it (0: the start text).
/// </summary>
public sealed record TracedSpan(IReadOnlyList<int> Ids, IReadOnlyList<int> Revisions);

/// <summary>
/// Review before release: a contributor marks characters to redact — a span of the latest text, or everything
/// some revisions inserted — and the history is replayed with each maximal run of them shown as
/// <see cref="ReviewPlaceholder"/> at every revision, by the same machinery as secrets (characters keep their
/// identity however the text around them changes; positions after a placeholder are remapped).
/// </summary>
public static partial class HistoryRedactor
{
    /// <summary>What a contributor's own redaction shows instead of the text (next to the DESIGN placeholders).</summary>
    public const string ReviewPlaceholder = "[REDACTED]";

    /// <summary>The identities of the characters at [<paramref name="from"/>, <paramref name="to"/>) of the text after the last revision.</summary>
    public static TracedSpan TraceSpan(string start, IReadOnlyList<Patch[]> revisions, int from, int to)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(revisions);
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        var ids = new IdBuffer(CodePoints.Count(start));
        foreach (var patch in revisions.SelectMany(r => r))
        {
            ids.Apply(patch.Position, patch.Delete, patch.InsertLength);
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(to, ids.Length);
        var firstIds = FirstIds(start, revisions);
        var span = new int[to - from];
        var origins = new int[to - from];
        for (var i = from; i < to; i++)
        {
            span[i - from] = ids[i];
            origins[i - from] = Origin(firstIds, ids[i]);
        }

        return new TracedSpan(span, origins);
    }

    /// <summary>The identities of every character the revisions chosen by <paramref name="selected"/> (numbered from 1) inserted.</summary>
    public static HashSet<int> InsertedBy(string start, IReadOnlyList<Patch[]> revisions, Func<int, bool> selected)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(revisions);
        ArgumentNullException.ThrowIfNull(selected);
        var firstIds = FirstIds(start, revisions);
        var chosen = new HashSet<int>();
        for (var r = 1; r <= revisions.Count; r++)
        {
            if (selected(r))
            {
                for (var id = firstIds[r]; id < firstIds[r + 1]; id++)
                {
                    chosen.Add(id);
                }
            }
        }

        return chosen;
    }

    /// <summary>
    /// The history with the characters <paramref name="ids"/> shown as <see cref="ReviewPlaceholder"/> (one per maximal run)
    /// at every revision; one patch for every original patch, so event ids stay as they were.
    /// </summary>
    /// <param name="positions">Positions (revision, code point in that revision's text) to carry into the redacted texts, e.g. comment ranges.</param>
    public static RedactedHistory RedactCharacters(
        string start,
        IReadOnlyList<Patch[]> revisions,
        IReadOnlySet<int> ids,
        IReadOnlyList<(int Revision, int Position)>? positions = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(revisions);
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return new RedactedHistory(start, revisions, [], false) { MappedPositions = positions?.Select(p => p.Position).ToList() ?? [] };
        }

        var marked = ids.ToDictionary(id => id, _ => 0);
        var (redactedStart, output, mapped) = Render(start, revisions, marked, _ => ReviewPlaceholder, positions ?? []);
        var startLength = CodePoints.Count(start);
        return new RedactedHistory(redactedStart, output, [], ids.Any(id => id < startLength)) { MappedPositions = mapped };
    }

    /// <summary>firstIds[r]: the identity of the first character revision r inserts (r from 1; [Count + 1]: the next free one).</summary>
    private static int[] FirstIds(string start, IReadOnlyList<Patch[]> revisions)
    {
        var firstIds = new int[revisions.Count + 2];
        firstIds[0] = 0;
        firstIds[1] = CodePoints.Count(start);
        for (var r = 0; r < revisions.Count; r++)
        {
            var inserted = 0;
            foreach (var patch in revisions[r])
            {
                inserted += patch.InsertLength;
            }

            firstIds[r + 2] = firstIds[r + 1] + inserted;
        }

        return firstIds;
    }

    private static int Origin(int[] firstIds, int id)
    {
        if (id < firstIds[1])
        {
            return 0;
        }

        // the last r with firstIds[r] <= id (revisions that insert nothing share their successor's first id)
        var (lo, hi) = (1, firstIds.Length - 2);
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (firstIds[mid] <= id)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }
}
