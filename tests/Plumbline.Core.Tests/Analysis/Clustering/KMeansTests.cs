using Plumbline.Core.Analysis.Clustering;

namespace Plumbline.Core.Tests.Analysis.Clustering;

public class KMeansTests
{
    /// <summary>Gaussian blobs (Box–Muller, seeded) around the given centres; returns points and true blob index.</summary>
    internal static (float[][] Points, int[] Truth) Blobs(int perBlob, double spread, int seed, params double[][] centres)
    {
        var random = new Random(seed);
        var points = new List<float[]>();
        var truth = new List<int>();
        for (var b = 0; b < centres.Length; b++)
        {
            for (var i = 0; i < perBlob; i++)
            {
                var p = new float[centres[b].Length];
                for (var t = 0; t < p.Length; t++)
                {
                    var u1 = 1.0 - random.NextDouble();
                    var u2 = random.NextDouble();
                    p[t] = (float)(centres[b][t] + (spread * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2)));
                }

                points.Add(p);
                truth.Add(b);
            }
        }

        return (points.ToArray(), truth.ToArray());
    }

    private static readonly double[][] FourCentres = [[0, 0, 0], [10, 0, 0], [0, 10, 0], [0, 0, 10]];

    [Fact]
    public void Fit_ScikitLearnDocExample_FindsTheTwoColumnsOfPoints()
    {
        // scikit-learn's KMeans docstring: X = [[1,2],[1,4],[1,0],[10,2],[10,4],[10,0]], k=2 → centres [10,2] and [1,2]
        float[][] x = [[1, 2], [1, 4], [1, 0], [10, 2], [10, 4], [10, 0]];
        var fit = KMeans.Fit(x, 2, new KMeansOptions(Seed: 0));
        var centres = fit.Model.Centroids.Select(c => (c[0], c[1])).OrderBy(c => c.Item1).ToArray();
        Assert.Equal([(1f, 2f), (10f, 2f)], centres);
        Assert.Equal(fit.Assignments[0], fit.Assignments[1]);
        Assert.Equal(fit.Assignments[0], fit.Assignments[2]);
        Assert.NotEqual(fit.Assignments[0], fit.Assignments[3]);
        Assert.Equal(fit.Assignments[3], fit.Assignments[5]);
        Assert.Equal(16.0, fit.Inertia, 12); // each point is 0 or 2 from its centre: 4 · 2² = 16
        Assert.True(fit.Converged);
    }

    [Fact]
    public void Fit_SeparatedBlobs_RecoversTheBlobsExactly()
    {
        var (points, truth) = Blobs(200, 1.0, seed: 3, FourCentres);
        var fit = KMeans.Fit(points, 4, new KMeansOptions(Seed: 7));
        Assert.Equal(1.0, AdjustedRandIndex.Compute(truth, fit.Assignments), 12);
        Assert.Equal([200, 200, 200, 200], fit.Sizes().Order().ToArray());
    }

    [Fact]
    public void Fit_SameSeed_SameResultBitForBit_WhateverTheThreadCount()
    {
        var (points, _) = Blobs(1500, 3.0, seed: 5, FourCentres); // 6000 points: several chunks
        var one = KMeans.Fit(points, 6, new KMeansOptions(Seed: 11, MaxDegreeOfParallelism: 1));
        var many = KMeans.Fit(points, 6, new KMeansOptions(Seed: 11, MaxDegreeOfParallelism: 4));
        Assert.Equal(one.Assignments, many.Assignments);
        Assert.Equal(one.Inertia, many.Inertia);
        Assert.Equal(one.Model.Centroids.SelectMany(c => c), many.Model.Centroids.SelectMany(c => c));
        Assert.Equal(one.Iterations, many.Iterations);
    }

    [Fact]
    public void Fit_RowMajorAndJagged_GiveTheSameFit()
    {
        var (points, _) = Blobs(50, 2.0, seed: 1, FourCentres);
        var jagged = KMeans.Fit(points, 4, new KMeansOptions(Seed: 2));
        var flat = KMeans.Fit(points.SelectMany(p => p).ToArray(), 3, 4, new KMeansOptions(Seed: 2));
        Assert.Equal(jagged.Assignments, flat.Assignments);
        Assert.Equal(jagged.Inertia, flat.Inertia);
    }

    [Fact]
    public void Fit_MoreRestarts_NeverRaisesInertia()
    {
        var (points, _) = Blobs(100, 4.0, seed: 9, FourCentres);
        var few = KMeans.Fit(points, 7, new KMeansOptions(Seed: 4, Restarts: 1));
        var more = KMeans.Fit(points, 7, new KMeansOptions(Seed: 4, Restarts: 8));
        Assert.True(more.Inertia <= few.Inertia, $"{more.Inertia} > {few.Inertia}");
    }

    [Fact]
    public void Assign_TrainingPoints_ReproducesTheFitsAssignments()
    {
        var (points, _) = Blobs(300, 4.0, seed: 8, FourCentres);
        var fit = KMeans.Fit(points, 5, new KMeansOptions(Seed: 3));
        Assert.Equal(fit.Assignments, fit.Model.Assign(points));
        var restored = KMeansModel.FromCentroids(fit.Model.Centroids);
        Assert.Equal(fit.Assignments, restored.Assign(points));
        Assert.Equal(5, restored.K);
        Assert.Equal(3, restored.Dimension);
    }

    [Fact]
    public void Assign_NewPoint_GoesToTheNearestFrozenCentroid()
    {
        var model = KMeansModel.FromCentroids([[0f, 0f], [10f, 0f]]);
        Assert.Equal(0, model.Assign([4.9f, 3f]));
        Assert.Equal(1, model.Assign([5.1f, -3f]));
        Assert.Equal(0, model.Assign([5f, 0f])); // tie → lower index
        Assert.Equal(25.0, model.SquaredDistance([5f, 0f], 1), 12);
    }

    [Fact]
    public void Fit_DuplicatePointsAndKAboveDistinctCount_LeavesNoClusterEmptyWhenPossible()
    {
        float[][] x = [[0, 0], [0, 0], [0, 0], [1, 1], [1, 1], [5, 5]];
        var fit = KMeans.Fit(x, 3, new KMeansOptions(Seed: 0));
        Assert.Equal([1, 2, 3], fit.Sizes().Order().ToArray());
        Assert.Equal(0.0, fit.Inertia, 12);
    }

    [Fact]
    public void FitChoosingK_FourBlobs_ChoosesFourAndReportsEveryCandidate()
    {
        var (points, truth) = Blobs(250, 1.0, seed: 21, FourCentres);
        var chosen = KMeans.FitChoosingK(points, new KSelectionOptions(MinK: 2, MaxK: 8, KMeans: new KMeansOptions(Seed: 1)));
        Assert.Equal(4, chosen.K);
        Assert.Equal([2, 3, 4, 5, 6, 7, 8], chosen.Candidates.Select(c => c.K).ToArray());
        Assert.Equal(chosen.Candidates.Max(c => c.Silhouette), chosen.Candidates.Single(c => c.K == 4).Silhouette);
        Assert.Equal(1.0, AdjustedRandIndex.Compute(truth, chosen.Fit.Assignments), 12);
        Assert.StartsWith("k = 4: the smallest k whose mean silhouette (", chosen.Rule, StringComparison.Ordinal);
        Assert.Contains("at k = 4) over k = 2…8", chosen.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void FitChoosingK_FlatSilhouetteCurve_TakesTheSmallestKWithinOneStandardErrorOfTheBest()
    {
        // four heavily overlapping blobs: several k score about the same
        var (points, _) = Blobs(300, 3.0, seed: 4, FourCentres);
        var chosen = KMeans.FitChoosingK(points, new KSelectionOptions(MinK: 2, MaxK: 12, SilhouetteSample: 600, KMeans: new KMeansOptions(Seed: 2)));
        var best = chosen.Candidates.MaxBy(c => c.Silhouette)!;
        Assert.All(chosen.Candidates.Where(c => c.Silhouette > -1), c => Assert.InRange(c.StandardError, 1e-6, 0.1));
        Assert.Equal(chosen.Candidates.First(c => c.Silhouette >= best.Silhouette - best.StandardError).K, chosen.K);
        Assert.True(chosen.K <= best.K);
        Assert.All(chosen.Candidates.Where(c => c.K < chosen.K), c => Assert.True(c.Silhouette < best.Silhouette - best.StandardError));
    }

    [Fact]
    public void FitChoosingK_SampledSelection_IsDeterministic()
    {
        var (points, _) = Blobs(400, 3.0, seed: 2, FourCentres);
        var options = new KSelectionOptions(MaxK: 6, FitSample: 600, SilhouetteSample: 300, KMeans: new KMeansOptions(Seed: 5));
        var a = KMeans.FitChoosingK(points, options);
        var b = KMeans.FitChoosingK(points, options);
        Assert.Equal(a.Candidates, b.Candidates);
        Assert.Equal(a.Fit.Assignments, b.Fit.Assignments);
    }

    [Fact]
    public void Fit_BadInput_NamesThePointAndTheRule()
    {
        var ragged = Assert.Throws<ArgumentException>(() => KMeans.Fit([[1f, 2f], [1f]], 1));
        Assert.StartsWith("point 1 has 1 dimensions, point 0 has 2", ragged.Message, StringComparison.Ordinal);
        var nan = Assert.Throws<ArgumentException>(() => KMeans.Fit([[1f, 2f], [1f, float.NaN]], 1));
        Assert.StartsWith("point 1 has a value that is not finite at dimension 1 (NaN)", nan.Message, StringComparison.Ordinal);
        var tooMany = Assert.Throws<ArgumentOutOfRangeException>(() => KMeans.Fit([[1f], [2f]], 3));
        Assert.StartsWith("k must be at most the number of points (2)", tooMany.Message, StringComparison.Ordinal);
        var options = Assert.Throws<ArgumentException>(() => KMeans.Fit([[1f], [2f]], 1, new KMeansOptions(Restarts: 0, MaxIterations: 0)));
        Assert.Equal("invalid k-means options: Restarts must be at least 1 (was 0); MaxIterations must be at least 1 (was 0)", options.Message);
    }
}
