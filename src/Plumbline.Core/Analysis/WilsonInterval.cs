namespace Plumbline.Core.Analysis;

/// <summary>
/// The Wilson score interval of a proportion (Wilson 1927; Brown, Cai and DasGupta 2001 recommend it over
/// the Wald interval): (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n). One implementation for every
/// rate the supervision tools report (probe answers, drift probe batteries, task scores).
/// </summary>
public static class WilsonInterval
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>The interval for <paramref name="successes"/> of <paramref name="trials"/>; [0, 1] when there are no trials.</summary>
    public static (double Low, double High) Of(int successes, int trials, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, successes);
        if (trials == 0)
        {
            return (0, 1);
        }

        double n = trials;
        var p = successes / n;
        var z2 = z * z;
        var denominator = 1 + (z2 / n);
        var centre = p + (z2 / (2 * n));
        var half = z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n)));
        var low = successes == 0 ? 0 : Math.Max(0, (centre - half) / denominator);
        var high = successes == trials ? 1 : Math.Min(1, (centre + half) / denominator);
        return (low, high);
    }
}
