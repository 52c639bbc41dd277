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
/// test, one-sided: a shift makes the classifier work), so it is exact whatever the dependence. The
/// relabellings stop early once <see cref="StopAfter"/> of them reach the observed AUC (Besag and
/// Clifford 1991: p = StopAfter / relabellings done, still a valid p-value).
/// </summary>
internal static class InsideShift
{
    /// <summary>Relabellings stop once this many reach the observed AUC (Besag and Clifford's sequential p-value; a clear non-shift costs ~2×this, not all permutations).</summary>
    internal const int StopAfter = 10;

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

        var bags = tokens.Select(Bag).ToArray();
        var logs = new double[tokens.Sum(t => t.Length) + v + 2];
        for (var i = 1; i < logs.Length; i++)
        {
            logs[i] = Math.Log(i);
        }

        var work = new Scratch(tokens.Length);
        var observed = LeaveOneOutAuc(bags, labels, v, logs, work);
        var random = new Random(seed);
        var shuffled = (bool[])labels.Clone();
        var atLeast = 0;
        var done = 0;
        while (done < permutations && atLeast < StopAfter)
        {
            for (var i = shuffled.Length - 1; i > 0; i--)
            {
                var j = random.Next(i + 1);
                (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
            }

            done++;
            if (LeaveOneOutAuc(bags, shuffled, v, logs, work) >= observed)
            {
                atLeast++;
            }
        }

        // Besag and Clifford (1991): stopped early after StopAfter exceedances in `done` relabellings → p = StopAfter / done
        var p = done < permutations ? (double)atLeast / done : (1.0 + atLeast) / (permutations + 1.0);

        // keywords: log-odds of the words over the whole group (seen at least 3 times)
        var (after, before, totalAfter, totalBefore) = Count(tokens, labels, v);
        var names = vocabulary.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray();
        var frequent = Enumerable.Range(0, v).Where(w => after[w] + before[w] >= 3)
            .Select(w => (Word: names[w], Odds: Math.Log((after[w] + 1.0) / (totalAfter + v)) - Math.Log((before[w] + 1.0) / (totalBefore + v)))).ToArray();
        var afterWords = frequent.Where(w => w.Odds > 0).OrderByDescending(w => w.Odds).ThenBy(w => w.Word, StringComparer.Ordinal).Take(5).Select(w => w.Word).ToArray();
        var beforeWords = frequent.Where(w => w.Odds < 0).OrderBy(w => w.Odds).ThenBy(w => w.Word, StringComparer.Ordinal).Take(5).Select(w => w.Word).ToArray();
        return (members.Count, observed, p, beforeWords, afterWords);
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

    /// <summary>A member's distinct words and how often each occurs.</summary>
    private readonly record struct WordBag(int[] Words, int[] Counts, int Length);

    private static WordBag Bag(int[] tokens)
    {
        var counts = new Dictionary<int, int>();
        foreach (var w in tokens)
        {
            counts[w] = counts.GetValueOrDefault(w) + 1;
        }

        return new WordBag([.. counts.Keys], [.. counts.Values], tokens.Length);
    }

    private sealed class Scratch(int n)
    {
        public double[] Scores { get; } = new double[n];

        public double[] Keys { get; } = new double[n];

        public int[] Order { get; } = new int[n];
    }

    /// <summary>
    /// AUC of the leave-one-out naive Bayes scores: log P(words | after) − log P(words | before) with
    /// add-one smoothing, the member's own words left out of its class (logs from the table <paramref name="logs"/>).
    /// </summary>
    private static double LeaveOneOutAuc(WordBag[] bags, bool[] labels, int v, double[] logs, Scratch work)
    {
        var after = new int[v];
        var before = new int[v];
        long totalAfter = 0, totalBefore = 0;
        for (var i = 0; i < bags.Length; i++)
        {
            var counts = labels[i] ? after : before;
            var bag = bags[i];
            for (var t = 0; t < bag.Words.Length; t++)
            {
                counts[bag.Words[t]] += bag.Counts[t];
            }

            if (labels[i])
            {
                totalAfter += bag.Length;
            }
            else
            {
                totalBefore += bag.Length;
            }
        }

        var scores = work.Scores;
        for (var i = 0; i < bags.Length; i++)
        {
            var bag = bags[i];
            var isAfter = labels[i];
            var denominatorAfter = totalAfter - (isAfter ? bag.Length : 0) + v;
            var denominatorBefore = totalBefore - (isAfter ? 0 : bag.Length) + v;
            var score = 0.0;
            for (var t = 0; t < bag.Words.Length; t++)
            {
                var w = bag.Words[t];
                var c = bag.Counts[t];
                var countAfter = after[w] - (isAfter ? c : 0);
                var countBefore = before[w] - (isAfter ? 0 : c);
                score += c * (logs[countAfter + 1] - logs[countBefore + 1]);
            }

            scores[i] = score - (bag.Length * (logs[denominatorAfter] - logs[denominatorBefore]));
        }

        return Auc(scores, labels, work);
    }

    /// <summary>The Mann–Whitney AUC of the after-scores against the before-scores (ties count half).</summary>
    private static double Auc(double[] scores, bool[] isAfter, Scratch work)
    {
        var n = scores.Length;
        var keys = work.Keys;
        var order = work.Order;
        Array.Copy(scores, keys, n);
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order);
        var rankSum = 0.0;
        var n1 = 0;
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end + 1 < n && keys[end + 1] == keys[start])
            {
                end++;
            }

            var rank = ((start + end) / 2.0) + 1;
            for (var j = start; j <= end; j++)
            {
                if (isAfter[order[j]])
                {
                    rankSum += rank;
                    n1++;
                }
            }

            start = end + 1;
        }

        double after = n1, before = n - n1;
        return (rankSum - (after * (after + 1) / 2)) / (after * before);
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
