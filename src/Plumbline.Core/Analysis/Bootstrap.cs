namespace Plumbline.Core.Analysis;

/// <summary>A value with its bootstrap percentile confidence interval.</summary>
/// <param name="Value">The statistic on the full data.</param>
/// <param name="Low">Lower end of the interval.</param>
/// <param name="High">Upper end of the interval.</param>
public readonly record struct Estimate(double Value, double Low, double High)
{
    /// <summary>A value known exactly (the interval is the value itself).</summary>
    public static Estimate Exact(double value) => new(value, value, value);
}

/// <summary>
/// Bootstrap intervals (Efron and Tibshirani 1993): resample, recompute, take the quantiles — re-centred
/// on the full-data value. Resampling with replacement repeats items, which biases statistics of a
/// set (distinct-n falls, the Vendi score falls, the Fréchet distance grows); the plain percentile
/// interval would then miss the estimate itself. Shifting the resample quantiles by
/// (value − mean of the resamples) removes that bias and keeps the spread; for means the shift is ~0.
/// </summary>
public static class Bootstrap
{
    /// <summary>
    /// The bias-re-centred percentile interval of <paramref name="statistic"/> over <paramref name="resamples"/>
    /// resamples, each drawn by the statistic from the <see cref="Random"/> it is handed (seeded with
    /// <paramref name="seed"/>, so the interval is reproducible). Non-finite resample values are dropped.
    /// </summary>
    public static Estimate Interval(double value, int resamples, int seed, Func<Random, double> statistic, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        ArgumentOutOfRangeException.ThrowIfNegative(resamples);
        if (level is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "level must be between 0 and 1 (exclusive)");
        }

        if (resamples == 0 || !double.IsFinite(value))
        {
            return new Estimate(value, value, value);
        }

        var random = new Random(seed);
        var values = new List<double>(resamples);
        for (var b = 0; b < resamples; b++)
        {
            var v = statistic(random);
            if (double.IsFinite(v))
            {
                values.Add(v);
            }
        }

        if (values.Count == 0)
        {
            return new Estimate(value, double.NaN, double.NaN);
        }

        values.Sort();
        var alpha = (1 - level) / 2;
        var shift = value - values.Average();
        return new Estimate(value, Quantile(values, alpha) + shift, Quantile(values, 1 - alpha) + shift);
    }

    /// <summary>How many times each of <paramref name="n"/> items is drawn in one resample of size n.</summary>
    public static int[] Multiplicities(int n, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var counts = new int[n];
        for (var i = 0; i < n; i++)
        {
            counts[random.Next(n)]++;
        }

        return counts;
    }

    /// <summary>The mean of a resample of <paramref name="values"/>.</summary>
    public static double ResampleMean(IReadOnlyList<double> values, Random random)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(random);
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sum = 0.0;
        for (var i = 0; i < values.Count; i++)
        {
            sum += values[random.Next(values.Count)];
        }

        return sum / values.Count;
    }

    /// <summary>Linear-interpolated quantile (numpy's default, type 7) of sorted values.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var h = (sorted.Count - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }
}
