using System.Numerics;

namespace Plumbline.Core.Analysis;

/// <summary>
/// First and second moments of a set of embeddings (count, Σx, Σxxᵀ), kept per random group so that
/// bootstrap resamples of any function of the moments (Vendi score, Fréchet distance, dispersion)
/// cost O(groups · d²) instead of O(n · d²): a resample draws groups with replacement. With at most
/// <c>groups</c> vectors every vector is its own group and the resample is the ordinary bootstrap.
/// </summary>
public sealed class EmbeddingMoments
{
    private readonly double[] _groupCount;
    private readonly double[][] _groupSum;
    private readonly double[][] _groupOuter; // d×d row-major, upper triangle filled

    private EmbeddingMoments(int dimensions, double[] groupCount, double[][] groupSum, double[][] groupOuter)
    {
        Dimensions = dimensions;
        _groupCount = groupCount;
        _groupSum = groupSum;
        _groupOuter = groupOuter;
    }

    /// <summary>Length of the vectors.</summary>
    public int Dimensions { get; }

    /// <summary>Number of groups the vectors were split into.</summary>
    public int Groups => _groupCount.Length;

    /// <summary>
    /// Accumulates the moments of <paramref name="vectors"/>; with <paramref name="normalize"/> each
    /// vector is first scaled to unit length, and the moments get one extra dimension on which every
    /// zero vector (a text with no known word) becomes the unit vector: such texts are then alike to
    /// each other and unlike every other text, instead of dropping out of the Vendi score and the dispersion.
    /// </summary>
    public static EmbeddingMoments Build(IReadOnlyList<float[]> vectors, bool normalize, int groups = 100, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        if (vectors.Count == 0)
        {
            throw new ArgumentException("no vectors", nameof(vectors));
        }

        var given = vectors[0].Length;
        var d = normalize ? given + 1 : given;
        var g = Math.Min(groups, vectors.Count);
        var assignment = new int[vectors.Count];
        if (vectors.Count <= groups)
        {
            for (var i = 0; i < assignment.Length; i++)
            {
                assignment[i] = i;
            }
        }
        else
        {
            var random = new Random(seed);
            var order = Enumerable.Range(0, vectors.Count).ToArray();
            random.Shuffle(order);
            for (var i = 0; i < order.Length; i++)
            {
                assignment[order[i]] = i % g;
            }
        }

        var count = new double[g];
        var sum = new double[g][];
        var outer = new double[g][];
        for (var k = 0; k < g; k++)
        {
            sum[k] = new double[d];
            outer[k] = new double[d * d];
        }

        var x = new double[d];
        for (var i = 0; i < vectors.Count; i++)
        {
            var v = vectors[i];
            if (v.Length != given)
            {
                throw new ArgumentException($"vector {i} has {v.Length} dimensions, expected {given}", nameof(vectors));
            }

            var scale = 1.0;
            if (normalize)
            {
                var norm = 0.0;
                foreach (var f in v)
                {
                    norm += (double)f * f;
                }

                scale = norm > 0 ? 1 / Math.Sqrt(norm) : 0;
            }

            for (var j = 0; j < given; j++)
            {
                x[j] = v[j] * scale;
            }

            if (normalize)
            {
                x[given] = scale == 0 ? 1 : 0;
            }

            var k = assignment[i];
            count[k]++;
            Add(sum[k], x, 1.0);
            var o = outer[k];
            for (var r = 0; r < d; r++)
            {
                if (x[r] != 0)
                {
                    Add(o.AsSpan((r * d) + r, d - r), x.AsSpan(r), x[r]);
                }
            }
        }

        return new EmbeddingMoments(d, count, sum, outer);
    }

    /// <summary>The moments of all vectors.</summary>
    public Moments Total() => Combine(null);

    /// <summary>The moments of a bootstrap resample of the groups.</summary>
    public Moments Resample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Combine(Bootstrap.Multiplicities(Groups, random));
    }

    private Moments Combine(int[]? multiplicity)
    {
        var d = Dimensions;
        var n = 0.0;
        var sum = new double[d];
        var outer = new double[d * d];
        for (var k = 0; k < Groups; k++)
        {
            var w = multiplicity is null ? 1 : multiplicity[k];
            if (w == 0)
            {
                continue;
            }

            n += w * _groupCount[k];
            Add(sum, _groupSum[k], w);
            Add(outer, _groupOuter[k], w);
        }

        // mirror the upper triangle
        for (var r = 0; r < d; r++)
        {
            for (var c = r + 1; c < d; c++)
            {
                outer[(c * d) + r] = outer[(r * d) + c];
            }
        }

        return new Moments(n, sum, outer, d);
    }

    private static void Add(Span<double> target, ReadOnlySpan<double> source, double factor)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<double>.Count)
        {
            var f = new Vector<double>(factor);
            for (; i <= target.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var t = new Vector<double>(target[i..]);
                (t + (f * new Vector<double>(source[i..]))).CopyTo(target[i..]);
            }
        }

        for (; i < target.Length; i++)
        {
            target[i] += factor * source[i];
        }
    }
}

/// <summary>Count, sum and sum of outer products of a set of vectors.</summary>
public sealed class Moments
{
    internal Moments(double count, double[] sum, double[] outer, int dimensions)
    {
        Count = count;
        Sum = sum;
        Outer = outer;
        Dimensions = dimensions;
    }

    /// <summary>Number of vectors (with bootstrap multiplicity).</summary>
    public double Count { get; }

    /// <summary>Σx.</summary>
    public IReadOnlyList<double> Sum { get; }

    /// <summary>Σxxᵀ, d×d row-major.</summary>
    public IReadOnlyList<double> Outer { get; }

    /// <summary>d.</summary>
    public int Dimensions { get; }

    /// <summary>The mean vector.</summary>
    public double[] Mean() => Sum.Select(s => s / Count).ToArray();

    /// <summary>The covariance with the unbiased n − 1 denominator (numpy's <c>np.cov</c>).</summary>
    public double[,] Covariance()
    {
        var d = Dimensions;
        var mean = Mean();
        var result = new double[d, d];
        var denominator = Math.Max(1, Count - 1);
        for (var r = 0; r < d; r++)
        {
            for (var c = 0; c < d; c++)
            {
                result[r, c] = (Outer[(r * d) + c] - (Count * mean[r] * mean[c])) / denominator;
            }
        }

        return result;
    }

    /// <summary>The uncentred second moment Σxxᵀ / n.</summary>
    public double[,] SecondMoment()
    {
        var d = Dimensions;
        var result = new double[d, d];
        for (var r = 0; r < d; r++)
        {
            for (var c = 0; c < d; c++)
            {
                result[r, c] = Outer[(r * d) + c] / Count;
            }
        }

        return result;
    }
}
