namespace Plumbline.Core.Text.Diff;

/// <summary>How <see cref="TextDiff.Diff"/> trades minimality for readability and time.</summary>
public sealed record DiffOptions
{
    /// <summary>
    /// Two changes separated by an unchanged run of at most this many code points are merged into one
    /// replacement patch that deletes and re-inserts the run (default 0: the edit script stays strictly
    /// minimal). A value of 1 or 2 avoids fragmenting a rewritten word into patches around the letters it
    /// happens to share with its replacement, at the cost of 2 code points re-typed per merged code point.
    /// </summary>
    public int MergeGap { get; init; }

    /// <summary>
    /// The largest edit distance (inserted plus deleted code points) computed exactly (default 5,000: past it, finding out costs tens of milliseconds; at 20,000 about a second).
    /// When the differing middle of the two texts needs more edits than this — the whole file was replaced —
    /// the diff is one replacement patch of that middle. Myers' algorithm spends O((N+M)·D) time; finding
    /// that the cap is exceeded costs about MaxEditDistance²/4 steps — around a second at the default,
    /// against about 2 ms for 50 scattered changes in 100 KB and well under 0.1 ms for one change.
    /// </summary>
    public int MaxEditDistance { get; init; } = 5_000;

    public static DiffOptions Default { get; } = new();

    /// <summary>Every problem at once, or an empty list.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MergeGap < 0)
        {
            errors.Add($"MergeGap must be at least 0 (was {MergeGap})");
        }

        if (MaxEditDistance < 0)
        {
            errors.Add($"MaxEditDistance must be at least 0 (was {MaxEditDistance})");
        }

        return errors;
    }
}
