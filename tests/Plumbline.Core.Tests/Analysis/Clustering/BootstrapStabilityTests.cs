using Plumbline.Core.Analysis.Clustering;

namespace Plumbline.Core.Tests.Analysis.Clustering;

public class BootstrapStabilityTests
{
    [Fact]
    public void Compute_SeparatedBlobs_AreFullyStable()
    {
        var (points, truth) = KMeansTests.Blobs(100, 1.0, seed: 4, [0, 0], [20, 0], [0, 20]);
        var stability = BootstrapStability.Compute(points.SelectMany(p => p).ToArray(), 2, truth, 3, new BootstrapOptions(Resamples: 5, Seed: 1));
        Assert.Equal([1.0, 1.0, 1.0], stability.Jaccard);
        Assert.Equal(1.0, stability.MeanAdjustedRandIndex);
    }

    [Fact]
    public void Compute_OneBlobCutInTwo_IsLessStableThanSeparatedBlobs()
    {
        var (points, _) = KMeansTests.Blobs(300, 1.0, seed: 4, [0, 0]);
        var flat = points.SelectMany(p => p).ToArray();
        var fit = KMeans.Fit(flat, 2, 4, new KMeansOptions(Seed: 3));
        var stability = BootstrapStability.Compute(flat, 2, fit.Assignments, 4, new BootstrapOptions(Resamples: 10, Seed: 2));
        Assert.True(stability.MeanAdjustedRandIndex < 0.95, $"ARI {stability.MeanAdjustedRandIndex}");
    }
}
