namespace Plumbline.Core.Curation.Aggregation;

/// <summary>
/// MACE (Hovy et al. 2013): each answer is either the truth (with the worker's competence θ_w) or a draw from
/// the worker's own spamming distribution ξ_w. EM with light smoothing (θ ~ Beta(1, 1), ξ ~ Dirichlet(0.5)),
/// starting from majority-vote posteriors; truth has a uniform prior. Skill = θ_w.
/// </summary>
public static class Mace
{
    public static AggregationResult Fit(LabelSet set, int maxIterations = 100, double tolerance = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(set);
        var k = set.ClassCount;
        var workers = set.Workers.Count;
        var theta = new double[workers];
        var xi = new double[workers * k];
        var posterior = MajorityVote.Votes(set, null);
        var next = new double[posterior.Length];
        var iterations = 0;
        Span<double> row = k <= 64 ? stackalloc double[k] : new double[k];
        MStep(set, posterior, theta, xi);
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            var change = 0.0;
            for (var t = 0; t < set.Tasks.Count; t++)
            {
                row.Clear();
                for (var i = set.TaskStart[t]; i < set.TaskStart[t + 1]; i++)
                {
                    var w = set.WorkerOf[i];
                    var y = set.ClassOf[i];
                    var spam = (1 - theta[w]) * xi[(w * k) + y];
                    for (var c = 0; c < k; c++)
                    {
                        row[c] += Math.Log((c == y ? theta[w] : 0) + spam);
                    }
                }

                DawidSkene.Normalise(row, next.AsSpan(t * k, k));
                for (var c = 0; c < k; c++)
                {
                    change = Math.Max(change, Math.Abs(next[(t * k) + c] - posterior[(t * k) + c]));
                }
            }

            (posterior, next) = (next, posterior);
            MStep(set, posterior, theta, xi);
            iterations++;
            if (change < tolerance)
            {
                break;
            }
        }

        return new AggregationResult("mace", set, posterior, theta, iterations);
    }

    private static void MStep(LabelSet set, double[] posterior, double[] theta, double[] xi)
    {
        var k = set.ClassCount;
        var honest = new double[theta.Length];
        var spam = new double[xi.Length];
        var first = theta.All(x => x == 0);
        for (var i = 0; i < set.Count; i++)
        {
            var w = set.WorkerOf[i];
            var y = set.ClassOf[i];
            var p = posterior[(set.TaskOf[i] * k) + y];
            var notSpam = first
                ? p
                : p * theta[w] / (theta[w] + ((1 - theta[w]) * xi[(w * k) + y]));
            honest[w] += notSpam;
            spam[(w * k) + y] += 1 - notSpam;
        }

        for (var w = 0; w < theta.Length; w++)
        {
            var n = set.LabelsPerWorker[w];
            theta[w] = (honest[w] + 1) / (n + 2.0);
            var total = 0.0;
            for (var c = 0; c < k; c++)
            {
                total += spam[(w * k) + c] + 0.5;
            }

            for (var c = 0; c < k; c++)
            {
                xi[(w * k) + c] = (spam[(w * k) + c] + 0.5) / total;
            }
        }
    }
}
