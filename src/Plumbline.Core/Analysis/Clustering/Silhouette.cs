namespace Plumbline.Core.Analysis.Clustering;

/// <summary>
/// Silhouette coefficients (Rousseeuw 1987) with Euclidean distance, as scikit-learn's
/// <c>silhouette_samples</c>/<c>silhouette_score</c>: for point i, a = mean distance to the other
/// members of its cluster, b = the lowest mean distance to the members of another cluster,
/// s = (b − a) / max(a, b), and s = 0 for a point alone in its cluster.
/// </summary>
public static class Silhouette
{
    /// <summary>Mean silhouette of all points (needs at least 2 and at most n − 1 clusters).</summary>
    public static double Score(IReadOnlyList<float[]> points, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(labels);
        if (points.Count != labels.Count)
        {
            throw new ArgumentException($"{points.Count} points but {labels.Count} labels", nameof(labels));
        }

        var distances = Pairwise(points.Count, (i, j) => Math.Sqrt(Vectors.SquaredDistanceExact(points[i], points[j])));
        return Score(distances, labels.ToArray());
    }

    internal static double[] Pairwise(int m, Func<int, int, double> distance)
    {
        var result = new double[m * m];
        for (var i = 0; i < m; i++)
        {
            for (var j = i + 1; j < m; j++)
            {
                var d = distance(i, j);
                result[(i * m) + j] = d;
                result[(j * m) + i] = d;
            }
        }

        return result;
    }

    /// <summary>Mean silhouette from a symmetric m×m distance matrix (row-major) and labels.</summary>
    internal static double Score(double[] distances, int[] labels) => Samples(distances, labels).Average();

    /// <summary>The silhouette of every point from a symmetric m×m distance matrix (row-major) and labels.</summary>
    internal static double[] Samples(double[] distances, int[] labels)
    {
        var m = labels.Length;
        var k = labels.Max() + 1;
        var sizes = new int[k];
        foreach (var l in labels)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(l);
            sizes[l]++;
        }

        var present = sizes.Count(s => s > 0);
        if (present < 2 || present > m - 1)
        {
            throw new ArgumentException($"the silhouette needs between 2 and n − 1 clusters (got {present} clusters for {m} points)", nameof(labels));
        }

        var result = new double[m];
        var perCluster = new double[k];
        for (var i = 0; i < m; i++)
        {
            Array.Clear(perCluster);
            for (var j = 0; j < m; j++)
            {
                perCluster[labels[j]] += distances[(i * m) + j];
            }

            var own = labels[i];
            if (sizes[own] == 1)
            {
                continue; // s = 0
            }

            var a = perCluster[own] / (sizes[own] - 1);
            var b = double.PositiveInfinity;
            for (var c = 0; c < k; c++)
            {
                if (c != own && sizes[c] > 0)
                {
                    b = Math.Min(b, perCluster[c] / sizes[c]);
                }
            }

            var denominator = Math.Max(a, b);
            result[i] = denominator == 0 ? 0 : (b - a) / denominator;
        }

        return result;
    }
}
