using Plumbline.Core.Analysis.Clustering;

namespace Plumbline.Core.Tests.Analysis.Clustering;

public class SilhouetteTests
{
    private static readonly float[][] Points = [[1, 2], [1, 4], [1, 0], [10, 2], [10, 4], [10, 0], [5, 5]];

    [Fact]
    public void Score_MatchesScikitLearn()
    {
        // sklearn.metrics.silhouette_score (1.2.1) on the same points and labels
        Assert.Equal(0.5250890676600882, Silhouette.Score(Points, [0, 0, 0, 1, 1, 1, 1]), 12);
        Assert.Equal(-0.0014419448401866827, Silhouette.Score(Points, [0, 0, 1, 1, 2, 2, 2]), 12);
    }

    [Fact]
    public void Score_OneCluster_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Silhouette.Score(Points, [0, 0, 0, 0, 0, 0, 0]));
        Assert.StartsWith("the silhouette needs between 2 and n − 1 clusters (got 1 clusters for 7 points)", e.Message, StringComparison.Ordinal);
    }
}
