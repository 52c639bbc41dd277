using Plumbline.Core.Analysis;

namespace Plumbline.Core.Supervision.Drift;

/// <summary>Turns texts into what the drift metrics need: embeddings and perplexities under the round-0 model.</summary>
public interface IDriftScorer
{
    /// <summary>One embedding per text, all of one length (the embedder is fixed before the first call, e.g. fitted on the reference).</summary>
    Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);

    /// <summary>
    /// Called once with round 0's responses, before any <see cref="PerplexitiesAsync"/>: fit the
    /// perplexity model here (or keep one given). Returns the indices of the round-0 responses the
    /// model was NOT trained on (their perplexities are out of sample, like every later round's), or
    /// null when none of round 0 was trained on.
    /// </summary>
    Task<IReadOnlyList<int>?> FitRound0Async(IReadOnlyList<string> round0, CancellationToken cancellationToken);

    /// <summary>Perplexity of each text under the round-0 model.</summary>
    Task<double[]> PerplexitiesAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}

/// <summary>A fitted clustering that places any vector in one of its clusters.</summary>
public interface IClusterModel
{
    /// <summary>Number of clusters.</summary>
    int K { get; }

    /// <summary>The cluster of <paramref name="vector"/> (nearest centroid).</summary>
    int Assign(float[] vector);
}

/// <summary>Fits clusterings (k-means) for the drift monitor.</summary>
public interface IClusterer
{
    /// <summary>Fits <paramref name="k"/> clusters to <paramref name="vectors"/>, seeded.</summary>
    IClusterModel Fit(IReadOnlyList<float[]> vectors, int k, int seed);
}

/// <summary>How drift is measured.</summary>
/// <param name="Seed">Seed of every random choice (bootstrap, MMD pairing, classifier folds, clustering).</param>
/// <param name="Resamples">Bootstrap resamples per metric; default 100; 0 gives no interval.</param>
/// <param name="Clusters">k of the frozen clusterings; default 8.</param>
/// <param name="HistogramBins">Bins of the perplexity histograms; default 20.</param>
/// <param name="ClassifierMaxPerSet">The domain classifier uses at most this many responses of each set; default 5000.</param>
/// <param name="VanishedFraction">A reference cluster has vanished when its share falls below this fraction of its reference share; default 0.1.</param>
public sealed record DriftOptions(int Seed = 0, int Resamples = 100, int Clusters = 8, int HistogramBins = 20, int ClassifierMaxPerSet = 5000, double VanishedFraction = 0.1)
{
    /// <summary>All problems with these options.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Resamples < 0)
        {
            errors.Add($"resamples must be 0 or more (was {Resamples})");
        }

        if (Clusters < 2)
        {
            errors.Add($"clusters must be at least 2 (was {Clusters})");
        }

        if (HistogramBins < 1)
        {
            errors.Add($"histogram bins must be at least 1 (was {HistogramBins})");
        }

        if (ClassifierMaxPerSet < 10)
        {
            errors.Add($"classifier max per set must be at least 10 (was {ClassifierMaxPerSet})");
        }

        if (VanishedFraction is < 0 or > 1)
        {
            errors.Add($"vanished fraction must be between 0 and 1 (was {VanishedFraction})");
        }

        return errors;
    }
}

/// <summary>Follows rounds of model outputs against a fixed human reference and round 0.</summary>
public interface IDriftMonitor
{
    /// <summary>The reference's own metrics (its perplexity metrics appear once round 0 is in).</summary>
    DriftRoundReport Reference { get; }

    /// <summary>The rounds so far.</summary>
    IReadOnlyList<DriftRoundReport> Rounds { get; }

    /// <summary>The clusters frozen at round 0 (null without a clusterer or before round 0).</summary>
    IReadOnlyList<FrozenCluster>? Clusters { get; }

    /// <summary>Which metrics this monitor computes.</summary>
    IReadOnlyCollection<string> Computed { get; }

    /// <summary>Measures the next round (the first one added is round 0).</summary>
    Task<DriftRoundReport> AddRoundAsync(string source, IReadOnlyList<string> texts, IReadOnlyList<ProbeTally>? probes = null, CancellationToken cancellationToken = default);
}

/// <summary>Creates drift monitors.</summary>
public static class DriftAnalysis
{
    /// <summary>
    /// Starts a monitor: measures the reference now; every round added later is compared with it and
    /// with round 0. Without a clusterer the cluster metrics are left out; without probes, the probe metric.
    /// </summary>
    /// <exception cref="PlumblineException">BadInput when the reference or the options are unusable.</exception>
    public static async Task<IDriftMonitor> StartAsync(string referenceSource, IReadOnlyList<string> reference, IDriftScorer scorer, IClusterer? clusterer, DriftOptions options, bool probes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(referenceSource);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw PlumblineException.BadInput(string.Join("; ", errors));
        }

        if (reference.Count < 2)
        {
            throw PlumblineException.BadInput($"{referenceSource}: the reference needs at least 2 texts (has {reference.Count})");
        }

        var set = await DriftMonitor.CreateSetAsync(reference, scorer, cancellationToken);
        return new DriftMonitor(referenceSource, set, scorer, clusterer, options, probes);
    }

    /// <summary>The metrics computed with or without clustering and probes.</summary>
    public static IReadOnlyCollection<string> ComputedMetrics(bool clusters, bool probes) =>
        DriftMetrics.All
            .Where(m => m.Requires == MetricRequirement.None || (m.Requires == MetricRequirement.Clusters && clusters) || (m.Requires == MetricRequirement.Probes && probes))
            .Select(m => m.Name)
            .ToHashSet(StringComparer.Ordinal);
}

internal sealed class DriftMonitor : IDriftMonitor
{
    private readonly IDriftScorer _scorer;
    private readonly IClusterer? _clusterer;
    private readonly DriftOptions _options;
    private readonly TextSet _reference;
    private readonly List<DriftRoundReport> _rounds = [];
    private readonly IClusterModel? _referenceClusters;
    private readonly double[]? _referenceClusterShares;
    private DriftRoundReport _referenceReport;
    private TextSet? _round0;
    private IClusterModel? _frozen;
    private IReadOnlyList<int>? _round0HeldOut;
    private double[]? _round0Shares;
    private double[]? _histogramEdges;
    private double _round0P10;
    private double _round0P90;
    private List<FrozenCluster>? _clusters;

    public DriftMonitor(string source, TextSet reference, IDriftScorer scorer, IClusterer? clusterer, DriftOptions options, bool probes)
    {
        _scorer = scorer;
        _clusterer = clusterer;
        _options = options;
        Computed = DriftAnalysis.ComputedMetrics(clusterer is not null, probes);
        _reference = reference;
        if (clusterer is not null)
        {
            _referenceClusters = clusterer.Fit(_reference.Embeddings, Math.Min(options.Clusters, reference.Texts.Count), Seed(-1, 90));
            _referenceClusterShares = Shares(_reference.Embeddings.Select(_referenceClusters.Assign).ToArray(), _referenceClusters.K, null);
        }

        var (metrics, ci) = Diversity(_reference, -1);
        _referenceReport = new DriftRoundReport(-1, source, reference.Texts.Count, Ordered(metrics), ci, null, null, []);
    }

    public DriftRoundReport Reference => _referenceReport;

    public IReadOnlyList<DriftRoundReport> Rounds => _rounds;

    public IReadOnlyList<FrozenCluster>? Clusters => _clusters;

    public IReadOnlyCollection<string> Computed { get; }

    public async Task<DriftRoundReport> AddRoundAsync(string source, IReadOnlyList<string> texts, IReadOnlyList<ProbeTally>? probes = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(texts);
        var round = _rounds.Count;
        if (texts.Count < 2)
        {
            throw PlumblineException.BadInput($"{source}: a round needs at least 2 responses (has {texts.Count})");
        }

        var set = await CreateSetAsync(texts, _scorer, cancellationToken);
        if (round == 0)
        {
            await StartRound0Async(set, cancellationToken);
        }

        var (metrics, ci) = Diversity(set, round);
        cancellationToken.ThrowIfCancellationRequested();
        Shift(set, _reference, round, "reference", metrics, ci, 10);
        if (round == 0)
        {
            metrics[DriftMetrics.FrechetToRound0] = 0;
            metrics[DriftMetrics.MmdToRound0] = 0;
            metrics[DriftMetrics.ClassifierAucToRound0] = 0.5;
        }
        else
        {
            Shift(set, _round0!, round, "round0", metrics, ci, 20);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var perplexities = await _scorer.PerplexitiesAsync(texts, cancellationToken);
        if (round == 0 && _round0HeldOut is { } heldOut)
        {
            perplexities = heldOut.Select(i => perplexities[i]).ToArray();
        }

        var histogram = Perplexity(perplexities, round, metrics, ci);
        IReadOnlyList<double>? shares = null;
        if (_frozen is not null)
        {
            shares = ClusterMetrics(set, round, metrics, ci);
        }

        var probeResults = new List<ProbeResult>();
        if (Computed.Contains(DriftMetrics.ProbeMatchingRate))
        {
            var tallies = probes ?? [];
            foreach (var t in tallies)
            {
                var (lo, hi) = t.Interval;
                probeResults.Add(new ProbeResult(t.Items, t.N, t.Rate, [lo, hi], t.Unparseable));
            }

            var n = tallies.Sum(t => t.N);
            var k = tallies.Sum(t => t.Matching);
            var pooled = new ProbeTally("all", n, k, 0);
            metrics[DriftMetrics.ProbeMatchingRate] = pooled.Rate;
            ci[DriftMetrics.ProbeMatchingRate] = [pooled.Interval.Low, pooled.Interval.High];
        }

        foreach (var name in metrics.Keys.Where(k => !ci.ContainsKey(k)).ToArray())
        {
            ci[name] = [metrics[name], metrics[name]];
        }

        var report = new DriftRoundReport(round, source, texts.Count, Ordered(metrics), ci, histogram, shares, probeResults);
        _rounds.Add(report);
        return report;
    }

    private async Task StartRound0Async(TextSet round0, CancellationToken cancellationToken)
    {
        _round0 = round0;
        _round0HeldOut = await _scorer.FitRound0Async(round0.Texts, cancellationToken);

        // round 0's own perplexities fix the tail thresholds; with the reference's they fix the histogram edges
        var referencePerplexities = await _scorer.PerplexitiesAsync(_reference.Texts, cancellationToken);
        var round0Perplexities = await _scorer.PerplexitiesAsync(round0.Texts, cancellationToken);
        if (_round0HeldOut is { } heldOut)
        {
            round0Perplexities = heldOut.Select(i => round0Perplexities[i]).ToArray();
        }

        var sorted = round0Perplexities.Where(double.IsFinite).Order().ToArray();
        _round0P10 = Analysis.Bootstrap.Quantile(sorted, 0.1);
        _round0P90 = Analysis.Bootstrap.Quantile(sorted, 0.9);
        var logs = referencePerplexities.Concat(round0Perplexities).Where(p => double.IsFinite(p) && p > 0).Select(Math.Log10).ToArray();
        var lo = logs.Length == 0 ? 0 : Math.Floor(logs.Min() * 10) / 10;
        var hi = logs.Length == 0 ? 1 : Math.Ceiling(logs.Max() * 10) / 10;
        if (hi <= lo)
        {
            hi = lo + 0.1;
        }

        _histogramEdges = Enumerable.Range(0, _options.HistogramBins + 1).Select(i => lo + ((hi - lo) * i / _options.HistogramBins)).ToArray();
        var metrics = new Dictionary<string, double>(_referenceReport.Metrics);
        var ci = new Dictionary<string, IReadOnlyList<double>>(_referenceReport.Ci);
        var histogram = Perplexity(referencePerplexities, -1, metrics, ci);
        _referenceReport = _referenceReport with { Metrics = Ordered(metrics), Ci = ci, PerplexityHistogram = histogram };

        if (_clusterer is not null)
        {
            _frozen = _clusterer.Fit(round0.Embeddings, Math.Min(_options.Clusters, round0.Texts.Count), Seed(0, 91));
            var assignment = round0.Embeddings.Select(_frozen.Assign).ToArray();
            _round0Shares = Shares(assignment, _frozen.K, null);
            _clusters = Keywords(round0, assignment, _frozen.K).Select((words, id) => new FrozenCluster(id, words, _round0Shares[id])).ToList();
        }
    }

    private (Dictionary<string, double> Metrics, Dictionary<string, IReadOnlyList<double>> Ci) Diversity(TextSet set, int round)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var ci = new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
        var b = _options.Resamples;
        var n = set.Texts.Count;
        var names = new[] { DriftMetrics.Distinct1, DriftMetrics.Distinct2, DriftMetrics.Distinct3, DriftMetrics.Distinct4 };
        for (var k = 0; k < 4; k++)
        {
            var index = set.Indexes[k];
            Put(metrics, ci, names[k], Analysis.Bootstrap.Interval(index.DistinctRatio(), b, Seed(round, 1), r => index.DistinctRatio(Analysis.Bootstrap.Multiplicities(n, r))));
        }

        var unigrams = set.Indexes[0];
        Put(metrics, ci, DriftMetrics.TokenEntropy, Analysis.Bootstrap.Interval(unigrams.Entropy(), b, Seed(round, 1), r => unigrams.Entropy(Analysis.Bootstrap.Multiplicities(n, r))));
        var bleu = Bleu.SelfBleuScores(set.Indexes);
        Put(metrics, ci, DriftMetrics.SelfBleu, Analysis.Bootstrap.Interval(bleu.Average(), b, Seed(round, 2), r => Analysis.Bootstrap.ResampleMean(bleu, r)));
        var lengths = set.Corpus.Texts.Select(t => (double)t.Length).ToArray();
        Put(metrics, ci, DriftMetrics.MeanLength, Analysis.Bootstrap.Interval(lengths.Average(), b, Seed(round, 3), r => Analysis.Bootstrap.ResampleMean(lengths, r)));
        var empty = set.Corpus.Texts.Select(t => t.Length == 0 ? 1.0 : 0.0).ToArray();
        Put(metrics, ci, DriftMetrics.EmptyShare, Analysis.Bootstrap.Interval(empty.Average(), b, Seed(round, 6), r => Analysis.Bootstrap.ResampleMean(empty, r)));
        var total = set.Moments.Total();
        Put(metrics, ci, DriftMetrics.Dispersion, Analysis.Bootstrap.Interval(EmbeddingMetrics.Dispersion(total), b, Seed(round, 4), r => EmbeddingMetrics.Dispersion(set.Moments.Resample(r))));
        Put(metrics, ci, DriftMetrics.Vendi, Analysis.Bootstrap.Interval(EmbeddingMetrics.Vendi(total), b, Seed(round, 5), r => EmbeddingMetrics.Vendi(set.Moments.Resample(r))));
        if (round == -1)
        {
            metrics[DriftMetrics.FrechetToReference] = 0;
            metrics[DriftMetrics.MmdToReference] = 0;
            metrics[DriftMetrics.ClassifierAucToReference] = 0.5;
            ci[DriftMetrics.FrechetToReference] = [0, 0];
            ci[DriftMetrics.MmdToReference] = [0, 0];
            ci[DriftMetrics.ClassifierAucToReference] = [0.5, 0.5];
        }

        return (metrics, ci);
    }

    private void Shift(TextSet set, TextSet other, int round, string suffix, Dictionary<string, double> metrics, Dictionary<string, IReadOnlyList<double>> ci, int salt)
    {
        var b = _options.Resamples;
        var frechet = EmbeddingMetrics.Frechet(set.Moments.Total(), other.Moments.Total());
        Put(metrics, ci, $"frechet_to_{suffix}", Analysis.Bootstrap.Interval(frechet, b, Seed(round, salt), r => EmbeddingMetrics.Frechet(set.Moments.Resample(r), other.Moments.Resample(r))));
        var mmd = Mmd.Linear(set.Embeddings, other.Embeddings, Seed(round, salt + 1));
        Put(metrics, ci, $"mmd_to_{suffix}", Analysis.Bootstrap.Interval(mmd.Value, b, Seed(round, salt + 2), r => Analysis.Bootstrap.ResampleMean(mmd.Terms, r)));
        var auc = DomainClassifier.CrossValidatedAuc(other.Embeddings, set.Embeddings, new DomainClassifier.Options(MaxPerSet: _options.ClassifierMaxPerSet, Seed: Seed(round, salt + 3)));
        Put(metrics, ci, $"classifier_auc_to_{suffix}", Analysis.Bootstrap.Interval(auc.Auc, b, Seed(round, salt + 4), r => DomainClassifier.ResampleAuc(auc, r)));
    }

    private PerplexityHistogram Perplexity(double[] perplexities, int round, Dictionary<string, double> metrics, Dictionary<string, IReadOnlyList<double>> ci)
    {
        var b = _options.Resamples;
        var finite = perplexities.Where(double.IsFinite).ToArray();
        double Median(IReadOnlyList<double> values) => Analysis.Bootstrap.Quantile(values.Order().ToArray(), 0.5);
        Put(metrics, ci, DriftMetrics.PerplexityMedian, Analysis.Bootstrap.Interval(Median(finite), b, Seed(round, 30), r => Median(Enumerable.Range(0, finite.Length).Select(_ => finite[r.Next(finite.Length)]).ToArray())));
        var low = finite.Select(p => p < _round0P10 ? 1.0 : 0.0).ToArray();
        var high = finite.Select(p => p > _round0P90 ? 1.0 : 0.0).ToArray();
        Put(metrics, ci, DriftMetrics.PerplexityLowShare, Analysis.Bootstrap.Interval(low.DefaultIfEmpty(double.NaN).Average(), b, Seed(round, 31), r => Analysis.Bootstrap.ResampleMean(low, r)));
        Put(metrics, ci, DriftMetrics.PerplexityTailShare, Analysis.Bootstrap.Interval(high.DefaultIfEmpty(double.NaN).Average(), b, Seed(round, 32), r => Analysis.Bootstrap.ResampleMean(high, r)));

        var edges = _histogramEdges!;
        var counts = new int[edges.Length - 1];
        int below = 0, above = 0;
        foreach (var p in finite)
        {
            var x = Math.Log10(p);
            if (x < edges[0])
            {
                below++;
            }
            else if (x > edges[^1])
            {
                above++;
            }
            else
            {
                var bin = (int)((x - edges[0]) / (edges[^1] - edges[0]) * counts.Length);
                counts[Math.Clamp(bin, 0, counts.Length - 1)]++;
            }
        }

        return new PerplexityHistogram(edges, counts, below, above);
    }

    private double[] ClusterMetrics(TextSet set, int round, Dictionary<string, double> metrics, Dictionary<string, IReadOnlyList<double>> ci)
    {
        var b = _options.Resamples;
        var n = set.Texts.Count;
        var frozen = set.Embeddings.Select(_frozen!.Assign).ToArray();
        var reference = set.Embeddings.Select(_referenceClusters!.Assign).ToArray();
        var shares = Shares(frozen, _frozen.K, null);
        double Change(double[] s) => s.Select((v, i) => Math.Abs(v - _round0Shares![i])).Max();
        double Entropy(double[] s) => -s.Where(v => v > 0).Sum(v => v * Math.Log2(v));
        double Vanished(double[] s) => (double)s.Where((v, i) => v < _options.VanishedFraction * _referenceClusterShares![i]).Count() / s.Length;
        Put(metrics, ci, DriftMetrics.ClusterEntropy, Analysis.Bootstrap.Interval(Entropy(shares), b, Seed(round, 40), r => Entropy(Shares(frozen, _frozen.K, Analysis.Bootstrap.Multiplicities(n, r)))));
        Put(metrics, ci, DriftMetrics.ClusterShareChange, Analysis.Bootstrap.Interval(Change(shares), b, Seed(round, 41), r => Change(Shares(frozen, _frozen.K, Analysis.Bootstrap.Multiplicities(n, r)))));
        var referenceShares = Shares(reference, _referenceClusters.K, null);
        Put(metrics, ci, DriftMetrics.ClustersVanished, Analysis.Bootstrap.Interval(Vanished(referenceShares), b, Seed(round, 42), r => Vanished(Shares(reference, _referenceClusters.K, Analysis.Bootstrap.Multiplicities(n, r)))));
        return shares;
    }

    private static double[] Shares(int[] assignment, int k, int[]? multiplicity)
    {
        var counts = new double[k];
        var total = 0.0;
        for (var i = 0; i < assignment.Length; i++)
        {
            var w = multiplicity?[i] ?? 1;
            counts[assignment[i]] += w;
            total += w;
        }

        return counts.Select(c => total == 0 ? 0 : c / total).ToArray();
    }

    /// <summary>The 5 words with the highest lift (share in the cluster / share overall, among words used at least 3 times in it).</summary>
    private static IEnumerable<IReadOnlyList<string>> Keywords(TextSet set, int[] assignment, int k)
    {
        var overall = new Dictionary<int, int>();
        var inCluster = Enumerable.Range(0, k).Select(_ => new Dictionary<int, int>()).ToArray();
        var sizes = new long[k];
        long total = 0;
        for (var t = 0; t < assignment.Length; t++)
        {
            foreach (var w in set.Corpus.Texts[t])
            {
                overall[w] = overall.GetValueOrDefault(w) + 1;
                inCluster[assignment[t]][w] = inCluster[assignment[t]].GetValueOrDefault(w) + 1;
                sizes[assignment[t]]++;
                total++;
            }
        }

        for (var c = 0; c < k; c++)
        {
            var size = sizes[c];
            yield return inCluster[c]
                .Where(kv => kv.Value >= 3)
                .OrderByDescending(kv => (double)kv.Value / size / ((double)overall[kv.Key] / total))
                .ThenByDescending(kv => kv.Value)
                .ThenBy(kv => set.Corpus.Vocabulary[kv.Key], StringComparer.Ordinal)
                .Take(5)
                .Select(kv => set.Corpus.Vocabulary[kv.Key])
                .ToArray();
        }
    }

    private static void Put(Dictionary<string, double> metrics, Dictionary<string, IReadOnlyList<double>> ci, string name, Estimate estimate)
    {
        metrics[name] = estimate.Value;
        ci[name] = [estimate.Low, estimate.High];
    }

    private static IReadOnlyDictionary<string, double> Ordered(Dictionary<string, double> metrics)
    {
        var order = DriftMetrics.All.Select((m, i) => (m.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var result = new SortedDictionary<string, double>(Comparer<string>.Create((a, b) => order.GetValueOrDefault(a, int.MaxValue).CompareTo(order.GetValueOrDefault(b, int.MaxValue)) is var c && c != 0 ? c : string.CompareOrdinal(a, b)));
        foreach (var (k, v) in metrics)
        {
            result[k] = v;
        }

        return result;
    }

    private int Seed(int round, int salt) => unchecked((_options.Seed * 1_000_003) + ((round + 2) * 1009) + salt);

    internal static async Task<TextSet> CreateSetAsync(IReadOnlyList<string> texts, IDriftScorer scorer, CancellationToken cancellationToken)
    {
        var embeddings = await scorer.EmbedAsync(texts, cancellationToken);
        if (embeddings.Count != texts.Count)
        {
            throw new PlumblineException(FailureKind.Runtime, $"the embedder returned {embeddings.Count} vectors for {texts.Count} texts");
        }

        var corpus = TokenizedCorpus.Create(texts);
        return new TextSet
        {
            Texts = texts,
            Corpus = corpus,
            Indexes = [.. Enumerable.Range(1, 4).Select(n => NgramIndex.Build(corpus, n))],
            Embeddings = embeddings,
            Moments = EmbeddingMoments.Build(embeddings, normalize: true),
        };
    }

    internal sealed class TextSet
    {
        public required IReadOnlyList<string> Texts { get; init; }

        public required TokenizedCorpus Corpus { get; init; }

        public required NgramIndex[] Indexes { get; init; }

        public required IReadOnlyList<float[]> Embeddings { get; init; }

        public required EmbeddingMoments Moments { get; init; }
    }
}
