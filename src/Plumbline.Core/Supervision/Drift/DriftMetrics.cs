namespace Plumbline.Core.Supervision.Drift;

/// <summary>What a metric needs beyond the responses themselves.</summary>
public enum MetricRequirement
{
    /// <summary>Always computed.</summary>
    None,

    /// <summary>Needs the frozen clustering (k-means on the embeddings).</summary>
    Clusters,

    /// <summary>Needs a probe battery (<c>--probes</c>).</summary>
    Probes,
}

/// <summary>A drift metric: its report name (snake_case), what it measures, and what it needs.</summary>
public sealed record DriftMetric(string Name, string Description, MetricRequirement Requires = MetricRequirement.None);

/// <summary>Every metric of a drift report, in report order (documented in the README from this list).</summary>
public static class DriftMetrics
{
    /// <summary>distinct-1.</summary>
    public const string Distinct1 = "distinct_1";

    /// <summary>distinct-2.</summary>
    public const string Distinct2 = "distinct_2";

    /// <summary>distinct-3.</summary>
    public const string Distinct3 = "distinct_3";

    /// <summary>distinct-4.</summary>
    public const string Distinct4 = "distinct_4";

    /// <summary>Self-BLEU-4.</summary>
    public const string SelfBleu = "self_bleu";

    /// <summary>Token entropy (bits).</summary>
    public const string TokenEntropy = "token_entropy";

    /// <summary>Mean response length in tokens.</summary>
    public const string MeanLength = "mean_length";

    /// <summary>Share of responses without a single word.</summary>
    public const string EmptyShare = "empty_share";

    /// <summary>Mean pairwise cosine distance.</summary>
    public const string Dispersion = "dispersion";

    /// <summary>Vendi score.</summary>
    public const string Vendi = "vendi";

    /// <summary>Fréchet distance to the reference.</summary>
    public const string FrechetToReference = "frechet_to_reference";

    /// <summary>Fréchet distance to round 0.</summary>
    public const string FrechetToRound0 = "frechet_to_round0";

    /// <summary>MMD² to the reference.</summary>
    public const string MmdToReference = "mmd_to_reference";

    /// <summary>MMD² to round 0.</summary>
    public const string MmdToRound0 = "mmd_to_round0";

    /// <summary>Domain-classifier AUC against the reference.</summary>
    public const string ClassifierAucToReference = "classifier_auc_to_reference";

    /// <summary>Domain-classifier AUC against round 0.</summary>
    public const string ClassifierAucToRound0 = "classifier_auc_to_round0";

    /// <summary>Median perplexity under the round-0 model.</summary>
    public const string PerplexityMedian = "perplexity_median";

    /// <summary>Share of responses below round 0's 10th perplexity percentile.</summary>
    public const string PerplexityLowShare = "perplexity_low_share";

    /// <summary>Share of responses above round 0's 90th perplexity percentile.</summary>
    public const string PerplexityTailShare = "perplexity_tail_share";

    /// <summary>Entropy of the frozen-cluster shares (bits).</summary>
    public const string ClusterEntropy = "cluster_entropy";

    /// <summary>Largest absolute change of a frozen cluster's share since round 0.</summary>
    public const string ClusterShareChange = "cluster_share_change";

    /// <summary>Share of the reference's clusters that have vanished.</summary>
    public const string ClustersVanished = "clusters_vanished";

    /// <summary>Share of probe answers that match the behaviour the probe tests.</summary>
    public const string ProbeMatchingRate = "probe_matching_rate";

    /// <summary>All metrics with their descriptions.</summary>
    public static IReadOnlyList<DriftMetric> All { get; } =
    [
        new(Distinct1, "distinct unigrams / all unigrams over the round's responses (Li et al. 2016)"),
        new(Distinct2, "distinct bigrams / all bigrams"),
        new(Distinct3, "distinct trigrams / all trigrams"),
        new(Distinct4, "distinct 4-grams / all 4-grams"),
        new(SelfBleu, "mean BLEU-4 of each response against all the others as references (Zhu et al. 2018; NLTK sentence_bleu with smoothing method 1); higher = less diverse"),
        new(TokenEntropy, "Shannon entropy in bits of the round's word distribution"),
        new(MeanLength, "mean number of words per response"),
        new(EmptyShare, "share of responses without a single word (empty, or punctuation only); they add nothing to distinct-n and self-BLEU, so read those with it"),
        new(Dispersion, "mean cosine distance between two different responses' embeddings (responses with no known word count as one shared point, unlike all others)"),
        new(Vendi, "Vendi score with the cosine kernel (Friedman and Dieng 2023): the effective number of distinct responses, from the d×d embedding spectrum"),
        new(FrechetToReference, "Fréchet distance between Gaussians fitted to the round's and the reference's embeddings"),
        new(FrechetToRound0, "Fréchet distance to round 0's embeddings"),
        new(MmdToReference, "linear-time unbiased MMD² to the reference's embeddings (Gaussian kernel, median-heuristic width); ≈0 when alike"),
        new(MmdToRound0, "linear-time MMD² to round 0"),
        new(ClassifierAucToReference, "5-fold cross-validated AUC of a logistic regression telling the round's embeddings from the reference's; 0.5 = indistinguishable"),
        new(ClassifierAucToRound0, "cross-validated classifier AUC against round 0"),
        new(PerplexityMedian, "median perplexity of the responses under the n-gram model of round 0"),
        new(PerplexityLowShare, "share of responses whose perplexity under the round-0 model is below round 0's own 10th percentile (≈0.1 at round 0; grows as mass moves to low perplexity)"),
        new(PerplexityTailShare, "share of responses above round 0's 90th perplexity percentile (≈0.1 at round 0; falls as the tails vanish)"),
        new(ClusterEntropy, "entropy in bits of the shares of the clusters frozen at round 0", MetricRequirement.Clusters),
        new(ClusterShareChange, "the largest absolute change of any frozen round-0 cluster's share since round 0", MetricRequirement.Clusters),
        new(ClustersVanished, "share of the reference's clusters whose share in this round fell below a tenth of their reference share", MetricRequirement.Clusters),
        new(ProbeMatchingRate, "share of probe answers matching the behaviour the probe tests (all probe files pooled; Wilson interval)", MetricRequirement.Probes),
    ];

    /// <summary>The names of <see cref="All"/>.</summary>
    public static IReadOnlyCollection<string> Names { get; } = All.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
}
