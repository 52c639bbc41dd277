using Plumbline.Core.Analysis.Clustering;

namespace Plumbline.Core.Supervision.Diff;

/// <summary>How a behaviour diff runs. Every default is documented; <see cref="Validate"/> reports all errors together.</summary>
public sealed record DiffOptions
{
    /// <summary>Seed of every random step (k-means, samples, bootstrap, null split). Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>False discovery rate at which a cluster's shift counts as significant (Benjamini–Hochberg q ≤ Alpha). Default 0.05.</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>Smallest k tried. Default 2.</summary>
    public int MinK { get; init; } = 2;

    /// <summary>Largest k tried. Default 30.</summary>
    public int MaxK { get; init; } = 30;

    /// <summary>A fixed k instead of choosing one (null: choose by silhouette).</summary>
    public int? K { get; init; }

    /// <summary>k-means restarts of the final fit. Default 4.</summary>
    public int Restarts { get; init; } = 4;

    /// <summary>Bootstrap resamples for cluster stability (0 skips it). Default 10.</summary>
    public int BootstrapResamples { get; init; } = 10;

    /// <summary>Run the null check (split the before-samples in two halves and diff them). Default true.</summary>
    public bool NullCheck { get; init; } = true;

    /// <summary>Mark negated words (<see cref="Analysis.NegationMarking"/>) before embedding, so a word-count embedder separates opposite stances. Default true; the CLI turns it off for endpoint embedders.</summary>
    public bool MarkNegation { get; init; } = true;

    /// <summary>Test shares stratified by prompt (Cochran–Mantel–Haenszel) when before and after answer the same prompts: null decides from the data (see <see cref="PromptMatching"/>).</summary>
    public bool? Stratify { get; init; }

    /// <summary>A cluster with at least this many members is split in two to look for a shift inside it (an impure cluster). Default 20.</summary>
    public int MinSplitSize { get; init; } = 20;

    /// <summary>Random relabellings in the permutation test for a shift inside a cluster (p ≥ 1/(Permutations+1)). Default 999.</summary>
    public int Permutations { get; init; } = 999;

    /// <summary>Example responses shown per cluster and side. Default 3.</summary>
    public int Examples { get; init; } = 3;

    /// <summary>In-cluster and nearest out-of-cluster examples given to the labeler. Default 8 each.</summary>
    public int LabelExamples { get; init; } = 8;

    /// <summary>Held-out members and non-members classified by a label to validate it. Default 10 each.</summary>
    public int ValidationItems { get; init; } = 10;

    /// <summary>A label whose validation accuracy is below this is marked unreliable. Default 0.7.</summary>
    public double LabelThreshold { get; init; } = 0.7;

    /// <summary>The intended change of the fine-tuning, for the judge (null: no judge).</summary>
    public string? Intended { get; init; }

    /// <summary>Points of the 2-D map in the HTML report at most. Default 3000.</summary>
    public int MapPoints { get; init; } = 3000;

    /// <summary>Threads at most (null: every core). Results do not depend on it.</summary>
    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>All errors, empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(Alpha > 0 && Alpha < 1))
        {
            errors.Add($"alpha must be between 0 and 1 (was {Alpha})");
        }

        if (MinK < 2 || MaxK < MinK)
        {
            errors.Add($"k range must satisfy 2 ≤ min ≤ max (was {MinK}…{MaxK})");
        }

        if (K is < 1)
        {
            errors.Add($"k must be at least 1 (was {K})");
        }

        if (Restarts < 1)
        {
            errors.Add($"restarts must be at least 1 (was {Restarts})");
        }

        if (Permutations < 19)
        {
            errors.Add($"permutations must be at least 19 (was {Permutations})");
        }

        if (BootstrapResamples < 0)
        {
            errors.Add($"bootstrap resamples must be 0 or more (was {BootstrapResamples})");
        }

        if (!(LabelThreshold >= 0 && LabelThreshold <= 1))
        {
            errors.Add($"label threshold must be between 0 and 1 (was {LabelThreshold})");
        }

        if (Examples < 0 || LabelExamples < 1 || ValidationItems < 1 || MinSplitSize < 4 || MapPoints < 0)
        {
            errors.Add("examples ≥ 0, label examples ≥ 1, validation items ≥ 1, split size ≥ 4 and map points ≥ 0 are required");
        }

        return errors;
    }

    internal KMeansOptions KMeansOptions(int restarts) => new(Seed: Seed, Restarts: restarts, MaxDegreeOfParallelism: MaxDegreeOfParallelism);
}
