namespace Plumbline.Core.Curation.Agreement;

/// <summary>Fleiss' kappa (many raters), Cohen's kappa (two raters, optionally weighted) and percent agreement.</summary>
public static class Kappa
{
    /// <summary>Fleiss (1971) from counts per subject × category; subjects may have different numbers of ratings (each needs ≥ 2).</summary>
    public static double Fleiss(int[,] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var subjects = counts.GetLength(0);
        var categories = counts.GetLength(1);
        var start = new int[subjects + 1];
        var value = new List<int>();
        var count = new List<int>();
        for (var i = 0; i < subjects; i++)
        {
            for (var j = 0; j < categories; j++)
            {
                if (counts[i, j] > 0)
                {
                    value.Add(j);
                    count.Add(counts[i, j]);
                }
            }

            start[i + 1] = value.Count;
        }

        return Fleiss(new UnitCountsView(subjects, categories, start, [.. value], [.. count]), null);
    }

    public static double Fleiss(LabelSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var units = UnitCounts.From(set);
        return Fleiss(new UnitCountsView(units.Units, units.Values, units.Start, units.Value, units.Count), null);
    }

    internal static double Fleiss(UnitCounts units, double[]? weight) =>
        Fleiss(new UnitCountsView(units.Units, units.Values, units.Start, units.Value, units.Count), weight);

    /// <summary>Cohen (1960) from a K × K table (rows rater A, columns rater B), with disagreement weights for ordered categories.</summary>
    public static double Cohen(double[,] table, KappaWeights weights = KappaWeights.Unweighted)
    {
        ArgumentNullException.ThrowIfNull(table);
        var k = table.GetLength(0);
        if (table.GetLength(1) != k)
        {
            throw new ArgumentException("the table must be square (K × K)", nameof(table));
        }

        var rows = new double[k];
        var cols = new double[k];
        var n = 0.0;
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                rows[i] += table[i, j];
                cols[j] += table[i, j];
                n += table[i, j];
            }
        }

        if (n == 0)
        {
            return double.NaN;
        }

        double observed = 0, expected = 0;
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                var w = k == 1 ? 0 : weights switch
                {
                    KappaWeights.Unweighted => i == j ? 0 : 1,
                    KappaWeights.Linear => Math.Abs(i - j) / (double)(k - 1),
                    KappaWeights.Quadratic => Math.Pow((i - j) / (double)(k - 1), 2),
                    _ => throw new ArgumentOutOfRangeException(nameof(weights), weights, "unweighted, linear or quadratic"),
                };
                observed += w * table[i, j] / n;
                expected += w * rows[i] * cols[j] / (n * n);
            }
        }

        return expected == 0 ? double.NaN : 1 - (observed / expected);
    }

    /// <summary>The share of pairs of labels on the same task that agree, averaged over tasks with ≥ 2 labels.</summary>
    public static double Percent(LabelSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return Percent(UnitCounts.From(set), null);
    }

    internal static double Percent(UnitCounts units, double[]? weight)
    {
        double sum = 0, total = 0;
        for (var u = 0; u < units.Units; u++)
        {
            var m = units.Total[u];
            var w = weight?[u] ?? 1;
            if (m < 2 || w == 0)
            {
                continue;
            }

            var agree = 0.0;
            for (var i = units.Start[u]; i < units.Start[u + 1]; i++)
            {
                agree += (double)units.Count[i] * (units.Count[i] - 1);
            }

            sum += w * agree / ((double)m * (m - 1));
            total += w;
        }

        return total == 0 ? double.NaN : sum / total;
    }

    private static double Fleiss(UnitCountsView units, double[]? weight)
    {
        var p = new double[units.Values];
        double pBar = 0, subjects = 0, ratings = 0;
        for (var u = 0; u < units.Units; u++)
        {
            var w = weight?[u] ?? 1;
            var m = 0;
            for (var i = units.Start[u]; i < units.Start[u + 1]; i++)
            {
                m += units.Count[i];
            }

            if (m < 2 || w == 0)
            {
                continue;
            }

            var agree = 0.0;
            for (var i = units.Start[u]; i < units.Start[u + 1]; i++)
            {
                agree += (double)units.Count[i] * (units.Count[i] - 1);
                p[units.Value[i]] += w * units.Count[i];
            }

            pBar += w * agree / ((double)m * (m - 1));
            subjects += w;
            ratings += w * m;
        }

        if (subjects == 0)
        {
            return double.NaN;
        }

        pBar /= subjects;
        var pe = p.Sum(x => (x / ratings) * (x / ratings));
        return pe == 1 ? double.NaN : (pBar - pe) / (1 - pe);
    }

    private sealed record UnitCountsView(int Units, int Values, int[] Start, int[] Value, int[] Count);
}
