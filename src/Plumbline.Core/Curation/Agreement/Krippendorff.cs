namespace Plumbline.Core.Curation.Agreement;

/// <summary>
/// Krippendorff's alpha through the coincidence matrix (Krippendorff 2011, "Computing Krippendorff's
/// Alpha-Reliability"): α = 1 − (n − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck, for any number of coders, missing
/// values, and the nominal, ordinal, interval and ratio metrics.
/// </summary>
public static class Krippendorff
{
    /// <summary>α of a coders × units table (null = missing value).</summary>
    public static double Alpha(IReadOnlyList<IReadOnlyList<double?>> codersByUnits, MeasurementLevel level)
    {
        ArgumentNullException.ThrowIfNull(codersByUnits);
        return Alpha(UnitCounts.From(codersByUnits), level, null);
    }

    /// <summary>α of labels (units are tasks); interval and ratio need numeric labels.</summary>
    public static double Alpha(LabelSet set, MeasurementLevel level)
    {
        ArgumentNullException.ThrowIfNull(set);
        return Alpha(UnitCounts.From(set), level, null);
    }

    internal static double Alpha(UnitCounts units, MeasurementLevel level, double[]? weight)
    {
        if (level is MeasurementLevel.Interval or MeasurementLevel.Ratio && units.ValueNumbers is null)
        {
            throw PlumblineException.BadInput($"Krippendorff's alpha at the {level.ToString().ToLowerInvariant()} level needs numeric labels");
        }

        var o = units.Coincidences(weight);
        var v = units.Values;
        var marginal = new double[v];
        var n = 0.0;
        for (var c = 0; c < v; c++)
        {
            for (var k = 0; k < v; k++)
            {
                marginal[c] += o[c, k];
            }

            n += marginal[c];
        }

        var delta = Distances(level, marginal, units.ValueNumbers);
        double observed = 0, expected = 0;
        for (var c = 0; c < v; c++)
        {
            for (var k = 0; k < v; k++)
            {
                observed += o[c, k] * delta[c, k];
                expected += marginal[c] * marginal[k] * delta[c, k];
            }
        }

        return expected == 0 ? double.NaN : 1 - ((n - 1) * observed / expected);
    }

    private static double[,] Distances(MeasurementLevel level, double[] marginal, double[]? numbers)
    {
        var v = marginal.Length;
        var delta = new double[v, v];
        for (var c = 0; c < v; c++)
        {
            for (var k = 0; k < v; k++)
            {
                delta[c, k] = level switch
                {
                    MeasurementLevel.Nominal => c == k ? 0 : 1,
                    MeasurementLevel.Ordinal => Ordinal(marginal, c, k),
                    MeasurementLevel.Interval => Math.Pow(numbers![c] - numbers[k], 2),
                    MeasurementLevel.Ratio => numbers![c] + numbers[k] == 0 ? 0 : Math.Pow((numbers[c] - numbers[k]) / (numbers[c] + numbers[k]), 2),
                    _ => throw new ArgumentOutOfRangeException(nameof(level), level, "nominal, ordinal, interval or ratio"),
                };
            }
        }

        return delta;
    }

    private static double Ordinal(double[] marginal, int c, int k)
    {
        if (c == k)
        {
            return 0;
        }

        var (lo, hi) = c < k ? (c, k) : (k, c);
        var sum = 0.0;
        for (var g = lo; g <= hi; g++)
        {
            sum += marginal[g];
        }

        sum -= (marginal[lo] + marginal[hi]) / 2;
        return sum * sum;
    }
}
