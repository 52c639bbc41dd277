namespace Plumbline.Core.Analysis;

/// <summary>
/// The linear-time unbiased estimate of the squared maximum mean discrepancy (Gretton et al. 2012,
/// JMLR, section 6 / Lemma 14) with a Gaussian kernel: the mean over m = ⌊min(nx, ny)/2⌋ disjoint
/// pairs of h = k(x, x′) + k(y, y′) − k(x, y′) − k(x′, y). Both sets are shuffled (seeded) before
/// pairing. The kernel width σ is the median heuristic: the median distance between pooled points of
/// a seeded subsample. k(a, b) = exp(−‖a − b‖² / (2σ²)).
/// </summary>
public static class Mmd
{
    /// <summary>Result: the estimate, its per-pair terms (a mean of i.i.d. terms, so they bootstrap directly) and σ.</summary>
    public sealed record Result(double Value, IReadOnlyList<double> Terms, double Bandwidth);

    /// <summary>Computes MMD²ₗ between <paramref name="x"/> and <paramref name="y"/>.</summary>
    public static Result Linear(IReadOnlyList<float[]> x, IReadOnlyList<float[]> y, int seed = 0, double? bandwidth = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var random = new Random(seed);
        var sigma = bandwidth ?? MedianHeuristic(x, y, random);
        var xi = Shuffled(x.Count, random);
        var yi = Shuffled(y.Count, random);
        var m = Math.Min(x.Count, y.Count) / 2;
        if (m == 0)
        {
            return new Result(double.NaN, [], sigma);
        }

        var gamma = 1 / (2 * sigma * sigma);
        var terms = new double[m];
        for (var i = 0; i < m; i++)
        {
            var x1 = x[xi[2 * i]];
            var x2 = x[xi[(2 * i) + 1]];
            var y1 = y[yi[2 * i]];
            var y2 = y[yi[(2 * i) + 1]];
            terms[i] = Kernel(x1, x2, gamma) + Kernel(y1, y2, gamma) - Kernel(x1, y2, gamma) - Kernel(x2, y1, gamma);
        }

        return new Result(terms.Average(), terms, sigma);
    }

    /// <summary>The median Euclidean distance between points of the pooled sets (a seeded subsample of at most 1000 pairs of distinct points).</summary>
    public static double MedianHeuristic(IReadOnlyList<float[]> x, IReadOnlyList<float[]> y, Random random)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(random);
        var pooled = x.Count + y.Count;
        if (pooled < 2)
        {
            return 1;
        }

        float[] At(int i) => i < x.Count ? x[i] : y[i - x.Count];
        var distances = new List<double>();
        for (var k = 0; k < 1000; k++)
        {
            var a = random.Next(pooled);
            var b = random.Next(pooled - 1);
            if (b >= a)
            {
                b++;
            }

            distances.Add(Math.Sqrt(SquaredDistance(At(a), At(b))));
        }

        distances.Sort();
        var median = Bootstrap.Quantile(distances, 0.5);
        return median > 0 ? median : 1;
    }

    private static int[] Shuffled(int n, Random random)
    {
        var order = Enumerable.Range(0, n).ToArray();
        random.Shuffle(order);
        return order;
    }

    private static double Kernel(float[] a, float[] b, double gamma) => Math.Exp(-gamma * SquaredDistance(a, b));

    private static double SquaredDistance(float[] a, float[] b)
    {
        var s = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = (double)a[i] - b[i];
            s += d * d;
        }

        return s;
    }
}
