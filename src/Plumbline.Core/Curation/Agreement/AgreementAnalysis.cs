namespace Plumbline.Core.Curation.Agreement;

public enum AgreementMetric
{
    Krippendorff,
    Fleiss,
    Cohen,
    Percent,
}

/// <summary>What to compute. <see cref="Resamples"/> = 0 skips the bootstrap interval.</summary>
public sealed record AgreementOptions(
    AgreementMetric Metric,
    MeasurementLevel Level = MeasurementLevel.Nominal,
    KappaWeights Weights = KappaWeights.Unweighted,
    int Resamples = 1000,
    int Seed = 0,
    double Confidence = 0.95,
    string? RaterA = null,
    string? RaterB = null);

/// <summary>An agreement coefficient with its bootstrap interval (over tasks).</summary>
public sealed record AgreementValue(string Metric, string? Level, string? Weights, double Value, double[]? Ci, int Units, int Labels, int Raters);

/// <summary>A rater against everyone else on the same tasks: the share of agreeing pairs and its chance-corrected form.</summary>
public sealed record RaterAgreement(string Worker, int Labels, int Pairs, double Agreement, double Kappa);

/// <summary>Two raters on the tasks both labelled: percent agreement and Cohen's kappa.</summary>
public sealed record PairAgreement(string A, string B, int Shared, double Agreement, double Kappa);

public static class AgreementAnalysis
{
    public static string MetricName(AgreementMetric metric) => metric switch
    {
        AgreementMetric.Krippendorff => "krippendorff_alpha",
        AgreementMetric.Fleiss => "fleiss_kappa",
        AgreementMetric.Cohen => "cohen_kappa",
        _ => "percent_agreement",
    };

    public static AgreementValue Compute(LabelSet set, AgreementOptions options)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(options);
        var level = options.Metric == AgreementMetric.Krippendorff ? options.Level.ToString().ToLowerInvariant() : null;
        var weights = options.Metric == AgreementMetric.Cohen ? options.Weights.ToString().ToLowerInvariant() : null;
        if (options.Metric == AgreementMetric.Cohen)
        {
            var (a, b) = CohenRaters(set, options);
            var shared = SharedTasks(set, a, b);
            var value = Kappa.Cohen(Table(set, shared, null), options.Weights);
            var ci = Bootstrap.Interval(shared.Count, w => Kappa.Cohen(Table(set, shared, w), options.Weights), options.Resamples, options.Seed, options.Confidence);
            return new AgreementValue(MetricName(options.Metric), level, weights, value, Pack(ci), shared.Count, shared.Count * 2, 2);
        }

        var units = UnitCounts.From(set);
        Func<double[]?, double> statistic = options.Metric switch
        {
            AgreementMetric.Krippendorff => w => Krippendorff.Alpha(units, options.Level, w),
            AgreementMetric.Fleiss => w => Kappa.Fleiss(units, w),
            _ => w => Kappa.Percent(units, w),
        };
        var pairable = Enumerable.Range(0, units.Units).Count(u => units.Total[u] >= 2);
        var interval = Bootstrap.Interval(units.Units, w => statistic(w), options.Resamples, options.Seed, options.Confidence);
        return new AgreementValue(MetricName(options.Metric), level, weights, statistic(null), Pack(interval), pairable, set.Count, set.Workers.Count);
    }

    /// <summary>Each rater against all other raters' labels on the same tasks; kappa corrects with the rater's and the others' label distributions.</summary>
    public static IReadOnlyList<RaterAgreement> PerRater(LabelSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var k = set.ClassCount;
        var workers = set.Workers.Count;
        var agree = new double[workers];
        var pairs = new double[workers];
        var own = new double[workers * k];
        var others = new double[workers * k];
        var taskCounts = new int[k];
        for (var t = 0; t < set.Tasks.Count; t++)
        {
            var (from, to) = (set.TaskStart[t], set.TaskStart[t + 1]);
            var m = to - from;
            if (m < 2)
            {
                continue;
            }

            for (var i = from; i < to; i++)
            {
                taskCounts[set.ClassOf[i]]++;
            }

            for (var i = from; i < to; i++)
            {
                var w = set.WorkerOf[i];
                var c = set.ClassOf[i];
                agree[w] += taskCounts[c] - 1;
                pairs[w] += m - 1;
                own[(w * k) + c] += m - 1;
                for (var j = 0; j < k; j++)
                {
                    others[(w * k) + j] += taskCounts[j] - (j == c ? 1 : 0);
                }
            }

            Array.Clear(taskCounts);
        }

        var result = new RaterAgreement[workers];
        for (var w = 0; w < workers; w++)
        {
            var po = pairs[w] == 0 ? double.NaN : agree[w] / pairs[w];
            var pe = 0.0;
            for (var j = 0; j < k && pairs[w] > 0; j++)
            {
                pe += own[(w * k) + j] / pairs[w] * (others[(w * k) + j] / pairs[w]);
            }

            result[w] = new RaterAgreement(set.Workers[w], set.LabelsPerWorker[w], (int)pairs[w], po, pairs[w] == 0 || pe == 1 ? double.NaN : (po - pe) / (1 - pe));
        }

        return result;
    }

    /// <summary>Every pair of raters that share at least <paramref name="minShared"/> tasks.</summary>
    public static IReadOnlyList<PairAgreement> Matrix(LabelSet set, int minShared = 1)
    {
        ArgumentNullException.ThrowIfNull(set);
        var k = set.ClassCount;
        var tables = new Dictionary<(int, int), double[,]>();
        for (var t = 0; t < set.Tasks.Count; t++)
        {
            for (var i = set.TaskStart[t]; i < set.TaskStart[t + 1]; i++)
            {
                for (var j = i + 1; j < set.TaskStart[t + 1]; j++)
                {
                    var key = (set.WorkerOf[i], set.WorkerOf[j]);
                    if (!tables.TryGetValue(key, out var table))
                    {
                        tables[key] = table = new double[k, k];
                    }

                    table[set.ClassOf[i], set.ClassOf[j]]++;
                }
            }
        }

        return tables
            .Select(e =>
            {
                var n = 0.0;
                var diagonal = 0.0;
                for (var c = 0; c < k; c++)
                {
                    diagonal += e.Value[c, c];
                    for (var d = 0; d < k; d++)
                    {
                        n += e.Value[c, d];
                    }
                }

                return (e.Key, Shared: (int)n, Agreement: diagonal / n, Kappa: Kappa.Cohen(e.Value));
            })
            .Where(p => p.Shared >= minShared)
            .OrderBy(p => p.Key.Item1).ThenBy(p => p.Key.Item2)
            .Select(p => new PairAgreement(set.Workers[p.Key.Item1], set.Workers[p.Key.Item2], p.Shared, p.Agreement, p.Kappa))
            .ToArray();
    }

    private static double[]? Pack((double Low, double High)? interval) => interval is { } i ? [i.Low, i.High] : null;

    private static (int A, int B) CohenRaters(LabelSet set, AgreementOptions options)
    {
        if (options.RaterA is not null && options.RaterB is not null)
        {
            var a = Find(set, options.RaterA);
            var b = Find(set, options.RaterB);
            return a == b ? throw PlumblineException.BadInput("Cohen's kappa needs two different raters") : (a, b);
        }

        return set.Workers.Count == 2
            ? (0, 1)
            : throw PlumblineException.BadInput(
                $"Cohen's kappa compares two raters; the labels have {set.Workers.Count} (name two with --raters A,B, or use krippendorff or fleiss)");
    }

    private static int Find(LabelSet set, string worker)
    {
        for (var w = 0; w < set.Workers.Count; w++)
        {
            if (set.Workers[w] == worker)
            {
                return w;
            }
        }

        throw PlumblineException.NotFound($"no rater '{worker}' in the labels");
    }

    private static List<(int A, int B)> SharedTasks(LabelSet set, int a, int b)
    {
        var shared = new List<(int, int)>();
        for (var t = 0; t < set.Tasks.Count; t++)
        {
            int ca = -1, cb = -1;
            for (var i = set.TaskStart[t]; i < set.TaskStart[t + 1]; i++)
            {
                if (set.WorkerOf[i] == a)
                {
                    ca = set.ClassOf[i];
                }
                else if (set.WorkerOf[i] == b)
                {
                    cb = set.ClassOf[i];
                }
            }

            if (ca >= 0 && cb >= 0)
            {
                shared.Add((ca, cb));
            }
        }

        return shared;
    }

    private static double[,] Table(LabelSet set, List<(int A, int B)> shared, double[]? weight)
    {
        var table = new double[set.ClassCount, set.ClassCount];
        for (var i = 0; i < shared.Count; i++)
        {
            table[shared[i].A, shared[i].B] += weight?[i] ?? 1;
        }

        return table;
    }
}
