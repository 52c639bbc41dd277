namespace Plumbline.Core.Privacy;

/// <summary>
/// The maximal runs of secret characters in the current text (original coordinates, sorted), so that
/// a position in the original text maps to its position in the redacted one.
/// </summary>
internal sealed class RunList(Func<int, int> placeholderLength)
{
    private readonly List<(int Start, int End, int Secret)> _runs = [];

    public int Count => _runs.Count;

    /// <summary>Where original position <paramref name="position"/> is in the redacted text (a position inside a run: the start of its placeholder).</summary>
    public int RedactedPosition(int position)
    {
        var shift = 0;
        foreach (var (start, end, secret) in _runs)
        {
            if (end > position)
            {
                return start < position ? start + shift : position + shift;
            }

            shift += placeholderLength(secret) - (end - start);
        }

        return position + shift;
    }

    /// <summary>
    /// After an edit turned [<paramref name="from"/>, <paramref name="toBefore"/>) into
    /// [<paramref name="from"/>, <paramref name="toAfter"/>) (a window whose ends are not inside a run),
    /// drops the runs that were in it, moves the ones after it and finds the runs now in it.
    /// </summary>
    public void Rescan(IdBuffer ids, IReadOnlyDictionary<int, int> secretOf, int from, int toBefore, int toAfter)
    {
        var delta = toAfter - toBefore;
        var kept = new List<(int Start, int End, int Secret)>(_runs.Count + 1);
        var insertAt = -1;
        foreach (var run in _runs)
        {
            if (run.End <= from)
            {
                kept.Add(run);
            }
            else if (run.Start >= toBefore)
            {
                insertAt = insertAt < 0 ? kept.Count : insertAt;
                kept.Add((run.Start + delta, run.End + delta, run.Secret));
            }
        }

        insertAt = insertAt < 0 ? kept.Count : insertAt;
        var found = new List<(int Start, int End, int Secret)>();
        for (var i = from; i < toAfter;)
        {
            if (!secretOf.TryGetValue(ids[i], out var secret))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < toAfter && secretOf.TryGetValue(ids[i], out var next) && next == secret)
            {
                i++;
            }

            found.Add((start, i, secret));
        }

        kept.InsertRange(insertAt, found);
        _runs.Clear();
        _runs.AddRange(kept);
    }
}
