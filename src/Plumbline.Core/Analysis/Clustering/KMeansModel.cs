namespace Plumbline.Core.Analysis.Clustering;

/// <summary>
/// Frozen k-means centroids. <see cref="Assign(ReadOnlySpan{float})"/> puts a new point in the
/// cluster of its nearest centroid (squared Euclidean distance; a tie goes to the lower cluster index),
/// with exactly the arithmetic the fit used, so a training point is assigned where the fit put it.
/// Immutable and safe to share between threads.
/// </summary>
public sealed class KMeansModel
{
    private readonly float[] _centroids;
    private readonly float[] _norms;

    internal KMeansModel(float[] centroids, int k, int dimension)
    {
        _centroids = centroids;
        K = k;
        Dimension = dimension;
        _norms = new float[k];
        for (var j = 0; j < k; j++)
        {
            var c = Centroid(j);
            _norms[j] = Vectors.Dot(c, c);
        }
    }

    /// <summary>Number of clusters.</summary>
    public int K { get; }

    /// <summary>Length of every point and centroid.</summary>
    public int Dimension { get; }

    /// <summary>A copy of the centroids, one array per cluster.</summary>
    public float[][] Centroids => Enumerable.Range(0, K).Select(j => Centroid(j).ToArray()).ToArray();

    internal ReadOnlySpan<float> RowMajor => _centroids;

    internal ReadOnlySpan<float> Norms => _norms;

    /// <summary>Rebuilds a model from saved centroids (for example the centroids of round 0, to project later rounds into).</summary>
    public static KMeansModel FromCentroids(IReadOnlyList<float[]> centroids)
    {
        ArgumentNullException.ThrowIfNull(centroids);
        if (centroids.Count == 0)
        {
            throw new ArgumentException("at least one centroid is needed", nameof(centroids));
        }

        var dimension = centroids[0].Length;
        if (dimension == 0)
        {
            throw new ArgumentException("centroids must have at least one dimension", nameof(centroids));
        }

        var flat = new float[centroids.Count * dimension];
        for (var j = 0; j < centroids.Count; j++)
        {
            if (centroids[j].Length != dimension)
            {
                throw new ArgumentException($"centroid {j} has {centroids[j].Length} dimensions, centroid 0 has {dimension}", nameof(centroids));
            }

            Vectors.CheckFinite(centroids[j], $"centroid {j}");
            centroids[j].CopyTo(flat, j * dimension);
        }

        return new KMeansModel(flat, centroids.Count, dimension);
    }

    /// <summary>The centroid of <paramref name="cluster"/>.</summary>
    public ReadOnlySpan<float> Centroid(int cluster)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cluster);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cluster, K);
        return _centroids.AsSpan(cluster * Dimension, Dimension);
    }

    /// <summary>The cluster whose centroid is nearest to <paramref name="point"/>.</summary>
    public int Assign(ReadOnlySpan<float> point)
    {
        if (point.Length != Dimension)
        {
            throw new ArgumentException($"the point has {point.Length} dimensions, the model {Dimension}", nameof(point));
        }

        return Nearest(point, out _);
    }

    /// <summary>The nearest cluster of every point, in order.</summary>
    public int[] Assign(IReadOnlyList<float[]> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var result = new int[points.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Assign(points[i]);
        }

        return result;
    }

    /// <summary>Squared Euclidean distance from <paramref name="point"/> to the centroid of <paramref name="cluster"/>, in double precision.</summary>
    public double SquaredDistance(ReadOnlySpan<float> point, int cluster)
    {
        if (point.Length != Dimension)
        {
            throw new ArgumentException($"the point has {point.Length} dimensions, the model {Dimension}", nameof(point));
        }

        return Vectors.SquaredDistanceExact(point, Centroid(cluster));
    }

    /// <summary>Nearest centroid by <c>|c|² − 2·x·c</c> (the point's own norm is the same for every cluster).</summary>
    internal int Nearest(ReadOnlySpan<float> point, out float score)
    {
        var best = 0;
        var bestScore = float.PositiveInfinity;
        var d = Dimension;
        var all = _centroids.AsSpan();
        var j = 0;
        for (; j + 4 <= K; j += 4)
        {
            Vectors.Dot4(point, all.Slice(j * d, 4 * d), out var d0, out var d1, out var d2, out var d3);
            Consider(_norms[j] - (2f * d0), j, ref bestScore, ref best);
            Consider(_norms[j + 1] - (2f * d1), j + 1, ref bestScore, ref best);
            Consider(_norms[j + 2] - (2f * d2), j + 2, ref bestScore, ref best);
            Consider(_norms[j + 3] - (2f * d3), j + 3, ref bestScore, ref best);
        }

        for (; j < K; j++)
        {
            var s = _norms[j] - (2f * Vectors.Dot(point, all.Slice(j * d, d)));
            if (s < bestScore)
            {
                bestScore = s;
                best = j;
            }
        }

        score = bestScore;
        return best;
    }

    private static void Consider(float s, int j, ref float bestScore, ref int best)
    {
        if (s < bestScore)
        {
            bestScore = s;
            best = j;
        }
    }
}
