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
/// The recommendation is the smallest k after which one more label gains less than <see cref="CurveOptions.MinGain"/>.
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
                        accuracies.Add((double)right / count);
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
        var recommended = all.Count == 0 ? 1 : all.Last().LabelsPerItem;
        foreach (var point in all)
        {
            var next = all.FirstOrDefault(p => p.LabelsPerItem == point.LabelsPerItem + 1);
            if (next?.Marginal is { } gain && gain < options.MinGain)
            {
                recommended = point.LabelsPerItem;
                break;
            }
        }

        var at = all.FirstOrDefault(p => p.LabelsPerItem == recommended);
        var following = all.FirstOrDefault(p => p.LabelsPerItem == recommended + 1);
        var text = at is null
            ? "not enough gold items with labels to recommend"
            : following is null
                ? string.Format(CultureInfo.InvariantCulture, "{0} labels per item (accuracy {1:P1}); every label up to the most any item has still gained ≥ {2:P1}, so more labels per item may pay", recommended, at.Accuracy, options.MinGain)
                : string.Format(CultureInfo.InvariantCulture, "{0} labels per item (accuracy {1:P1}); a {2}th label would add {3:+0.0;-0.0} points, below the {4:0.0}-point threshold", recommended, at.Accuracy, recommended + 1, following.Marginal!.Value * 100, options.MinGain * 100);
        var best = points.Where(p => p.Pool != "all" && p.LabelsPerItem == recommended).OrderByDescending(p => p.Accuracy).FirstOrDefault();
        if (best is not null && at is not null && best.Accuracy > at.Accuracy + options.MinGain)
        {
            text += string.Format(CultureInfo.InvariantCulture, "; the '{0}' pool reaches {1:P1} with as many labels", best.Pool, best.Accuracy);
        }

        return new CurveResult(AggregationResult.Name(options.Method), pools.Select(p => p.Pool).ToArray(), points, recommended, text);
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

    private static (int Right, int Count) Score(AggregationResult result, List<(int Task, int Class)> gold, bool[] keep, LabelSet set)
    {
        var labelled = new bool[set.Tasks.Count];
        for (var i = 0; i < keep.Length; i++)
        {
            if (keep[i])
            {
                labelled[set.TaskOf[i]] = true;
            }
        }

        int right = 0, count = 0;
        foreach (var (task, answer) in gold)
        {
            if (labelled[task])
            {
                count++;
                right += result.Labels[task] == answer ? 1 : 0;
            }
        }

        return (right, count);
    }
}
