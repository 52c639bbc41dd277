using Plumbline.Core.Analysis;

namespace Plumbline.Core.Supervision.Probes;

/// <summary>An interval [Low, High].</summary>
public readonly record struct Interval(double Low, double High);

/// <summary>The statistics of probe evaluation: Wilson score intervals, exact binomial tails, McNemar's exact test, a paired bootstrap.</summary>
public static class ProbeStatistics
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = WilsonInterval.Z95;

    /// <summary>The Wilson score interval for <paramref name="successes"/> of <paramref name="n"/> (Wilson 1927); [0, 1] when n is 0.</summary>
    public static Interval Wilson(int successes, int n, double z = Z95)
    {
        var (low, high) = WilsonInterval.Of(successes, n, z);
        return new Interval(low, high);
    }

    /// <summary>P(X ≤ <paramref name="k"/>) for X ~ Binomial(<paramref name="n"/>, <paramref name="p"/>).</summary>
    public static double BinomialCdf(int k, int n, double p)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (k < 0)
        {
            return 0;
        }

        if (k >= n)
        {
            return 1;
        }

        var sum = 0.0;
        for (var i = 0; i <= k; i++)
        {
            sum += BinomialPmf(i, n, p);
        }

        return Math.Min(1, sum);
    }

    /// <summary>P(X ≥ <paramref name="k"/>) for X ~ Binomial(<paramref name="n"/>, <paramref name="p"/>), summed from the upper tail.</summary>
    public static double BinomialUpperTail(int k, int n, double p)
    {
        if (k <= 0)
        {
            return 1;
        }

        var sum = 0.0;
        for (var i = k; i <= n; i++)
        {
            sum += BinomialPmf(i, n, p);
        }

        return Math.Min(1, sum);
    }

    /// <summary>P(X = k) for X ~ Binomial(n, p), in log space.</summary>
    public static double BinomialPmf(int k, int n, double p)
    {
        if (k < 0 || k > n)
        {
            return 0;
        }

        if (p <= 0)
        {
            return k == 0 ? 1 : 0;
        }

        if (p >= 1)
        {
            return k == n ? 1 : 0;
        }

        return Math.Exp(LogChoose(n, k) + (k * Math.Log(p)) + ((n - k) * Math.Log(1 - p)));
    }

    /// <summary>
    /// McNemar's exact test on paired outcomes: <paramref name="onlyFirst"/> pairs where only the
    /// first model matched, <paramref name="onlySecond"/> where only the second did. Two-sided:
    /// min(1, 2·P(X ≤ min(b, c))) for X ~ Binomial(b + c, ½); 1 when there are no discordant pairs.
    /// </summary>
    public static double McNemarExact(int onlyFirst, int onlySecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(onlyFirst);
        ArgumentOutOfRangeException.ThrowIfNegative(onlySecond);
        var n = onlyFirst + onlySecond;
        return n == 0 ? 1 : Math.Min(1, 2 * BinomialCdf(Math.Min(onlyFirst, onlySecond), n, 0.5));
    }

    /// <summary>
    /// A percentile bootstrap interval (95% by default) for the difference of two paired rates:
    /// mean(first) − mean(second) over pairs resampled with replacement, from a seeded generator.
    /// </summary>
    public static Interval PairedBootstrapDifference(IReadOnlyList<(bool First, bool Second)> pairs, int resamples = 2000, int seed = 0, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        if (pairs.Count == 0)
        {
            return new Interval(-1, 1);
        }

        var random = new Random(seed);
        var differences = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            var sum = 0;
            for (var i = 0; i < pairs.Count; i++)
            {
                var (a, b) = pairs[random.Next(pairs.Count)];
                sum += (a ? 1 : 0) - (b ? 1 : 0);
            }

            differences[r] = (double)sum / pairs.Count;
        }

        Array.Sort(differences);
        var alpha = (1 - level) / 2;
        return new Interval(Quantile(differences, alpha), Quantile(differences, 1 - alpha));
    }

    /// <summary>The q-quantile of sorted values with linear interpolation (NumPy's default).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var position = q * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }

    private static double LogChoose(int n, int k)
    {
        k = Math.Min(k, n - k);
        var sum = 0.0;
        for (var i = 1; i <= k; i++)
        {
            sum += Math.Log(n - k + i) - Math.Log(i);
        }

        return sum;
    }
}
