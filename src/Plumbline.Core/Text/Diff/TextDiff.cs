namespace Plumbline.Core.Text.Diff;

/// <summary>
/// Turns two versions of a text into the patches that edit one into the other — how <c>plumb watch</c>
/// records a save as character-level edit events.
/// </summary>
public static class TextDiff
{
    /// <summary>
    /// The patches that turn <paramref name="before"/> into <paramref name="after"/> when applied in order,
    /// each position referring to the text left by the patches before it (as <see cref="TextBuffer"/> applies
    /// them). Positions and lengths count code points; a surrogate pair is never split.
    /// </summary>
    /// <remarks>
    /// The common prefix and suffix are trimmed first (vectorised, without decoding them), so a small change
    /// in a large file costs about a memory scan. The rest is a shortest edit script (Myers' O(ND) algorithm,
    /// linear space): the inserted plus deleted code points are exactly len(before) + len(after) − 2·LCS.
    /// Adjacent deletes and inserts form one replacement patch, so every two patches are separated by
    /// unchanged text — more than <see cref="DiffOptions.MergeGap"/> code points of it. Beyond
    /// <see cref="DiffOptions.MaxEditDistance"/> edits the result is one replacement of the differing middle.
    /// </remarks>
    public static Patch[] Diff(string before, string after, DiffOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        options ??= DiffOptions.Default;
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        var prefix = Utf16Trim.CommonPrefix(before, after);
        var suffix = Utf16Trim.CommonSuffix(before.AsSpan(prefix), after.AsSpan(prefix));
        var oldMiddle = before.AsSpan(prefix, before.Length - prefix - suffix);
        var newMiddle = after.AsSpan(prefix, after.Length - prefix - suffix);
        if (oldMiddle.IsEmpty && newMiddle.IsEmpty)
        {
            return [];
        }

        var start = Utf16Trim.CountCodePoints(before.AsSpan(0, prefix));
        if (oldMiddle.IsEmpty || newMiddle.IsEmpty)
        {
            return [new Patch(start, Utf16Trim.CountCodePoints(oldMiddle), newMiddle.ToString())];
        }

        var a = Utf16Trim.Decode(oldMiddle);
        var b = Utf16Trim.Decode(newMiddle);
        var hunks = MyersDiff.Compare(a, b, options.MaxEditDistance);
        return ToPatches(Merge(hunks, options.MergeGap), b, start);
    }

    /// <summary>Joins changes separated by at most <paramref name="gap"/> unchanged code points.</summary>
    private static List<DiffHunk> Merge(List<DiffHunk> hunks, int gap)
    {
        if (gap == 0 || hunks.Count < 2)
        {
            return hunks;
        }

        var merged = new List<DiffHunk>(hunks.Count) { hunks[0] };
        for (var i = 1; i < hunks.Count; i++)
        {
            var last = merged[^1];
            var next = hunks[i];
            if (next.A - (last.A + last.Deleted) <= gap)
            {
                merged[^1] = new DiffHunk(last.A, next.A + next.Deleted - last.A, last.B, next.B + next.Inserted - last.B);
            }
            else
            {
                merged.Add(next);
            }
        }

        return merged;
    }

    /// <summary>
    /// Patches in text order. Once the changes before a hunk are applied, the text up to it is the new
    /// text's, so the hunk's position in the new text is where its patch applies.
    /// </summary>
    private static Patch[] ToPatches(List<DiffHunk> hunks, int[] b, int start)
    {
        var patches = new Patch[hunks.Count];
        for (var i = 0; i < hunks.Count; i++)
        {
            var hunk = hunks[i];
            patches[i] = new Patch(start + hunk.B, hunk.Deleted, CodePoints.Encode(b.AsSpan(hunk.B, hunk.Inserted)));
        }

        return patches;
    }
}
