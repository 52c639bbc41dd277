namespace Plumbline.Core.Analysis.Clustering;

/// <summary>
/// How <see cref="KMeans"/> fits a given number of clusters. Defaults follow scikit-learn's
/// <c>KMeans(init="k-means++", algorithm="lloyd")</c> where it has one.
/// </summary>
/// <param name="Seed">Seed of every random choice: the same points, k, options and seed give the same result, bit for bit, on any number of threads.</param>
/// <param name="Restarts">Independent k-means++ initialisations (scikit-learn's <c>n_init</c>); the one with the lowest inertia is kept. Default 4.</param>
/// <param name="MaxIterations">Lloyd iterations per restart at most; default 300 (scikit-learn's).</param>
/// <param name="Tolerance">Stop when the summed squared shift of the centroids falls below this fraction of the data's mean per-dimension variance (scikit-learn's <c>tol</c>); default 1e-4. A restart also stops as soon as no point changes cluster.</param>
/// <param name="MaxDegreeOfParallelism">Threads used at most; null uses every core. Results do not depend on it.</param>
public sealed record KMeansOptions(
    int Seed = 0,
    int Restarts = 4,
    int MaxIterations = 300,
    double Tolerance = 1e-4,
    int? MaxDegreeOfParallelism = null)
{
    internal void Validate()
    {
        var errors = new List<string>();
        if (Restarts < 1)
        {
            errors.Add($"Restarts must be at least 1 (was {Restarts})");
        }

        if (MaxIterations < 1)
        {
            errors.Add($"MaxIterations must be at least 1 (was {MaxIterations})");
        }

        if (!(Tolerance >= 0) || double.IsInfinity(Tolerance))
        {
            errors.Add($"Tolerance must be a finite number of 0 or more (was {Tolerance})");
        }

        if (MaxDegreeOfParallelism is < 1)
        {
            errors.Add($"MaxDegreeOfParallelism must be at least 1 or null (was {MaxDegreeOfParallelism})");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid k-means options: " + string.Join("; ", errors));
        }
    }
}

/// <summary>
/// How <see cref="KMeans.FitChoosingK(float[][], KSelectionOptions?, CancellationToken)"/> chooses the
/// number of clusters. The rule: every k from <paramref name="MinK"/> to <paramref name="MaxK"/> is
/// fitted (at most 50 Lloyd iterations) on the same seeded sample of at most <paramref name="FitSample"/> points; each fit is scored
/// by its mean silhouette (Rousseeuw 1987, Euclidean distance) on the same seeded sub-sample of at most
/// <paramref name="SilhouetteSample"/> of those points; the smallest k whose score is within one
/// standard error of the highest score wins (the one-standard-error rule of Breiman et al. 1984 and
/// Tibshirani, Walther and Hastie 2001: when the curve is flat, the simplest clustering the sample
/// cannot tell from the best); that k is then fitted on all points with <paramref name="KMeans"/>.
/// </summary>
/// <param name="MinK">Smallest k tried; default 2 (a silhouette needs two clusters).</param>
/// <param name="MaxK">Largest k tried; default 30. Capped at the number of distinct points minus one.</param>
/// <param name="FitSample">Points used to fit the candidate k; default 5,000.</param>
/// <param name="SilhouetteSample">Points the silhouette is computed on; default 2,000 (quadratic cost).</param>
/// <param name="SelectionRestarts">Restarts per candidate k; default 2.</param>
/// <param name="KMeans">Options of the final fit (and the seed of the samples); default <see cref="KMeansOptions"/>'s defaults.</param>
public sealed record KSelectionOptions(
    int MinK = 2,
    int MaxK = 30,
    int FitSample = 5_000,
    int SilhouetteSample = 2_000,
    int SelectionRestarts = 2,
    KMeansOptions? KMeans = null)
{
    /// <summary>The final fit's options (never null).</summary>
    public KMeansOptions FinalOptions => KMeans ?? new KMeansOptions();

    internal void Validate()
    {
        var errors = new List<string>();
        if (MinK < 2)
        {
            errors.Add($"MinK must be at least 2 (was {MinK})");
        }

        if (MaxK < MinK)
        {
            errors.Add($"MaxK must be at least MinK ({MinK}) (was {MaxK})");
        }

        if (FitSample < 3)
        {
            errors.Add($"FitSample must be at least 3 (was {FitSample})");
        }

        if (SilhouetteSample < 3)
        {
            errors.Add($"SilhouetteSample must be at least 3 (was {SilhouetteSample})");
        }

        if (SelectionRestarts < 1)
        {
            errors.Add($"SelectionRestarts must be at least 1 (was {SelectionRestarts})");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid k selection options: " + string.Join("; ", errors));
        }

        FinalOptions.Validate();
    }
}
