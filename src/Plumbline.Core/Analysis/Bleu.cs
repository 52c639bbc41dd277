namespace Plumbline.Core.Analysis;

/// <summary>
/// BLEU as NLTK's <c>sentence_bleu</c> computes it (Papineni et al. 2002): modified n-gram precisions
/// clipped by the largest count in any reference, uniform weights over n = 1..N, brevity penalty
/// against the closest reference length (ties to the shorter), and — when an order has no match —
/// NLTK's <c>SmoothingFunction().method1</c> (ε = 0.1 over that order's denominator). A hypothesis
/// without a single matching unigram scores 0, as in NLTK.
/// </summary>
public static class Bleu
{
    /// <summary>The ε of NLTK's smoothing method 1.</summary>
    public const double Epsilon = 0.1;

    /// <summary>Modified n-gram precision (numerator, denominator) of a hypothesis against references (NLTK's <c>modified_precision</c>).</summary>
    public static (int Numerator, int Denominator) ModifiedPrecision(IReadOnlyList<string> hypothesis, IReadOnlyList<IReadOnlyList<string>> references, int n)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        ArgumentNullException.ThrowIfNull(references);
        var counts = Count(hypothesis, n);
        var maxRef = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var reference in references)
        {
            foreach (var (gram, c) in Count(reference, n))
            {
                if (counts.ContainsKey(gram))
                {
                    maxRef[gram] = Math.Max(maxRef.GetValueOrDefault(gram), c);
                }
            }
        }

        var numerator = counts.Sum(kv => Math.Min(kv.Value, maxRef.GetValueOrDefault(kv.Key)));
        var denominator = Math.Max(1, counts.Values.Sum());
        return (numerator, denominator);
    }

    /// <summary>Sentence BLEU-<paramref name="maxOrder"/> of <paramref name="hypothesis"/> against <paramref name="references"/>.</summary>
    public static double Sentence(IReadOnlyList<string> hypothesis, IReadOnlyList<IReadOnlyList<string>> references, int maxOrder = 4)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        ArgumentNullException.ThrowIfNull(references);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOrder, 1);
        if (references.Count == 0)
        {
            throw new ArgumentException("BLEU needs at least one reference", nameof(references));
        }

        Span<int> numerators = stackalloc int[maxOrder];
        Span<int> denominators = stackalloc int[maxOrder];
        for (var n = 1; n <= maxOrder; n++)
        {
            (numerators[n - 1], denominators[n - 1]) = ModifiedPrecision(hypothesis, references, n);
        }

        var closest = ClosestLength(references.Select(r => r.Count), hypothesis.Count);
        return Combine(numerators, denominators, hypothesis.Count, closest);
    }

    /// <summary>
    /// Self-BLEU of every text (Zhu et al. 2018, Texygen): the BLEU of each text with all the other
    /// texts as references, through the shared <see cref="NgramIndex"/> of each order, so the whole
    /// corpus costs O(total tokens) rather than O(texts²). The corpus's self-BLEU is the mean.
    /// </summary>
    /// <param name="indexes">Indexes of orders 1..N, in order, built on the same corpus.</param>
    public static double[] SelfBleuScores(IReadOnlyList<NgramIndex> indexes)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        if (indexes.Count == 0)
        {
            throw new ArgumentException("at least the unigram index is needed", nameof(indexes));
        }

        for (var k = 0; k < indexes.Count; k++)
        {
            if (indexes[k].Order != k + 1 || indexes[k].Texts != indexes[0].Texts)
            {
                throw new ArgumentException("indexes must be of orders 1..N over the same texts", nameof(indexes));
            }
        }

        var texts = indexes[0].Texts;
        var result = new double[texts];
        if (texts < 2)
        {
            return result;
        }

        // lengths of all texts, sorted, to find the closest other length
        var lengths = new int[texts];
        for (var t = 0; t < texts; t++)
        {
            lengths[t] = indexes[0].TotalIn(t);
        }

        var sorted = (int[])lengths.Clone();
        Array.Sort(sorted);
        var maxOrder = indexes.Count;
        var numerators = new int[maxOrder];
        var denominators = new int[maxOrder];
        for (var t = 0; t < texts; t++)
        {
            for (var k = 0; k < maxOrder; k++)
            {
                numerators[k] = indexes[k].ClippedMatchesAgainstOthers(t);
                denominators[k] = Math.Max(1, indexes[k].TotalIn(t));
            }

            result[t] = Combine(numerators, denominators, lengths[t], ClosestOtherLength(sorted, lengths[t]));
        }

        return result;
    }

    /// <summary>BLEU from per-order clipped matches and counts, the hypothesis length and the reference length.</summary>
    internal static double Combine(ReadOnlySpan<int> numerators, ReadOnlySpan<int> denominators, int hypothesisLength, int referenceLength)
    {
        if (numerators[0] == 0 || hypothesisLength == 0)
        {
            return 0;
        }

        var sum = 0.0;
        for (var k = 0; k < numerators.Length; k++)
        {
            var p = numerators[k] == 0 ? Epsilon / denominators[k] : (double)numerators[k] / denominators[k];
            sum += Math.Log(p) / numerators.Length;
        }

        var penalty = hypothesisLength > referenceLength ? 1.0 : Math.Exp(1.0 - ((double)referenceLength / hypothesisLength));
        return penalty * Math.Exp(sum);
    }

    /// <summary>NLTK's <c>closest_ref_length</c>: the reference length nearest the hypothesis length, the shorter on a tie.</summary>
    internal static int ClosestLength(IEnumerable<int> referenceLengths, int hypothesisLength) =>
        referenceLengths.OrderBy(r => Math.Abs(r - hypothesisLength)).ThenBy(r => r).First();

    /// <summary>The closest length among all texts but one with length <paramref name="own"/> (which is in <paramref name="sorted"/>).</summary>
    private static int ClosestOtherLength(int[] sorted, int own)
    {
        // remove one occurrence of own: if it occurs twice, the answer is own itself
        var first = Array.BinarySearch(sorted, own);
        var lo = first;
        while (lo > 0 && sorted[lo - 1] == own)
        {
            lo--;
        }

        var hi = first;
        while (hi < sorted.Length - 1 && sorted[hi + 1] == own)
        {
            hi++;
        }

        if (hi > lo)
        {
            return own;
        }

        var below = lo > 0 ? sorted[lo - 1] : int.MinValue;
        var above = hi < sorted.Length - 1 ? sorted[hi + 1] : int.MaxValue;
        if (below == int.MinValue)
        {
            return above;
        }

        if (above == int.MaxValue)
        {
            return below;
        }

        return own - below <= above - own ? below : above;
    }

    private static Dictionary<string, int> Count(IReadOnlyList<string> tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var j = 0; j + n <= tokens.Count; j++)
        {
            var gram = string.Join('\u0001', Enumerable.Range(j, n).Select(i => tokens[i]));
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }

        return counts;
    }
}
