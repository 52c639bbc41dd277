namespace Plumbline.Core.Curation.Aggregation;

public enum AggregationMethod
{
    MajorityVote,
    Wawa,
    DawidSkene,
    Glad,
    Mace,
}

/// <summary>
/// Aggregated labels: the posterior over classes of every task (row-major, tasks × classes), the chosen label
/// (highest posterior; ties go to the first class), and each worker's skill. Dawid–Skene also gives each
/// worker's confusion matrix (true × observed, rows sum to 1).
/// </summary>
public sealed class AggregationResult
{
    internal AggregationResult(string method, LabelSet set, double[] posterior, double[] skill, int iterations, double[][]? confusion = null, double[]? priors = null)
    {
        Method = method;
        Set = set;
        Posterior = posterior;
        Skill = skill;
        Iterations = iterations;
        Confusion = confusion;
        Priors = priors;
        var k = set.ClassCount;
        var labels = new int[set.Tasks.Count];
        for (var t = 0; t < labels.Length; t++)
        {
            var best = 0;
            for (var c = 1; c < k; c++)
            {
                if (posterior[(t * k) + c] > posterior[(t * k) + best])
                {
                    best = c;
                }
            }

            labels[t] = best;
        }

        Labels = labels;
    }

    /// <summary>crowd-kit's name of the method: mv, wawa, ds, glad, mace.</summary>
    public string Method { get; }

    public LabelSet Set { get; }

    public IReadOnlyList<double> Posterior { get; }

    /// <summary>The label (class index) of each task.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>Per worker, in <see cref="LabelSet.Workers"/> order; what it means depends on the method (accuracy, ability, competence).</summary>
    public IReadOnlyList<double> Skill { get; }

    public IReadOnlyList<double[]>? Confusion { get; }

    public IReadOnlyList<double>? Priors { get; }

    public int Iterations { get; }

    public double Probability(int task, int label) => Posterior[(task * Set.ClassCount) + label];

    public static string Name(AggregationMethod method) => method switch
    {
        AggregationMethod.MajorityVote => "mv",
        AggregationMethod.Wawa => "wawa",
        AggregationMethod.DawidSkene => "ds",
        AggregationMethod.Glad => "glad",
        _ => "mace",
    };
}

/// <summary>Runs an aggregation method by name.</summary>
public static class Aggregator
{
    public static AggregationResult Run(LabelSet set, AggregationMethod method, int maxIterations = 100, double tolerance = 1e-5) => method switch
    {
        AggregationMethod.MajorityVote => MajorityVote.Fit(set),
        AggregationMethod.Wawa => MajorityVote.FitWawa(set),
        AggregationMethod.DawidSkene => DawidSkene.Fit(set, maxIterations, tolerance),
        AggregationMethod.Glad => Glad.Fit(set, maxIterations, tolerance),
        _ => Mace.Fit(set, maxIterations, tolerance),
    };
}
