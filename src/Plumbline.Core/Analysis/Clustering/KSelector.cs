namespace Plumbline.Core.Analysis.Clustering;

/// <summary>Chooses k by the mean silhouette of fits on a seeded sample, with the one-standard-error rule (see <see cref="KSelectionOptions"/>).</summary>
internal static class KSelector
{
    /// <summary>Lloyd iterations at most for a candidate k: enough to rank k, a fraction of a full fit's cost.</summary>
    internal const int SelectionIterations = 50;

    public static KMeansSelection Select(float[] rowMajor, int dimension, int n, KSelectionOptions options, CancellationToken cancellationToken)
    {
        var final = options.FinalOptions;
        var random = new Random(final.Seed);
        var fitIndices = Sample(n, Math.Min(n, options.FitSample), random);
        var fitData = Gather(rowMajor, dimension, fitIndices);
        var m = fitIndices.Length;

        // positions (within the fit sample) of the silhouette sample
        var silPositions = Sample(m, Math.Min(m, options.SilhouetteSample), random);
        var distances = Silhouette.Pairwise(silPositions.Length, (a, b) => Math.Sqrt(Vectors.SquaredDistanceExact(
            fitData.AsSpan(silPositions[a] * dimension, dimension), fitData.AsSpan(silPositions[b] * dimension, dimension))));

        var maxK = Math.Min(options.MaxK, silPositions.Length - 1);
        var minK = Math.Min(options.MinK, maxK);
        var lloyd = new Lloyd(fitData, dimension, final.MaxDegreeOfParallelism, cancellationToken);
        var candidates = new List<KCandidate>();
        for (var k = minK; k <= maxK; k++)
        {
            var fit = lloyd.Fit(k, final with { Restarts = options.SelectionRestarts, MaxIterations = Math.Min(final.MaxIterations, SelectionIterations) });
            var labels = silPositions.Select(p => fit.Assignments[p]).ToArray();
            var distinct = labels.Distinct().Count();
            var (score, error) = distinct < 2 || distinct > labels.Length - 1 ? (-1.0, 0.0) : MeanAndStandardError(Silhouette.Samples(distances, labels));
            candidates.Add(new KCandidate(k, score, fit.Inertia, error));
        }

        var top = candidates[0];
        foreach (var candidate in candidates)
        {
            if (candidate.Silhouette > top.Silhouette)
            {
                top = candidate;
            }
        }

        // one-standard-error rule: the smallest k whose score is within one standard error of the best
        var best = candidates.First(c => c.Silhouette >= top.Silhouette - top.StandardError);

        var chosen = new Lloyd(rowMajor, dimension, final.MaxDegreeOfParallelism, cancellationToken).Fit(best.K, final);
        var rule = FormattableString.Invariant($"k = {best.K}: the smallest k whose mean silhouette ({best.Silhouette:F3}) is within one standard error of the highest ({top.Silhouette:F3} ± {top.StandardError:F3} at k = {top.K}) over k = {minK}…{maxK}, each k fitted on a seeded sample of {m} points ") +
            $"({options.SelectionRestarts} restarts, at most {SelectionIterations} iterations) and scored on {silPositions.Length} of them; then fitted on all {n} points ({final.Restarts} restarts, seed {final.Seed})";
        return new KMeansSelection(chosen, candidates, rule);
    }

    private static (double Mean, double StandardError) MeanAndStandardError(double[] values)
    {
        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, values.Length - 1);
        return (mean, Math.Sqrt(variance / values.Length));
    }

    /// <summary>A seeded sample of <paramref name="count"/> of 0 … n−1 without replacement, in increasing order.</summary>
    private static int[] Sample(int n, int count, Random random)
    {
        var all = Enumerable.Range(0, n).ToArray();
        if (count >= n)
        {
            return all;
        }

        for (var i = 0; i < count; i++)
        {
            var j = i + random.Next(n - i);
            (all[i], all[j]) = (all[j], all[i]);
        }

        var result = all[..count];
        Array.Sort(result);
        return result;
    }

    private static float[] Gather(float[] rowMajor, int dimension, int[] indices)
    {
        var result = new float[indices.Length * dimension];
        for (var r = 0; r < indices.Length; r++)
        {
            Array.Copy(rowMajor, indices[r] * dimension, result, r * dimension, dimension);
        }

        return result;
    }
}
