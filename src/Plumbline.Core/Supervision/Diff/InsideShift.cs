using Plumbline.Core.Analysis;
using Plumbline.Core.Analysis.Keywords;
using Plumbline.Core.Analysis.Statistics;

namespace Plumbline.Core.Supervision.Diff;

/// <summary>
/// The test for a shift inside a group (see <see cref="ClusterSplit"/>): a classifier two-sample test
/// (Lopez-Paz and Oquab 2017) whose classifier is multinomial naive Bayes on words (negations marked,
/// stop words out, add-one smoothing). Every member is scored by the classifier trained on all the other
/// members (leave-one-out); the statistic is the AUC of those scores for after against before; its
/// p-value comes from the same statistic under random relabellings of before and after (a permutation
/// test, one-sided: a shift makes the classifier work), so it is exact whatever the dependence.
/// </summary>
internal static class InsideShift
{
    /// <summary>The test of one group, or null when it has fewer than two samples of either side.</summary>
    public static (int Tested, double Auc, double P, IReadOnlyList<string> BeforeKeywords, IReadOnlyList<string> AfterKeywords)? Test(
        IReadOnlyList<int> members, bool[] isAfter, string[] texts, int permutations, int seed)
    {
        var labels = members.Select(i => isAfter[i]).ToArray();
        if (labels.Count(l => l) < 2 || labels.Count(l => !l) < 2)
        {
            return null;
        }

        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var tokens = members.Select(i => Words(texts[i]).Select(w => vocabulary.TryGetValue(w, out var id) ? id : vocabulary[w] = vocabulary.Count).ToArray()).ToArray();
        var v = vocabulary.Count;
        if (v == 0)
        {
            return null;
        }

        var observed = LeaveOneOutAuc(tokens, labels, v);
        var random = new Random(seed);
        var shuffled = (bool[])labels.Clone();
        var atLeast = 0;
        for (var b = 0; b < permutations; b++)
        {
            for (var i = shuffled.Length - 1; i > 0; i--)
            {
                var j = random.Next(i + 1);
                (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
            }

            if (LeaveOneOutAuc(tokens, shuffled, v) >= observed)
            {
                atLeast++;
            }
        }

        // keywords: log-odds of the words over the whole group (seen at least 3 times)
        var (after, before, totalAfter, totalBefore) = Count(tokens, labels, v);
        var names = vocabulary.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray();
        var frequent = Enumerable.Range(0, v).Where(w => after[w] + before[w] >= 3)
            .Select(w => (Word: names[w], Odds: Math.Log((after[w] + 1.0) / (totalAfter + v)) - Math.Log((before[w] + 1.0) / (totalBefore + v)))).ToArray();
        var afterWords = frequent.Where(w => w.Odds > 0).OrderByDescending(w => w.Odds).ThenBy(w => w.Word, StringComparer.Ordinal).Take(5).Select(w => w.Word).ToArray();
        var beforeWords = frequent.Where(w => w.Odds < 0).OrderBy(w => w.Odds).ThenBy(w => w.Word, StringComparer.Ordinal).Take(5).Select(w => w.Word).ToArray();
        return (members.Count, observed, (1.0 + atLeast) / (permutations + 1.0), beforeWords, afterWords);
    }

    private static IEnumerable<string> Words(string text) =>
        Tokenizer.Tokenize(NegationMarking.Mark(text)).Where(w => !ClassTfIdf.StopWords.Contains(w));

    private static (int[] After, int[] Before, long TotalAfter, long TotalBefore) Count(int[][] tokens, bool[] labels, int v)
    {
        var after = new int[v];
        var before = new int[v];
        long totalAfter = 0, totalBefore = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            var counts = labels[i] ? after : before;
            foreach (var w in tokens[i])
            {
                counts[w]++;
            }

            if (labels[i])
            {
                totalAfter += tokens[i].Length;
            }
            else
            {
                totalBefore += tokens[i].Length;
            }
        }

        return (after, before, totalAfter, totalBefore);
    }

    private static double LeaveOneOutAuc(int[][] tokens, bool[] labels, int v)
    {
        var (after, before, totalAfter, totalBefore) = Count(tokens, labels, v);
        var scores = new double[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            // remove the member's own words from its class
            var ownAfter = labels[i] ? tokens[i].Length : 0;
            var ownBefore = labels[i] ? 0 : tokens[i].Length;
            double denominatorAfter = totalAfter - ownAfter + v, denominatorBefore = totalBefore - ownBefore + v;
            var score = 0.0;
            foreach (var w in tokens[i])
            {
                var countAfter = after[w] - (labels[i] ? Occurrences(tokens[i], w) : 0);
                var countBefore = before[w] - (labels[i] ? 0 : Occurrences(tokens[i], w));
                score += Math.Log((countAfter + 1.0) / denominatorAfter) - Math.Log((countBefore + 1.0) / denominatorBefore);
            }

            scores[i] = score;
        }

        return MannWhitney(scores, labels).Auc;
    }

    private static int Occurrences(int[] tokens, int w)
    {
        var n = 0;
        foreach (var t in tokens)
        {
            n += t == w ? 1 : 0;
        }

        return n;
    }

    /// <summary>AUC of the after-scores against the before-scores (ties count half) and the two-sided normal-approximation p of Mann–Whitney's U with the tie correction.</summary>
    internal static (double Auc, double P) MannWhitney(double[] scores, bool[] isAfter)
    {
        var n = scores.Length;
        var order = Enumerable.Range(0, n).OrderBy(i => scores[i]).ToArray();
        var ranks = new double[n];
        var tieTerm = 0.0;
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end + 1 < n && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }

            var rank = ((start + end) / 2.0) + 1;
            for (var j = start; j <= end; j++)
            {
                ranks[order[j]] = rank;
            }

            double t = end - start + 1;
            tieTerm += (t * t * t) - t;
            start = end + 1;
        }

        double n1 = isAfter.Count(a => a), n2 = n - n1;
        var rankSum = Enumerable.Range(0, n).Where(i => isAfter[i]).Sum(i => ranks[i]);
        var u = rankSum - (n1 * (n1 + 1) / 2);
        var auc = u / (n1 * n2);
        var variance = n1 * n2 / 12.0 * (n + 1 - (tieTerm / (n * (n - 1.0))));
        if (variance <= 0)
        {
            return (auc, 1);
        }

        var z = (u - (n1 * n2 / 2)) / Math.Sqrt(variance);
        return (auc, Math.Min(1, SpecialFunctions.ChiSquareSurvival(z * z, 1)));
    }
}
