using System.Text.Json.Serialization;
using Plumbline.Core.Analysis.Clustering;

namespace Plumbline.Core.Supervision.Diff;

/// <summary>The outcome of a behaviour diff; serialised (snake_case) it is the body of <c>report.json</c> (DESIGN's diff contract).</summary>
/// <param name="Summary">Sizes, k and how it was chosen, the test used, counts of significant and impure clusters, models.</param>
/// <param name="Clusters">Every cluster, by id.</param>
/// <param name="Coarse">The coarser level: clusters whose centroids or labels coincide, merged and tested again.</param>
/// <param name="NullCheck">The before-samples split in two and diffed (null when switched off).</param>
/// <param name="Map">A sample of the responses on their first two principal components (for the HTML map; not in report.json).</param>
public sealed record DiffReport(DiffSummary Summary, IReadOnlyList<ClusterReport> Clusters, IReadOnlyList<CoarseCluster> Coarse, NullCheckReport? NullCheck, [property: JsonIgnore] IReadOnlyList<MapPoint> Map);

/// <summary>The headline numbers of a diff.</summary>
public sealed record DiffSummary(
    int BeforeSamples,
    int AfterSamples,
    int K,
    string KRule,
    IReadOnlyList<KCandidate> KCandidates,
    bool Stratified,
    string Test,
    double Alpha,
    int SignificantClusters,
    int ImpureClusters,
    int CoarseGroups,
    string CoarseRule,
    int SignificantGroups,
    int ImpureGroups,
    double? StabilityAri,
    string Embedder,
    string? Facets,
    string? Labeler,
    string? Judge,
    string? Intended);

/// <summary>A count per side.</summary>
public sealed record SideCounts(int Before, int After);

/// <summary>A share per side: the fraction of that side's samples.</summary>
public sealed record SideShares(double Before, double After);

/// <summary>An example response.</summary>
public sealed record ExampleText(string Id, string Text);

/// <summary>Example responses per side, the most typical first (nearest the centroid).</summary>
public sealed record SideExamples(IReadOnlyList<ExampleText> Before, IReadOnlyList<ExampleText> After);

/// <summary>How well a label picks out its cluster: held-out members and nearest non-members classified by the label.</summary>
/// <param name="Items">Examples classified.</param>
/// <param name="Accuracy">Fraction classified correctly.</param>
/// <param name="Auc">Area under the ROC curve of the yes/no answers (equals balanced accuracy for a single threshold).</param>
/// <param name="Purity">Fraction of held-out members the label fits.</param>
/// <param name="Reliable">Accuracy at or above the threshold.</param>
public sealed record LabelValidation(int Items, double Accuracy, double Auc, double Purity, bool Reliable);

/// <summary>
/// A test for a shift inside a cluster (for example opposite stances on one topic moving apart while the
/// cluster's share stays put): a naive Bayes classifier on words (negations marked) learns before from
/// after, leaving each member out in turn; its AUC is compared with the AUCs under random relabellings
/// of before and after (a permutation test, so p is exact).
/// </summary>
/// <param name="Tested">Members tested.</param>
/// <param name="Auc">Leave-one-out AUC: probability that an after-response scores above a before-response (about 0.5 or below: no shift inside).</param>
/// <param name="BeforeKeywords">Words most typical of the before-responses inside the cluster (highest naive Bayes log-odds for before; seen at least 3 times).</param>
/// <param name="AfterKeywords">Words most typical of the after-responses inside the cluster.</param>
/// <param name="PValue">Permutation p: (1 + relabellings with an AUC at least as high) / (1 + relabellings).</param>
/// <param name="QValue">Benjamini–Hochberg over every cluster tested.</param>
/// <param name="Significant">q ≤ alpha: the cluster holds behaviours that moved differently (impure).</param>
public sealed record ClusterSplit(int Tested, double Auc, IReadOnlyList<string> BeforeKeywords, IReadOnlyList<string> AfterKeywords, double PValue, double QValue, bool Significant);

/// <summary>A judge's verdict as reported.</summary>
public sealed record VerdictReport(string Verdict, string Reason);

/// <summary>One cluster of the diff.</summary>
public sealed record ClusterReport(
    int Id,
    string Label,
    string LabelSource,
    IReadOnlyList<string> Keywords,
    SideCounts Counts,
    SideShares Shares,
    double Difference,
    string Direction,
    double PValue,
    double QValue,
    bool Significant,
    double? Stability,
    double? Cohesion,
    LabelValidation? Validation,
    ClusterSplit? Split,
    bool Impure,
    int Coarse,
    VerdictReport? Verdict,
    SideExamples Examples,
    IReadOnlyList<string> Members,
    IReadOnlyList<string> MembersBefore,
    IReadOnlyList<string> MembersAfter);

/// <summary>A group of the coarse level: fine clusters merged because their centroids (or labels) coincide, so one behaviour spread over several clusters is tested as one.</summary>
/// <param name="Id">Group id.</param>
/// <param name="Clusters">Ids of its fine clusters.</param>
/// <param name="Label">Labels of its largest fine clusters, joined.</param>
/// <param name="Counts">Samples per side.</param>
/// <param name="Shares">Shares per side.</param>
/// <param name="Difference">After share minus before share.</param>
/// <param name="Direction">up, down or none.</param>
/// <param name="PValue">Test of the group's share.</param>
/// <param name="QValue">Benjamini–Hochberg over the groups.</param>
/// <param name="Significant">q ≤ alpha.</param>
/// <param name="HeterogeneityP">Pearson χ² test that the group's fine clusters kept their before/after mix (null for a one-cluster group).</param>
/// <param name="HeterogeneityQ">Benjamini–Hochberg over the groups tested.</param>
/// <param name="Impure">The fine clusters of the group moved differently, or its split test is significant (q ≤ alpha): the group mixes behaviours, such as opposite stances on one topic, that changed in different directions.</param>
/// <param name="Split">The held-out test for a shift inside the group (see <see cref="ClusterSplit"/>).</param>
public sealed record CoarseCluster(int Id, IReadOnlyList<int> Clusters, string Label, SideCounts Counts, SideShares Shares, double Difference, string Direction, double PValue, double QValue, bool Significant, double? HeterogeneityP, double? HeterogeneityQ, ClusterSplit? Split, bool Impure);

/// <summary>The null check: two random halves of the before-samples diffed with the same steps; every significant cluster is a false positive.</summary>
public sealed record NullCheckReport(int HalfA, int HalfB, int K, int Clusters, int SignificantClusters, int SignificantSplits, double FalsePositiveRate, double Alpha, bool Passed);

/// <summary>A response on the 2-D map.</summary>
public sealed record MapPoint(double X, double Y, int Cluster, bool After);
