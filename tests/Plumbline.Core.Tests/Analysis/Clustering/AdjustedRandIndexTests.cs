using Plumbline.Core.Analysis.Clustering;

namespace Plumbline.Core.Tests.Analysis.Clustering;

public class AdjustedRandIndexTests
{
    [Fact]
    public void Compute_MatchesScikitLearn()
    {
        // sklearn.metrics.adjusted_rand_score (1.2.1), and its docstring examples
        Assert.Equal(0.24242424242424243, AdjustedRandIndex.Compute([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]), 14);
        Assert.Equal(0.18181818181818182, AdjustedRandIndex.Compute([0, 0, 1, 1, 2, 2, 2, 0], [1, 1, 0, 0, 2, 2, 0, 0]), 14);
        Assert.Equal(0.5714285714285714, AdjustedRandIndex.Compute([0, 0, 1, 2], [0, 0, 1, 1]), 14);
        Assert.Equal(-0.5, AdjustedRandIndex.Compute([0, 0, 1, 1], [0, 1, 0, 1]), 14);
    }

    [Fact]
    public void Compute_RenamedLabels_IsOne()
    {
        Assert.Equal(1.0, AdjustedRandIndex.Compute([0, 0, 1, 1], [7, 7, 3, 3]));
        Assert.Equal(1.0, AdjustedRandIndex.Compute([0, 0, 0], [5, 5, 5]));
    }
}
