namespace Plumbline.Core.Curation.Aggregation;

/// <summary>
/// GLAD (Whitehill et al. 2009): a worker answers a task right with probability σ(α_w·β_t), where α_w is the
/// worker's ability and β_t = exp(b_t) the task's inverse difficulty; wrong answers are uniform over the other
/// classes. EM: the E-step gives task posteriors, the M-step takes gradient steps on α and b under N(1, 1)
/// priors. Skill = α_w.
/// </summary>
public static class Glad
{
    private const int GradientSteps = 25;
    private const double LearningRate = 0.5;

    public static AggregationResult Fit(LabelSet set, int maxIterations = 100, double tolerance = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(set);
        var k = set.ClassCount;
        var alpha = Enumerable.Repeat(1.0, set.Workers.Count).ToArray();
        var b = Enumerable.Repeat(1.0, set.Tasks.Count).ToArray();
        var perTask = new int[set.Tasks.Count];
        for (var t = 0; t < perTask.Length; t++)
        {
            perTask[t] = set.TaskStart[t + 1] - set.TaskStart[t];
        }

        var posterior = MajorityVote.Votes(set, null);
        var priors = DawidSkene.Priors(set, posterior);
        var next = new double[posterior.Length];
        var gAlpha = new double[alpha.Length];
        var gB = new double[b.Length];
        var iterations = 0;
        Span<double> row = k <= 64 ? stackalloc double[k] : new double[k];
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            MStep(set, posterior, alpha, b, perTask, gAlpha, gB);
            var change = 0.0;
            for (var t = 0; t < set.Tasks.Count; t++)
            {
                for (var c = 0; c < k; c++)
                {
                    row[c] = Math.Log(Math.Max(priors[c], 1e-300));
                }

                var beta = Math.Exp(b[t]);
                for (var i = set.TaskStart[t]; i < set.TaskStart[t + 1]; i++)
                {
                    var x = alpha[set.WorkerOf[i]] * beta;
                    var right = LogSigmoid(x);
                    var wrong = k == 1 ? 0 : LogSigmoid(-x) - Math.Log(k - 1);
                    for (var c = 0; c < k; c++)
                    {
                        row[c] += set.ClassOf[i] == c ? right : wrong;
                    }
                }

                DawidSkene.Normalise(row, next.AsSpan(t * k, k));
                for (var c = 0; c < k; c++)
                {
                    change = Math.Max(change, Math.Abs(next[(t * k) + c] - posterior[(t * k) + c]));
                }
            }

            (posterior, next) = (next, posterior);
            priors = DawidSkene.Priors(set, posterior);
            iterations++;
            if (change < tolerance)
            {
                break;
            }
        }

        return new AggregationResult("glad", set, posterior, alpha, iterations, priors: priors);
    }

    private static void MStep(LabelSet set, double[] posterior, double[] alpha, double[] b, int[] perTask, double[] gAlpha, double[] gB)
    {
        var k = set.ClassCount;
        for (var step = 0; step < GradientSteps; step++)
        {
            for (var w = 0; w < alpha.Length; w++)
            {
                gAlpha[w] = -(alpha[w] - 1);
            }

            for (var t = 0; t < b.Length; t++)
            {
                gB[t] = -(b[t] - 1);
            }

            for (var i = 0; i < set.Count; i++)
            {
                var t = set.TaskOf[i];
                var w = set.WorkerOf[i];
                var beta = Math.Exp(b[t]);
                var residual = posterior[(t * k) + set.ClassOf[i]] - Sigmoid(alpha[w] * beta);
                gAlpha[w] += residual * beta;
                gB[t] += residual * alpha[w] * beta;
            }

            for (var w = 0; w < alpha.Length; w++)
            {
                alpha[w] += LearningRate * gAlpha[w] / (set.LabelsPerWorker[w] + 1);
            }

            for (var t = 0; t < b.Length; t++)
            {
                b[t] = Math.Clamp(b[t] + (LearningRate * gB[t] / (perTask[t] + 1)), -5, 5);
            }
        }
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double LogSigmoid(double x) => x >= 0 ? -double.LogP1(Math.Exp(-x)) : x - double.LogP1(Math.Exp(x));
}
