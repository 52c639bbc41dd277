namespace Plumbline.Core.Analysis.Clustering;

/// <summary>How <see cref="BootstrapStability"/> resamples.</summary>
/// <param name="Resamples">Bootstrap resamples; default 20.</param>
/// <param name="SampleSize">Points drawn (with replacement) per resample, at most n; default 20,000.</param>
/// <param name="Seed">Seed of the draws and fits.</param>
/// <param name="MaxDegreeOfParallelism">Threads at most; null uses every core.</param>
public sealed record BootstrapOptions(int Resamples = 20, int SampleSize = 20_000, int Seed = 0, int? MaxDegreeOfParallelism = null);

/// <summary>Stability of each cluster: its mean best Jaccard similarity over resamples, and the mean adjusted Rand index.</summary>
/// <param name="Jaccard">Per cluster, mean over resamples of the highest Jaccard similarity with a cluster of the refit (Hennig's rule of thumb: below 0.5 the cluster dissolves, above 0.75 it is stable).</param>
/// <param name="MeanAdjustedRandIndex">Mean ARI between the original clustering and the refit, on the drawn points.</param>
public sealed record ClusterStability(double[] Jaccard, double MeanAdjustedRandIndex);

/// <summary>
/// Cluster stability under bootstrap resampling (Hennig 2007, <c>fpc::clusterboot</c>): draw points with
/// replacement, refit k-means with the same k (one restart), and compare each original cluster with
/// the refit on the distinct drawn points.
/// </summary>
public static class BootstrapStability
{
    /// <summary>Stability of <paramref name="assignments"/> (k clusters) of the row-major points.</summary>
    public static ClusterStability Compute(float[] rowMajor, int dimension, IReadOnlyList<int> assignments, int k, BootstrapOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rowMajor);
        ArgumentNullException.ThrowIfNull(assignments);
        options ??= new BootstrapOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Resamples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SampleSize, 2);
        var n = rowMajor.Length / dimension;
        if (assignments.Count != n)
        {
            throw new ArgumentException($"{assignments.Count} assignments for {n} points", nameof(assignments));
        }

        var random = new Random(options.Seed);
        var jaccard = new double[k];
        var ari = 0.0;
        var size = Math.Min(n, options.SampleSize);
        for (var r = 0; r < options.Resamples; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var drawn = new int[size];
            for (var i = 0; i < size; i++)
            {
                drawn[i] = random.Next(n);
            }

            var data = new float[size * dimension];
            for (var i = 0; i < size; i++)
            {
                Array.Copy(rowMajor, drawn[i] * dimension, data, i * dimension, dimension);
            }

            var refit = new Lloyd(data, dimension, options.MaxDegreeOfParallelism, cancellationToken)
                .Fit(Math.Min(k, size), new KMeansOptions(Seed: random.Next(), Restarts: 1, MaxDegreeOfParallelism: options.MaxDegreeOfParallelism));
            var distinct = drawn.Distinct().Order().ToArray();
            var original = distinct.Select(i => assignments[i]).ToArray();
            var again = distinct.Select(i => refit.Model.Nearest(rowMajor.AsSpan(i * dimension, dimension), out _)).ToArray();
            ari += AdjustedRandIndex.Compute(original, again);

            var overlap = new int[k, refit.K];
            var originalSize = new int[k];
            var againSize = new int[refit.K];
            for (var i = 0; i < distinct.Length; i++)
            {
                overlap[original[i], again[i]]++;
                originalSize[original[i]]++;
                againSize[again[i]]++;
            }

            for (var c = 0; c < k; c++)
            {
                var best = 0.0;
                for (var d = 0; d < refit.K; d++)
                {
                    var union = originalSize[c] + againSize[d] - overlap[c, d];
                    if (union > 0)
                    {
                        best = Math.Max(best, (double)overlap[c, d] / union);
                    }
                }

                jaccard[c] += best;
            }
        }

        return new ClusterStability(jaccard.Select(j => j / options.Resamples).ToArray(), ari / options.Resamples);
    }
}
