using Plumbline.Core.Analysis.Clustering;

namespace Plumbline.Core.Supervision.Drift;

/// <summary>The drift monitor's clusterer: seeded k-means++ (<see cref="KMeans"/>) fitted on at most <paramref name="MaxFitPoints"/> vectors (a seeded sample), frozen for assignment.</summary>
/// <param name="MaxFitPoints">Largest sample the centroids are fitted on; every vector is then assigned to its nearest centroid. Default 10,000.</param>
public sealed record KMeansClusterer(int MaxFitPoints = 10_000) : IClusterer
{
    /// <inheritdoc/>
    public IClusterModel Fit(IReadOnlyList<float[]> vectors, int k, int seed)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        IReadOnlyList<float[]> sample = vectors;
        if (vectors.Count > MaxFitPoints)
        {
            var order = Enumerable.Range(0, vectors.Count).ToArray();
            new Random(seed).Shuffle(order);
            sample = order.Take(MaxFitPoints).Order().Select(i => vectors[i]).ToArray();
        }

        var fit = KMeans.Fit(sample, Math.Min(k, sample.Count), new KMeansOptions(Seed: seed));
        return new Frozen(fit.Model);
    }

    private sealed class Frozen(KMeansModel model) : IClusterModel
    {
        public int K => model.K;

        public int Assign(float[] vector) => model.Assign(vector);
    }
}
