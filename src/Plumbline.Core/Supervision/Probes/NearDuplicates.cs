using System.Text.RegularExpressions;

namespace Plumbline.Core.Supervision.Probes;

/// <summary>Why an item was taken for a duplicate, and of what.</summary>
/// <param name="Index">The index of the removed item among the candidates.</param>
/// <param name="Exact">True for the same text after normalisation, false for a near duplicate.</param>
/// <param name="OfSeed">True when the item it duplicates is a seed example.</param>
/// <param name="OfIndex">The index of that item (among the seeds when <paramref name="OfSeed"/>, otherwise among the candidates).</param>
/// <param name="Similarity">Jaccard similarity of the two items' word-bigram sets (1 for an exact duplicate).</param>
public sealed record DuplicateFinding(int Index, bool Exact, bool OfSeed, int OfIndex, double Similarity);

/// <summary>
/// Exact and near-duplicate removal for probe items. Texts are normalised (lower case, words
/// only); lines shared by at least half of all items (boilerplate such as "Is the following
/// statement something you would say?", "Choices:", "Answer:") are left out; items are then compared
/// by the Jaccard similarity of their word-bigram sets (single words for texts of one word). An item
/// is removed when it equals or is near a seed example or an earlier kept item.
/// </summary>
public static partial class NearDuplicates
{
    /// <summary>The default similarity at or above which two items are near duplicates.</summary>
    public const double DefaultThreshold = 0.6;

    /// <summary>Finds which candidates to remove; the rest are kept in order.</summary>
    public static IReadOnlyList<DuplicateFinding> Find(IReadOnlyList<string> candidates, IReadOnlyList<string> seeds, double threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, 1.0);
        var boilerplate = Boilerplate([.. seeds, .. candidates]);
        var seedShapes = seeds.Select(s => ShapeOf(s, boilerplate)).ToList();
        var kept = new List<(int Index, Shape Shape)>();
        var findings = new List<DuplicateFinding>();
        for (var i = 0; i < candidates.Count; i++)
        {
            var shape = ShapeOf(candidates[i], boilerplate);
            var finding = Compare(i, shape, seedShapes.Select((s, j) => (j, s)), ofSeed: true, threshold)
                ?? Compare(i, shape, kept, ofSeed: false, threshold);
            if (finding is null)
            {
                kept.Add((i, shape));
            }
            else
            {
                findings.Add(finding);
            }
        }

        return findings;
    }

    /// <summary>The Jaccard similarity of two sets.</summary>
    public static double Jaccard(IReadOnlySet<string> a, IReadOnlySet<string> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0 && b.Count == 0)
        {
            return 1;
        }

        var shared = a.Count(b.Contains);
        return (double)shared / (a.Count + b.Count - shared);
    }

    /// <summary>The normalised text: lower-case words joined by single spaces.</summary>
    public static string Normalise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Join(' ', Word().Matches(text.ToLowerInvariant()).Select(m => m.Value));
    }

    private static DuplicateFinding? Compare(int index, Shape shape, IEnumerable<(int Index, Shape Shape)> others, bool ofSeed, double threshold)
    {
        DuplicateFinding? best = null;
        foreach (var (j, other) in others)
        {
            if (other.Text == shape.Text)
            {
                return new DuplicateFinding(index, true, ofSeed, j, 1);
            }

            var similarity = Jaccard(shape.Shingles, other.Shingles);
            if (similarity >= threshold && (best is null || similarity > best.Similarity))
            {
                best = new DuplicateFinding(index, false, ofSeed, j, similarity);
            }
        }

        return best;
    }

    private static HashSet<string> Boilerplate(IReadOnlyList<string> texts)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (var line in Lines(text).Distinct(StringComparer.Ordinal))
            {
                counts[line] = counts.GetValueOrDefault(line) + 1;
            }
        }

        // with fewer than four texts nothing counts as boilerplate
        return texts.Count < 4 ? [] : [.. counts.Where(c => c.Value * 2 >= texts.Count).Select(c => c.Key)];
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n').Select(Normalise).Where(l => l.Length > 0);

    private static Shape ShapeOf(string text, HashSet<string> boilerplate)
    {
        var content = string.Join(' ', Lines(text).Where(l => !boilerplate.Contains(l)));
        if (content.Length == 0)
        {
            content = Normalise(text);
        }

        var words = content.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var shingles = words.Length < 2
            ? new HashSet<string>(words, StringComparer.Ordinal)
            : new HashSet<string>(Enumerable.Range(0, words.Length - 1).Select(i => words[i] + " " + words[i + 1]), StringComparer.Ordinal);
        return new Shape(content, shingles);
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:'[\p{L}]+)?")]
    private static partial Regex Word();

    private sealed record Shape(string Text, HashSet<string> Shingles);
}
