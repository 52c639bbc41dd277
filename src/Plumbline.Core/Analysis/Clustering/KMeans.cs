namespace Plumbline.Core.Analysis.Clustering;

/// <summary>
/// Seeded, deterministic k-means: greedy k-means++ initialisation, Lloyd iterations, several restarts
/// (the lowest inertia wins), squared Euclidean distance. Points are given either as one array per
/// point or as one row-major array (<c>point i</c> is <c>rowMajor[i*dimension .. (i+1)*dimension)</c>).
/// The same input, k, options and seed give the same fit bit for bit whatever the thread count.
/// </summary>
/// <example>
/// <code>
/// var fit = KMeans.Fit(points, k: 8, new KMeansOptions(Seed: 1));
/// int cluster = fit.Model.Assign(newPoint); // frozen centroids
/// var chosen = KMeans.FitChoosingK(points); // k from the data (silhouette), chosen.Candidates lists every k tried
/// </code>
/// </example>
public static class KMeans
{
    /// <summary>Fits <paramref name="k"/> clusters to <paramref name="points"/> (one array per point, all the same length).</summary>
    public static KMeansFit Fit(IReadOnlyList<float[]> points, int k, KMeansOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (flat, dimension) = Flatten(points);
        return Fit(flat, dimension, k, options, cancellationToken);
    }

    /// <summary>Fits <paramref name="k"/> clusters to row-major points of length <paramref name="dimension"/>. The array is read, never changed.</summary>
    public static KMeansFit Fit(float[] rowMajor, int dimension, int k, KMeansOptions? options = null, CancellationToken cancellationToken = default)
    {
        var n = CheckMatrix(rowMajor, dimension);
        options ??= new KMeansOptions();
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (k > n)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be at most the number of points ({n})");
        }

        return new Lloyd(rowMajor, dimension, options.MaxDegreeOfParallelism, cancellationToken).Fit(k, options);
    }

    /// <summary>Chooses k from the data (see <see cref="KSelectionOptions"/> for the rule) and fits it on all points.</summary>
    public static KMeansSelection FitChoosingK(IReadOnlyList<float[]> points, KSelectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (flat, dimension) = Flatten(points);
        return FitChoosingK(flat, dimension, options, cancellationToken);
    }

    /// <summary>Chooses k from row-major data (see <see cref="KSelectionOptions"/> for the rule) and fits it on all points.</summary>
    public static KMeansSelection FitChoosingK(float[] rowMajor, int dimension, KSelectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        var n = CheckMatrix(rowMajor, dimension);
        options ??= new KSelectionOptions();
        options.Validate();
        if (n < 3)
        {
            throw new ArgumentException($"choosing k needs at least 3 points (got {n})", nameof(rowMajor));
        }

        return KSelector.Select(rowMajor, dimension, n, options, cancellationToken);
    }

    private static (float[] Flat, int Dimension) Flatten(IReadOnlyList<float[]> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            throw new ArgumentException("at least one point is needed", nameof(points));
        }

        var dimension = points[0].Length;
        var flat = new float[checked(points.Count * dimension)];
        for (var i = 0; i < points.Count; i++)
        {
            if (points[i].Length != dimension)
            {
                throw new ArgumentException($"point {i} has {points[i].Length} dimensions, point 0 has {dimension}", nameof(points));
            }

            points[i].CopyTo(flat, i * dimension);
        }

        return (flat, dimension);
    }

    private static int CheckMatrix(float[] rowMajor, int dimension)
    {
        ArgumentNullException.ThrowIfNull(rowMajor);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (rowMajor.Length == 0 || rowMajor.Length % dimension != 0)
        {
            throw new ArgumentException($"the matrix has {rowMajor.Length} values, which is not a positive multiple of the dimension {dimension}", nameof(rowMajor));
        }

        var n = rowMajor.Length / dimension;
        for (var i = 0; i < rowMajor.Length; i++)
        {
            if (!float.IsFinite(rowMajor[i]))
            {
                throw new ArgumentException($"point {i / dimension} has a value that is not finite at dimension {i % dimension} ({rowMajor[i]})", nameof(rowMajor));
            }
        }

        return n;
    }
}
