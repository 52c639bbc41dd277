using System.Globalization;
using Plumbline.Core.Curation.Aggregation;

namespace Plumbline.Core.Curation.Quality;

/// <summary>How the curve is computed. <see cref="MinGain"/> is the accuracy gain per extra label below which another label is not worth it.</summary>
public sealed record CurveOptions(AggregationMethod Method = AggregationMethod.MajorityVote, int MaxLabels = 0, int Replicates = 200, int Seed = 0, double Confidence = 0.95, double MinGain = 0.01);

/// <summary>Accuracy on gold at k labels per item for one rater pool, with the bootstrap interval and the gain over k − 1.</summary>
public sealed record CurvePoint(string Pool, int LabelsPerItem, double Accuracy, double Low, double High, double? Marginal, int GoldItems);

/// <summary>A rater pool: everyone, or the better / worse half by Dawid–Skene skill on the full data.</summary>
public sealed record CurvePool(string Name, IReadOnlyList<string> Workers, double MeanSkill);

public sealed record CurveResult(string Method, IReadOnlyList<CurvePool> Pools, IReadOnlyList<CurvePoint> Points, int RecommendedLabels, string Recommendation);

/// <summary>
/// The quality–quantity curve: for k = 1…K, keep k labels per item drawn at random (without replacement) from
/// the pool's labels, aggregate, and score against gold; repeat with seeded draws for a percentile interval.
/// Ties of majority vote count as broken at random (1 / number tied). The recommendation is the smallest k
/// from which going on to the largest k gains less than <see cref="CurveOptions.MinGain"/> per extra label.
/// </summary>
public static class QualityCurve
{
    public static CurveResult Compute(LabelSet set, IReadOnlyDictionary<string, string> gold, CurveOptions options, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(options);
        var goldTasks = new List<(int Task, int Class)>();
        for (var t = 0; t < set.Tasks.Count; t++)
        {
            if (gold.TryGetValue(set.Tasks[t], out var answer))
            {
                goldTasks.Add((t, set.ClassIndex(answer)));
            }
        }

        if (goldTasks.Count == 0)
        {
            throw PlumblineException.BadInput("no task of the labels has a gold answer: the curve needs gold to score against");
        }

        var skill = DawidSkene.Fit(set).Skill;
        var pools = Pools(set, skill);
        var maxOverlap = Enumerable.Range(0, set.Tasks.Count).Max(t => set.TaskStart[t + 1] - set.TaskStart[t]);
        var kMax = options.MaxLabels > 0 ? Math.Min(options.MaxLabels, maxOverlap) : maxOverlap;
        var points = new List<CurvePoint>();
        var steps = pools.Count * kMax;
        var done = 0;
        foreach (var (pool, members) in pools)
        {
            var previous = (double?)null;
            for (var k = 1; k <= kMax; k++)
            {
                var random = new Random(HashCode.Combine(options.Seed, pool.Name.Length, k));
                var accuracies = new List<double>(options.Replicates);
                var scored = 0;
                for (var r = 0; r < options.Replicates; r++)
                {
                    var keep = Sample(set, members, k, random);
                    var result = Aggregator.Run(set.Where(i => keep[i]), options.Method);
                    var (right, count) = Score(result, goldTasks, keep, set);
                    scored = count;
                    if (count > 0)
                    {
                        accuracies.Add(right / count);
                    }
                }

                done++;
                progress?.Report((double)done / steps);
                if (accuracies.Count == 0)
                {
                    continue;
                }

                accuracies.Sort();
                var tail = (1 - options.Confidence) / 2;
                var (low, high) = (Agreement.Bootstrap.Quantile(accuracies, tail), Agreement.Bootstrap.Quantile(accuracies, 1 - tail));
                var mean = Math.Clamp(accuracies.Average(), accuracies[0], accuracies[^1]);
                points.Add(new CurvePoint(pool.Name, k, mean, Math.Min(low, mean), Math.Max(high, mean), previous is { } p ? mean - p : null, scored));
                previous = mean;
            }
        }

        var all = points.Where(p => p.Pool == "all").ToList();
        var recommended = Recommend(all, options.MinGain);
        var at = all.FirstOrDefault(p => p.LabelsPerItem == recommended);
        var last = all.Count == 0 ? null : all[^1];
        var text = at is null || last is null
            ? "not enough gold items with labels to recommend"
            : at == last
                ? string.Format(CultureInfo.InvariantCulture, "{0} labels per item (accuracy {1:0.0}%): every extra label up to the most any item has still paid ≥ {2:0.0} points, so more labels per item may pay", recommended, at.Accuracy * 100, options.MinGain * 100)
                : string.Format(CultureInfo.InvariantCulture, "{0} labels per item (accuracy {1:0.0}%): going on to {2} labels would add {3:+0.0;-0.0} points in all, {4:+0.00;-0.00} per extra label, below the {5:0.0}-point threshold", recommended, at.Accuracy * 100, last.LabelsPerItem, (last.Accuracy - at.Accuracy) * 100, (last.Accuracy - at.Accuracy) * 100 / (last.LabelsPerItem - recommended), options.MinGain * 100);
        var best = points.Where(p => p.Pool != "all" && p.LabelsPerItem == recommended).OrderByDescending(p => p.Accuracy).FirstOrDefault();
        if (best is not null && at is not null && best.Accuracy > at.Accuracy + options.MinGain)
        {
            text += string.Format(CultureInfo.InvariantCulture, "; the '{0}' pool reaches {1:0.0}% with as many labels", best.Pool, best.Accuracy * 100);
        }

        return new CurveResult(AggregationResult.Name(options.Method), pools.Select(p => p.Pool).ToArray(), points, recommended, text);
    }

    /// <summary>The smallest k from which going on to the largest k gains less than <paramref name="minGain"/> per extra label on average.</summary>
    private static int Recommend(List<CurvePoint> points, double minGain)
    {
        if (points.Count == 0)
        {
            return 1;
        }

        var last = points[^1];
        foreach (var point in points)
        {
            if (point == last || (last.Accuracy - point.Accuracy) / (last.LabelsPerItem - point.LabelsPerItem) < minGain)
            {
                return point.LabelsPerItem;
            }
        }

        return last.LabelsPerItem;
    }

    private static List<(CurvePool Pool, bool[] Members)> Pools(LabelSet set, IReadOnlyList<double> skill)
    {
        var workers = Enumerable.Range(0, set.Workers.Count).ToArray();
        var pools = new List<(CurvePool, bool[])> { Pool("all", workers, set, skill) };
        if (workers.Length >= 4)
        {
            var ranked = workers.OrderByDescending(w => skill[w]).ThenBy(w => w).ToArray();
            pools.Add(Pool("top_half", ranked[..(ranked.Length / 2)], set, skill));
            pools.Add(Pool("bottom_half", ranked[(ranked.Length / 2)..], set, skill));
        }

        return pools;
    }

    private static (CurvePool, bool[]) Pool(string name, int[] workers, LabelSet set, IReadOnlyList<double> skill)
    {
        var members = new bool[set.Workers.Count];
        foreach (var w in workers)
        {
            members[w] = true;
        }

        return (new CurvePool(name, workers.Order().Select(w => set.Workers[w]).ToArray(), workers.Average(w => skill[w])), members);
    }

    private static bool[] Sample(LabelSet set, bool[] members, int k, Random random)
    {
        var keep = new bool[set.Count];
        var candidates = new List<int>();
        for (var t = 0; t < set.Tasks.Count; t++)
        {
            candidates.Clear();
            for (var i = set.TaskStart[t]; i < set.TaskStart[t + 1]; i++)
            {
                if (members[set.WorkerOf[i]])
                {
                    candidates.Add(i);
                }
            }

            if (candidates.Count < k)
            {
                continue;
            }

            for (var j = 0; j < k; j++)
            {
                var pick = j + random.Next(candidates.Count - j);
                (candidates[j], candidates[pick]) = (candidates[pick], candidates[j]);
                keep[candidates[j]] = true;
            }
        }

        return keep;
    }

    /// <summary>Right answers on gold; a tie between the top classes counts as the chance of breaking it right (1 / number tied).</summary>
    private static (double Right, int Count) Score(AggregationResult result, List<(int Task, int Class)> gold, bool[] keep, LabelSet set)
    {
        var labelled = new bool[set.Tasks.Count];
        for (var i = 0; i < keep.Length; i++)
        {
            if (keep[i])
            {
                labelled[set.TaskOf[i]] = true;
            }
        }

        var right = 0.0;
        var count = 0;
        var k = set.ClassCount;
        foreach (var (task, answer) in gold)
        {
            if (!labelled[task])
            {
                continue;
            }

            count++;
            var best = result.Probability(task, result.Labels[task]);
            var tied = 0;
            for (var c = 0; c < k; c++)
            {
                tied += Math.Abs(result.Probability(task, c) - best) < 1e-12 ? 1 : 0;
            }

            right += answer >= 0 && Math.Abs(result.Probability(task, answer) - best) < 1e-12 ? 1.0 / tied : 0;
        }

        return (right, count);
    }
}
