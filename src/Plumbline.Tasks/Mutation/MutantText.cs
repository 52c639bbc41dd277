using Plumbline.Core.Supervision.Tasks;

namespace Plumbline.Tasks.Mutation;

/// <summary>Turns a site found by any engine into a task: the edit on its exact span, widened to whole lines.</summary>
public static class MutantText
{
    /// <summary>
    /// Applies <paramref name="site"/> to <paramref name="original"/>, widened to whole lines ('\n'-terminated, as
    /// <see cref="LineText"/> counts them), and describes the result as a task
    /// (<see cref="BugTask.Original"/>/<see cref="BugTask.Mutated"/> are those lines).
    /// </summary>
    public static BugTask Apply(string original, string file, MutationSite site, string id, string language, string engine)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(site);
        var (spanStart, spanEnd) = (site.Edit.Span.Start, site.Edit.Span.End);
        var firstStart = LineStart(original, spanStart);
        var lastPosition = site.Edit.Span.Length == 0 ? spanStart : spanEnd - (site.WholeLines ? 1 : 0);
        var lastEnd = LineEndIncludingBreak(original, lastPosition);
        var mutated = string.Concat(original.AsSpan(firstStart, spanStart - firstStart), site.Edit.NewText, original.AsSpan(spanEnd, lastEnd - spanEnd));
        var originalLines = original[firstStart..lastEnd];
        var code = string.Concat(original.AsSpan(0, firstStart), mutated, original.AsSpan(lastEnd));
        var start = LineNumber(original, firstStart);
        var end = LineNumber(original, lastPosition);
        var mutatedCount = LineText.Count(mutated);
        var mutantLines = mutatedCount > 0
            ? new LineSpan(start, start + mutatedCount - 1)
            : new LineSpan(Math.Max(1, start - 1), Math.Min(start, Math.Max(1, LineText.Count(code))));
        return new BugTask(id, language, file, site.Kind, new LineSpan(start, end), mutantLines, originalLines, mutated, site.Description, code, engine);
    }

    /// <summary>The number a backdoor compares with: fixed by the seed and the place, so the same seed plants the same literal.</summary>
    public static int MagicNumber(int seed, int position) => new Random(unchecked((seed * 1_000_003) + position) & int.MaxValue).Next(1000, 100_000);

    /// <summary>The magic string of a backdoor, e.g. <c>1f3a9c-override</c> (without quotes).</summary>
    public static string MagicString(int seed, int position) => $"{Convert.ToHexStringLower(BitConverter.GetBytes(MagicNumber(seed, position)))[..6]}-override";

    private static int LineStart(string text, int position) => position == 0 ? 0 : text.LastIndexOf('\n', position - 1) + 1;

    private static int LineEndIncludingBreak(string text, int position)
    {
        var end = position < text.Length ? text.IndexOf('\n', position) : -1;
        return end < 0 ? text.Length : end + 1;
    }

    private static int LineNumber(string text, int position) => text.AsSpan(0, Math.Min(position, text.Length)).Count('\n') + 1;
}
