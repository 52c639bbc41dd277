namespace Plumbline.Core.Supervision.Drift;

/// <summary>A histogram over log10(perplexity) with fixed edges (set by the reference and round 0), plus the counts outside them.</summary>
/// <param name="Edges">Bin edges in log10 perplexity, ascending (bins + 1 values).</param>
/// <param name="Counts">Responses per bin.</param>
/// <param name="Below">Responses below the first edge.</param>
/// <param name="Above">Responses above the last edge.</param>
public sealed record PerplexityHistogram(IReadOnlyList<double> Edges, IReadOnlyList<int> Counts, int Below, int Above);

/// <summary>One probe file's answer rate in one round.</summary>
/// <param name="Items">The probe file.</param>
/// <param name="N">Answers naming a choice.</param>
/// <param name="MatchingRate">Share of them matching the behaviour.</param>
/// <param name="Ci">95% Wilson interval.</param>
/// <param name="Unparseable">Answers naming no choice.</param>
public sealed record ProbeResult(string Items, int N, double MatchingRate, IReadOnlyList<double> Ci, int Unparseable);

/// <summary>The metrics of one set of responses (a round, or the reference).</summary>
/// <param name="Round">Round index (0, 1, …); −1 for the reference.</param>
/// <param name="Source">Where the responses came from (a file name, or a generation of the simulator).</param>
/// <param name="N">Number of responses.</param>
/// <param name="Metrics">Metric name → value (see <see cref="DriftMetrics"/>); NaN where it cannot be computed.</param>
/// <param name="Ci">Metric name → [low, high], the 95% bootstrap interval (percentile, re-centred on the value; Wilson for probe rates).</param>
/// <param name="PerplexityHistogram">Perplexities under the round-0 model.</param>
/// <param name="ClusterShares">Share of each frozen round-0 cluster (null without clustering).</param>
/// <param name="Probes">Probe answer rates, one per probe file.</param>
public sealed record DriftRoundReport(
    int Round,
    string Source,
    int N,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, IReadOnlyList<double>> Ci,
    PerplexityHistogram? PerplexityHistogram,
    IReadOnlyList<double>? ClusterShares,
    IReadOnlyList<ProbeResult> Probes);

/// <summary>One cluster of the clustering frozen at round 0.</summary>
/// <param name="Id">Cluster index.</param>
/// <param name="Keywords">Words most over-represented in the cluster's round-0 responses.</param>
/// <param name="Round0Share">Its share at round 0.</param>
public sealed record FrozenCluster(int Id, IReadOnlyList<string> Keywords, double Round0Share);

/// <summary>Reproducibility block every report carries.</summary>
/// <param name="PlumbVersion">Version of plumb.</param>
/// <param name="CommandLine">The command line.</param>
/// <param name="Seeds">Seeds by name.</param>
/// <param name="Models">Model references by role.</param>
/// <param name="Inputs">Input file → sha256 (hex).</param>
public sealed record ReportRun(
    string PlumbVersion,
    string CommandLine,
    IReadOnlyDictionary<string, int> Seeds,
    IReadOnlyDictionary<string, string> Models,
    IReadOnlyDictionary<string, string> Inputs);

/// <summary>What the simulator did in one generation.</summary>
/// <param name="Round">Generation.</param>
/// <param name="TrainingTexts">Texts its model was trained on.</param>
/// <param name="HumanTexts">Of those, texts of the human corpus (replay).</param>
/// <param name="KeywordShare">Share of its samples containing the curation keyword (null without one).</param>
/// <param name="Seconds">Time to train its model and draw its samples.</param>
public sealed record SimulationStep(int Round, int TrainingTexts, int HumanTexts, double KeywordShare, double Seconds);

/// <summary>A drift report (the DESIGN drift contract).</summary>
/// <param name="Run">Reproducibility block.</param>
/// <param name="Reference">The reference's own metrics.</param>
/// <param name="Rounds">One entry per round.</param>
/// <param name="Clusters">Clusters frozen at round 0 (null without clustering).</param>
/// <param name="Gate">Gate outcome over all rounds.</param>
/// <param name="Conditions">The gate's conditions as written.</param>
/// <param name="Simulation">Per generation, when the rounds come from <c>plumb simulate</c>.</param>
public sealed record DriftReport(
    ReportRun Run,
    DriftRoundReport Reference,
    IReadOnlyList<DriftRoundReport> Rounds,
    IReadOnlyList<FrozenCluster>? Clusters,
    GateResult Gate,
    IReadOnlyList<string> Conditions,
    IReadOnlyList<SimulationStep>? Simulation = null);
