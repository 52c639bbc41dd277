namespace Plumbline.Core.Curation.Aggregation;

/// <summary>Majority vote (posteriors are vote shares) and Wawa (worker agreement with aggregate: votes weighted by agreement with the majority).</summary>
public static class MajorityVote
{
    public static AggregationResult Fit(LabelSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var posterior = Votes(set, null);
        var labels = new AggregationResult("mv", set, posterior, new double[set.Workers.Count], 0).Labels;
        return new AggregationResult("mv", set, posterior, Accuracy(set, labels), 0);
    }

    public static AggregationResult FitWawa(LabelSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var skill = Fit(set).Skill.ToArray();
        return new AggregationResult("wawa", set, Votes(set, skill), skill, 1);
    }

    /// <summary>Each worker's share of labels equal to the aggregated label of the task.</summary>
    internal static double[] Accuracy(LabelSet set, IReadOnlyList<int> labels)
    {
        var right = new double[set.Workers.Count];
        for (var i = 0; i < set.Count; i++)
        {
            if (set.ClassOf[i] == labels[set.TaskOf[i]])
            {
                right[set.WorkerOf[i]]++;
            }
        }

        for (var w = 0; w < right.Length; w++)
        {
            right[w] = set.LabelsPerWorker[w] == 0 ? 0 : right[w] / set.LabelsPerWorker[w];
        }

        return right;
    }

    internal static double[] Votes(LabelSet set, double[]? weight)
    {
        var k = set.ClassCount;
        var posterior = new double[set.Tasks.Count * k];
        for (var i = 0; i < set.Count; i++)
        {
            posterior[(set.TaskOf[i] * k) + set.ClassOf[i]] += weight?[set.WorkerOf[i]] ?? 1;
        }

        for (var t = 0; t < set.Tasks.Count; t++)
        {
            var sum = 0.0;
            for (var c = 0; c < k; c++)
            {
                sum += posterior[(t * k) + c];
            }

            for (var c = 0; c < k; c++)
            {
                posterior[(t * k) + c] = sum > 0 ? posterior[(t * k) + c] / sum : 1.0 / k;
            }
        }

        return posterior;
    }
}
