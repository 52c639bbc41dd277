namespace Plumbline.Core.Analysis.Clustering;

/// <summary>A k-means fit.</summary>
/// <param name="Model">The frozen centroids; <see cref="KMeansModel.Assign(ReadOnlySpan{float})"/> projects new points.</param>
/// <param name="Assignments">The cluster (0 … k−1) of every input point, in input order; equal to <c>Model.Assign</c> of that point.</param>
/// <param name="Inertia">Sum of squared distances of the points to their centroids (double precision).</param>
/// <param name="Iterations">Lloyd iterations of the kept restart.</param>
/// <param name="Converged">False when the kept restart stopped at <see cref="KMeansOptions.MaxIterations"/>.</param>
public sealed record KMeansFit(KMeansModel Model, int[] Assignments, double Inertia, int Iterations, bool Converged)
{
    /// <summary>Number of clusters.</summary>
    public int K => Model.K;

    /// <summary>Points per cluster.</summary>
    public int[] Sizes()
    {
        var sizes = new int[Model.K];
        foreach (var a in Assignments)
        {
            sizes[a]++;
        }

        return sizes;
    }
}

/// <summary>One k tried while choosing k.</summary>
/// <param name="K">The number of clusters.</param>
/// <param name="Silhouette">Mean silhouette on the silhouette sample (−1 … 1; higher is better).</param>
/// <param name="Inertia">Inertia of the fit on the fit sample.</param>
/// <param name="StandardError">Standard error of the mean silhouette (the standard deviation of the points' silhouettes over √points).</param>
public sealed record KCandidate(int K, double Silhouette, double Inertia, double StandardError = 0);

/// <summary>The outcome of <see cref="KMeans.FitChoosingK(float[][], KSelectionOptions?, CancellationToken)"/>.</summary>
/// <param name="Fit">The chosen k fitted on all points.</param>
/// <param name="Candidates">Every k tried, in increasing k.</param>
/// <param name="Rule">The rule that chose k, in words (for reports).</param>
public sealed record KMeansSelection(KMeansFit Fit, IReadOnlyList<KCandidate> Candidates, string Rule)
{
    /// <summary>The chosen number of clusters.</summary>
    public int K => Fit.Model.K;
}
