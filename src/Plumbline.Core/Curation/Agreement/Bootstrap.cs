namespace Plumbline.Core.Curation.Agreement;

/// <summary>Seeded percentile bootstrap over units: each resample draws units with replacement and passes their multiplicities.</summary>
public static class Bootstrap
{
    /// <summary>The [lo, hi] percentile interval of <paramref name="statistic"/>; resamples giving NaN are left out (null if all are).</summary>
    public static (double Low, double High)? Interval(int units, Func<double[], double> statistic, int resamples, int seed, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        ArgumentOutOfRangeException.ThrowIfNegative(resamples);
        if (confidence is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "between 0 and 1 (exclusive)");
        }

        if (units == 0 || resamples == 0)
        {
            return null;
        }

        var random = new Random(seed);
        var weight = new double[units];
        var values = new List<double>(resamples);
        for (var b = 0; b < resamples; b++)
        {
            Array.Clear(weight);
            for (var i = 0; i < units; i++)
            {
                weight[random.Next(units)]++;
            }

            var value = statistic(weight);
            if (!double.IsNaN(value))
            {
                values.Add(value);
            }
        }

        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        var tail = (1 - confidence) / 2;
        return (Quantile(values, tail), Quantile(values, 1 - tail));
    }

    /// <summary>Linear interpolation between order statistics (NumPy's default).</summary>
    internal static double Quantile(List<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + ((position - lo) * (sorted[hi] - sorted[lo]));
    }
}
