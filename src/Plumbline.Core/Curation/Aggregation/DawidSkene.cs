namespace Plumbline.Core.Curation.Aggregation;

/// <summary>
/// Dawid and Skene (1979): EM over per-worker confusion matrices and class priors, in crowd-kit's form so that
/// its published step-by-step values hold: start from majority-vote posteriors, M-step (confusions clipped at
/// 1e-10 and normalised per true class, priors = mean posterior), E-step in log space, stop when the evidence
/// lower bound per label gains less than the tolerance. Skill = Σ_c prior[c]·P(answer c | truth c).
/// </summary>
public static class DawidSkene
{
    private const double Epsilon = 1e-10;

    /// <param name="gold">Known answers (task index → class index): their posteriors are held at certainty, as crowd-kit's <c>fit(data, true_labels)</c> does.</param>
    public static AggregationResult Fit(LabelSet set, int maxIterations = 100, double tolerance = 1e-5, IProgress<double>? progress = null, IReadOnlyDictionary<int, int>? gold = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentOutOfRangeException.ThrowIfNegative(maxIterations);
        var k = set.ClassCount;
        var workers = set.Workers.Count;
        var posterior = MajorityVote.Votes(set, null);
        Clamp(posterior, k, gold);
        var priors = Priors(set, posterior);
        var errors = new double[workers * k * k];
        MStep(set, posterior, errors);
        var logErrors = new double[errors.Length];
        var logPriors = new double[k];
        var loss = double.NegativeInfinity;
        var iterations = 0;
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            Logs(errors, logErrors, priors, logPriors);
            EStep(set, logErrors, logPriors, posterior);
            Clamp(posterior, k, gold);
            priors = Priors(set, posterior);
            MStep(set, posterior, errors);
            iterations++;
            progress?.Report((double)iterations / maxIterations);
            Logs(errors, logErrors, priors, logPriors);
            var newLoss = EvidenceLowerBound(set, posterior, logErrors, logPriors) / set.Count;
            if (newLoss - loss < tolerance)
            {
                break;
            }

            loss = newLoss;
        }

        var confusion = new double[workers][];
        var skill = new double[workers];
        for (var w = 0; w < workers; w++)
        {
            confusion[w] = new double[k * k];
            for (var truth = 0; truth < k; truth++)
            {
                for (var observed = 0; observed < k; observed++)
                {
                    confusion[w][(truth * k) + observed] = errors[(w * k * k) + (observed * k) + truth];
                }

                skill[w] += priors[truth] * confusion[w][(truth * k) + truth];
            }
        }

        return new AggregationResult("ds", set, posterior, skill, iterations, confusion, priors);
    }

    private static void Clamp(double[] posterior, int k, IReadOnlyDictionary<int, int>? gold)
    {
        foreach (var (task, answer) in gold ?? new Dictionary<int, int>())
        {
            for (var c = 0; c < k; c++)
            {
                posterior[(task * k) + c] = c == answer ? 1 : 0;
            }
        }
    }

    internal static double[] Priors(LabelSet set, double[] posterior)
    {
        var k = set.ClassCount;
        var priors = new double[k];
        for (var t = 0; t < set.Tasks.Count; t++)
        {
            for (var c = 0; c < k; c++)
            {
                priors[c] += posterior[(t * k) + c];
            }
        }

        for (var c = 0; c < k; c++)
        {
            priors[c] /= set.Tasks.Count;
        }

        return priors;
    }

    /// <summary>errors[w, observed, truth] = Σ posterior[task, truth] over the worker's answers `observed`, clipped and normalised over observed.</summary>
    internal static void MStep(LabelSet set, double[] posterior, double[] errors)
    {
        var k = set.ClassCount;
        Array.Clear(errors);
        for (var i = 0; i < set.Count; i++)
        {
            var row = (set.WorkerOf[i] * k * k) + (set.ClassOf[i] * k);
            var p = set.TaskOf[i] * k;
            for (var c = 0; c < k; c++)
            {
                errors[row + c] += posterior[p + c];
            }
        }

        var workers = errors.Length / (k * k);
        for (var w = 0; w < workers; w++)
        {
            var block = w * k * k;
            for (var truth = 0; truth < k; truth++)
            {
                var sum = 0.0;
                for (var observed = 0; observed < k; observed++)
                {
                    ref var e = ref errors[block + (observed * k) + truth];
                    e = Math.Max(e, Epsilon);
                    sum += e;
                }

                for (var observed = 0; observed < k; observed++)
                {
                    errors[block + (observed * k) + truth] /= sum;
                }
            }
        }
    }

    internal static void EStep(LabelSet set, double[] logErrors, double[] logPriors, double[] posterior)
    {
        var k = set.ClassCount;
        Span<double> row = k <= 64 ? stackalloc double[k] : new double[k];
        for (var t = 0; t < set.Tasks.Count; t++)
        {
            logPriors.CopyTo(row);
            for (var i = set.TaskStart[t]; i < set.TaskStart[t + 1]; i++)
            {
                var e = (set.WorkerOf[i] * k * k) + (set.ClassOf[i] * k);
                for (var c = 0; c < k; c++)
                {
                    row[c] += logErrors[e + c];
                }
            }

            Normalise(row, posterior.AsSpan(t * k, k));
        }
    }

    /// <summary>Softmax of log-likelihoods, shifted by the maximum so the exponentials stay in range.</summary>
    internal static void Normalise(ReadOnlySpan<double> logLikelihood, Span<double> into)
    {
        var max = double.NegativeInfinity;
        foreach (var x in logLikelihood)
        {
            max = Math.Max(max, x);
        }

        var sum = 0.0;
        for (var c = 0; c < logLikelihood.Length; c++)
        {
            into[c] = Math.Exp(logLikelihood[c] - max);
            sum += into[c];
        }

        for (var c = 0; c < into.Length; c++)
        {
            into[c] /= sum;
        }
    }

    private static void Logs(double[] errors, double[] logErrors, double[] priors, double[] logPriors)
    {
        for (var i = 0; i < errors.Length; i++)
        {
            logErrors[i] = Math.Log(errors[i]);
        }

        for (var c = 0; c < priors.Length; c++)
        {
            logPriors[c] = Math.Log(priors[c]);
        }
    }

    /// <summary>crowd-kit's bound: Σ over labels of E[log P(answer, truth)] plus the entropy of the task posteriors.</summary>
    private static double EvidenceLowerBound(LabelSet set, double[] posterior, double[] logErrors, double[] logPriors)
    {
        var k = set.ClassCount;
        var joint = 0.0;
        for (var i = 0; i < set.Count; i++)
        {
            var e = (set.WorkerOf[i] * k * k) + (set.ClassOf[i] * k);
            var p = set.TaskOf[i] * k;
            for (var c = 0; c < k; c++)
            {
                if (posterior[p + c] > 0)
                {
                    joint += posterior[p + c] * (logErrors[e + c] + logPriors[c]);
                }
            }
        }

        var entropy = 0.0;
        foreach (var p in posterior)
        {
            if (p > 0)
            {
                entropy -= p * Math.Log(p);
            }
        }

        return joint + entropy;
    }
}
