using Plumbline.Core.Analysis;

namespace Plumbline.Core.Tests.Analysis;

public sealed class EmbeddingMetricsTests
{
    [Fact]
    public void Vendi_OfIdenticalItems_IsOne()
    {
        // Friedman and Dieng (2023): n identical elements have Vendi score 1
        var vectors = Enumerable.Repeat(new float[] { 0.6f, 0.8f, 0 }, 10).ToArray();
        Assert.Equal(1.0, EmbeddingMetrics.Vendi(EmbeddingMoments.Build(vectors, normalize: true).Total()), 9);
    }

    [Fact]
    public void Vendi_OfOrthogonalItems_IsTheirNumber()
    {
        // ... and n completely dissimilar elements have Vendi score n
        var vectors = Enumerable.Range(0, 4).Select(i => Enumerable.Range(0, 6).Select(j => j == i ? 3f : 0f).ToArray()).ToArray();
        Assert.Equal(4.0, EmbeddingMetrics.Vendi(EmbeddingMoments.Build(vectors, normalize: true).Total()), 9);
    }

    [Fact]
    public void Vendi_OfTwoItemsWithSimilarityS_IsExpOfTheEntropyOfHalfOnePlusMinusS()
    {
        // K = [[1, s], [s, 1]], K/n has eigenvalues (1 ± s)/2
        var s = 0.5;
        var vectors = new[] { new float[] { 1, 0 }, new float[] { 0.5f, (float)Math.Sqrt(0.75) } };
        var l1 = (1 + s) / 2;
        var l2 = (1 - s) / 2;
        var expected = Math.Exp(-((l1 * Math.Log(l1)) + (l2 * Math.Log(l2))));
        Assert.Equal(expected, EmbeddingMetrics.Vendi(EmbeddingMoments.Build(vectors, normalize: true).Total()), 6);
        Assert.Equal(expected, EmbeddingMetrics.Vendi(new[,] { { 0.5, s / 2 }, { s / 2, 0.5 } }), 12);
    }

    [Fact]
    public void Frechet_OneDimensional_IsTheClosedForm()
    {
        // (μ1 − μ2)² + σ1² + σ2² − 2σ1σ2
        var d = EmbeddingMetrics.Frechet([1.0], new[,] { { 4.0 } }, [3.0], new[,] { { 9.0 } });
        Assert.Equal(4 + 4 + 9 - (2 * 2 * 3), d, 12);
    }

    [Fact]
    public void Frechet_AgainstTheIdentity_IsTheClosedForm()
    {
        // Σ1 = [[2,1],[1,2]] (eigenvalues 3 and 1), Σ2 = I: ‖Δμ‖² + tr Σ1 + 2 − 2 tr Σ1^½ = 5 + 4 + 2 − 2(√3 + 1)
        var d = EmbeddingMetrics.Frechet([0.0, 0.0], new[,] { { 2.0, 1.0 }, { 1.0, 2.0 } }, [1.0, 2.0], new[,] { { 1.0, 0.0 }, { 0.0, 1.0 } });
        Assert.Equal(9 - (2 * Math.Sqrt(3)), d, 12);
    }

    [Fact]
    public void Frechet_NonCommutingCovariances_UsesTheTraceOfTheMatrixSquareRoot()
    {
        // for 2×2 M with real non-negative spectrum, tr √M = √(tr M + 2√det M); Σ1Σ2 = [[2,3],[1,6]]: tr 8, det 9
        var d = EmbeddingMetrics.Frechet([0.0, 0.0], new[,] { { 2.0, 1.0 }, { 1.0, 2.0 } }, [0.0, 0.0], new[,] { { 1.0, 0.0 }, { 0.0, 3.0 } });
        Assert.Equal(4 + 4 - (2 * Math.Sqrt(14)), d, 12);
    }

    [Fact]
    public void Frechet_OfSamplesFromKnownGaussians_ApproachesTheClosedForm()
    {
        // N((0,0), diag(1,4)) against N((1,0), diag(4,1)): 1 + (1−2)² + (2−1)² = 3
        var random = new Random(3);
        float[] Draw(double m0, double s0, double s1) => [(float)(m0 + (s0 * Normal(random))), (float)(s1 * Normal(random))];
        var a = Enumerable.Range(0, 20000).Select(_ => Draw(0, 1, 2)).ToArray();
        var b = Enumerable.Range(0, 20000).Select(_ => Draw(1, 2, 1)).ToArray();
        var d = EmbeddingMetrics.Frechet(EmbeddingMoments.Build(a, normalize: false).Total(), EmbeddingMoments.Build(b, normalize: false).Total());
        Assert.InRange(d, 2.85, 3.15);
        Assert.Equal(0, EmbeddingMetrics.Frechet(EmbeddingMoments.Build(a, normalize: false).Total(), EmbeddingMoments.Build(a, normalize: false).Total()), 9);
    }

    [Fact]
    public void Dispersion_IsTheMeanCosineDistanceOverPairs()
    {
        Assert.Equal(1.0, EmbeddingMetrics.Dispersion(EmbeddingMoments.Build([[1f, 0f], [0f, 2f]], normalize: true).Total()), 12);
        Assert.Equal(0.0, EmbeddingMetrics.Dispersion(EmbeddingMoments.Build([[1f, 1f], [2f, 2f], [3f, 3f]], normalize: true).Total()), 7);

        // three vectors: cos(a,b) = 0.5, cos(a,c) = 0, cos(b,c) = √0.75 → mean distance 1 − (0.5 + 0 + √0.75)/3
        float[][] three = [[1f, 0f], [0.5f, (float)Math.Sqrt(0.75)], [0f, 1f]];
        Assert.Equal(1 - ((0.5 + Math.Sqrt(0.75)) / 3), EmbeddingMetrics.Dispersion(EmbeddingMoments.Build(three, normalize: true).Total()), 6);
    }

    [Fact]
    public void Moments_GroupedResample_WithEveryGroupOnceEqualsTheTotal()
    {
        var random = new Random(1);
        var vectors = Enumerable.Range(0, 500).Select(_ => new[] { (float)random.NextDouble(), (float)random.NextDouble(), (float)random.NextDouble() }).ToArray();
        var moments = EmbeddingMoments.Build(vectors, normalize: true, groups: 50, seed: 4);
        Assert.Equal(50, moments.Groups);
        var total = moments.Total();
        Assert.Equal(500, total.Count);
        var resample = moments.Resample(new Random(9));
        Assert.Equal(500, resample.Count); // every group holds 10 vectors
    }

    [Fact]
    public void Mmd_OfIdenticalPointSets_IsZeroAndOfFarApartPointsIsTwo()
    {
        var x = Enumerable.Repeat(new float[] { 0, 0 }, 100).ToArray();
        var y = Enumerable.Repeat(new float[] { 10, 0 }, 100).ToArray();
        Assert.Equal(0.0, Mmd.Linear(x, x, bandwidth: 1).Value, 15);
        var far = Mmd.Linear(x, y, bandwidth: 1);
        Assert.Equal(2.0, far.Value, 12);
        Assert.Equal(50, far.Terms.Count);
    }

    [Fact]
    public void Auc_SklearnDocumentedExample_IsThreeQuarters()
    {
        // sklearn.metrics.roc_auc_score docs: y = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8] → 0.75
        Assert.Equal(0.75, DomainClassifier.Auc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]));
        Assert.Equal(0.5, DomainClassifier.Auc([1, 1, 1, 1], [false, true, false, true]));
    }

    [Fact]
    public void DomainClassifier_SeparatesShiftedGaussiansAndNotIdenticalOnes()
    {
        var random = new Random(5);
        float[] Draw(double shift) => Enumerable.Range(0, 8).Select(j => (float)((j == 0 ? shift : 0) + Normal(random))).ToArray();
        var a = Enumerable.Range(0, 600).Select(_ => Draw(0)).ToArray();
        var b = Enumerable.Range(0, 600).Select(_ => Draw(4)).ToArray();
        var c = Enumerable.Range(0, 600).Select(_ => Draw(0)).ToArray();
        Assert.InRange(DomainClassifier.CrossValidatedAuc(a, b).Auc, 0.99, 1.0);
        Assert.InRange(DomainClassifier.CrossValidatedAuc(a, c).Auc, 0.4, 0.6);

        // one mean shift of 1 standard deviation: the Bayes AUC is Φ(1/√2) = 0.7602
        var d = Enumerable.Range(0, 600).Select(_ => Draw(1)).ToArray();
        Assert.InRange(DomainClassifier.CrossValidatedAuc(a, d).Auc, 0.70, 0.80);
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
