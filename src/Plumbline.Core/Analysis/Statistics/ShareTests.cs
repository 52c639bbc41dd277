namespace Plumbline.Core.Analysis.Statistics;

/// <summary>A 2×2 table: rows are the two groups (before, after), columns in / not in a cluster.</summary>
/// <param name="BeforeIn">Before-samples in the cluster.</param>
/// <param name="BeforeOut">Before-samples outside it.</param>
/// <param name="AfterIn">After-samples in the cluster.</param>
/// <param name="AfterOut">After-samples outside it.</param>
public readonly record struct TwoByTwo(int BeforeIn, int BeforeOut, int AfterIn, int AfterOut)
{
    /// <summary>All samples in the table.</summary>
    public int Total => checked(BeforeIn + BeforeOut + AfterIn + AfterOut);
}

/// <summary>Tests of a difference in shares between two groups.</summary>
public static class ShareTests
{
    /// <summary>
    /// Two-sided Fisher exact test of a 2×2 table: the probability, under the hypergeometric null with
    /// the margins fixed, of every table at most as likely as the one observed (with R's and SciPy's
    /// relative tolerance of 1e-7 for ties). Exact for any counts.
    /// </summary>
    public static double FisherExact(TwoByTwo table)
    {
        CheckNonNegative(table);
        var row1 = table.BeforeIn + table.BeforeOut;
        var col1 = table.BeforeIn + table.AfterIn;
        var n = table.Total;
        var low = Math.Max(0, col1 - (n - row1));
        var high = Math.Min(row1, col1);
        if (high == low)
        {
            return 1;
        }

        double LogP(int a) => SpecialFunctions.LogFactorial(row1) + SpecialFunctions.LogFactorial(n - row1)
            + SpecialFunctions.LogFactorial(col1) + SpecialFunctions.LogFactorial(n - col1)
            - SpecialFunctions.LogFactorial(n) - SpecialFunctions.LogFactorial(a) - SpecialFunctions.LogFactorial(row1 - a)
            - SpecialFunctions.LogFactorial(col1 - a) - SpecialFunctions.LogFactorial(n - row1 - col1 + a);

        var observed = LogP(table.BeforeIn);
        var threshold = observed + double.LogP1(1e-7);
        var sum = 0.0;
        for (var a = low; a <= high; a++)
        {
            var lp = LogP(a);
            if (lp <= threshold)
            {
                sum += Math.Exp(lp);
            }
        }

        return Math.Min(1, sum);
    }

    /// <summary>
    /// Cochran–Mantel–Haenszel test of a common difference across strata (for example one stratum per
    /// prompt when both models answered the same prompts), with the continuity correction, as R's
    /// <c>mantelhaen.test(correct = TRUE)</c>: X² = (|Σ(a − E a)| − ½)² / Σ Var a, p from χ²(1).
    /// Strata with fewer than two samples carry no information and are skipped. Returns 1 when no
    /// stratum varies.
    /// </summary>
    public static double CochranMantelHaenszel(IEnumerable<TwoByTwo> strata)
    {
        ArgumentNullException.ThrowIfNull(strata);
        double deviation = 0, variance = 0;
        foreach (var s in strata)
        {
            CheckNonNegative(s);
            double n = s.Total;
            if (n < 2)
            {
                continue;
            }

            double row1 = s.BeforeIn + s.BeforeOut, col1 = s.BeforeIn + s.AfterIn;
            deviation += s.BeforeIn - (row1 * col1 / n);
            variance += row1 * (n - row1) * col1 * (n - col1) / (n * n * (n - 1));
        }

        if (variance <= 0)
        {
            return 1;
        }

        var corrected = Math.Max(0, Math.Abs(deviation) - 0.5);
        return SpecialFunctions.ChiSquareSurvival(corrected * corrected / variance, 1);
    }

    /// <summary>
    /// Pearson χ² test of homogeneity of an r×2 table (rows: groups; columns: before and after counts):
    /// whether the groups split the same way between before and after; p from χ²(r − 1) without
    /// continuity correction, as R's <c>chisq.test(correct = FALSE)</c>. Rows and columns that are all
    /// zero are dropped; returns 1 when fewer than two rows or columns remain.
    /// </summary>
    public static double Homogeneity(IReadOnlyList<(int Before, int After)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var kept = rows.Where(r => r.Before + r.After > 0).ToArray();
        double totalBefore = kept.Sum(r => r.Before), totalAfter = kept.Sum(r => r.After);
        if (kept.Length < 2 || totalBefore == 0 || totalAfter == 0)
        {
            return 1;
        }

        var n = totalBefore + totalAfter;
        var statistic = 0.0;
        foreach (var (b, a) in kept)
        {
            double row = b + a;
            var expectedBefore = row * totalBefore / n;
            var expectedAfter = row * totalAfter / n;
            statistic += ((b - expectedBefore) * (b - expectedBefore) / expectedBefore) + ((a - expectedAfter) * (a - expectedAfter) / expectedAfter);
        }

        return SpecialFunctions.ChiSquareSurvival(statistic, kept.Length - 1);
    }

    /// <summary>
    /// Benjamini–Hochberg adjusted p-values (q-values), as R's <c>p.adjust(method = "BH")</c>: q(i) = min
    /// over j ≥ i of p(j)·m/j in increasing order of p, capped at 1; returned in input order.
    /// </summary>
    public static double[] BenjaminiHochberg(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ThenBy(i => i).ToArray();
        var q = new double[m];
        var running = 1.0;
        for (var rank = m; rank >= 1; rank--)
        {
            var i = order[rank - 1];
            var p = pValues[i];
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(pValues), p, $"p-value {i} must be between 0 and 1");
            }

            running = Math.Min(running, p * m / rank);
            q[i] = running;
        }

        return q;
    }

    private static void CheckNonNegative(TwoByTwo t)
    {
        if (t.BeforeIn < 0 || t.BeforeOut < 0 || t.AfterIn < 0 || t.AfterOut < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(t), t, "counts must be 0 or more");
        }
    }
}
