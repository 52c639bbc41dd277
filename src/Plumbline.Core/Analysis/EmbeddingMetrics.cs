using MathNet.Numerics.LinearAlgebra;

namespace Plumbline.Core.Analysis;

/// <summary>Diversity and distance measures computed from <see cref="Moments"/> of embeddings.</summary>
public static class EmbeddingMetrics
{
    /// <summary>
    /// Vendi score (Friedman and Dieng 2023) with the cosine kernel: exp of the Shannon entropy of
    /// the eigenvalues of K/n, K = X̂X̂ᵀ over unit-length rows. Those eigenvalues are the non-zero
    /// eigenvalues of the d×d matrix X̂ᵀX̂/n, so the cost is O(n·d² + d³) rather than O(n³). Pass the
    /// moments of unit-length vectors. The eigenvalues are rescaled to sum to 1 (they already do
    /// unless some vectors were zero). Ranges from 1 (all alike) to min(n, d).
    /// </summary>
    public static double Vendi(Moments moments)
    {
        ArgumentNullException.ThrowIfNull(moments);
        return Vendi(moments.SecondMoment());
    }

    /// <summary>Vendi score from a similarity spectrum: exp(−Σ λᵢ log λᵢ) over the eigenvalues of <paramref name="kernelOverN"/> (K/n, symmetric), normalised to sum 1.</summary>
    public static double Vendi(double[,] kernelOverN)
    {
        ArgumentNullException.ThrowIfNull(kernelOverN);
        var eigenvalues = SymmetricEigenvalues(kernelOverN);
        var total = eigenvalues.Where(l => l > 0).Sum();
        if (total <= 0)
        {
            return double.NaN;
        }

        var entropy = 0.0;
        foreach (var l in eigenvalues)
        {
            if (l > 1e-12 * total)
            {
                var p = l / total;
                entropy -= p * Math.Log(p);
            }
        }

        return Math.Exp(entropy);
    }

    /// <summary>
    /// Fréchet distance between Gaussians fitted to two sets (Heusel et al. 2017, as in pytorch-fid):
    /// ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^½), with Tr (Σ₁Σ₂)^½ computed as Σ √λ of the symmetric
    /// Σ₁^½ Σ₂ Σ₁^½ (same spectrum, no complex square root).
    /// </summary>
    public static double Frechet(Moments first, Moments second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return Frechet(first.Mean(), first.Covariance(), second.Mean(), second.Covariance());
    }

    /// <summary>Fréchet distance between N(μ₁, Σ₁) and N(μ₂, Σ₂).</summary>
    public static double Frechet(double[] mean1, double[,] covariance1, double[] mean2, double[,] covariance2)
    {
        ArgumentNullException.ThrowIfNull(mean1);
        ArgumentNullException.ThrowIfNull(mean2);
        ArgumentNullException.ThrowIfNull(covariance1);
        ArgumentNullException.ThrowIfNull(covariance2);
        var d = mean1.Length;
        if (mean2.Length != d || covariance1.GetLength(0) != d || covariance1.GetLength(1) != d || covariance2.GetLength(0) != d || covariance2.GetLength(1) != d)
        {
            throw new ArgumentException("means and covariances must share one dimension");
        }

        var meanTerm = 0.0;
        for (var i = 0; i < d; i++)
        {
            meanTerm += (mean1[i] - mean2[i]) * (mean1[i] - mean2[i]);
        }

        var s1 = Matrix<double>.Build.DenseOfArray(covariance1);
        var s2 = Matrix<double>.Build.DenseOfArray(covariance2);
        var root1 = SymmetricSquareRoot(s1);
        var middle = root1 * s2 * root1;
        middle = (middle + middle.Transpose()) / 2;
        var traceRoot = SymmetricEigenvalues(middle).Sum(l => Math.Sqrt(Math.Max(0, l)));
        var result = meanTerm + s1.Trace() + s2.Trace() - (2 * traceRoot);
        return Math.Max(0, result);
    }

    /// <summary>
    /// Embedding dispersion: the mean cosine distance 1 − cos(xᵢ, xⱼ) over all pairs i ≠ j, in linear
    /// time from Σx̂ (Σᵢ≠ⱼ x̂ᵢ·x̂ⱼ = ‖Σx̂‖² − Σ‖x̂‖²). Pass the moments of unit-length vectors.
    /// </summary>
    public static double Dispersion(Moments moments)
    {
        ArgumentNullException.ThrowIfNull(moments);
        var n = moments.Count;
        if (n < 2)
        {
            return double.NaN;
        }

        var d = moments.Dimensions;
        var sumSquared = moments.Sum.Sum(s => s * s);
        var selfSimilarity = 0.0;
        for (var i = 0; i < d; i++)
        {
            selfSimilarity += moments.Outer[(i * d) + i];
        }

        return 1 - ((sumSquared - selfSimilarity) / (n * (n - 1)));
    }

    internal static double[] SymmetricEigenvalues(double[,] matrix) => SymmetricEigenvalues(Matrix<double>.Build.DenseOfArray(matrix));

    private static double[] SymmetricEigenvalues(Matrix<double> matrix) =>
        matrix.Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).ToArray();

    private static Matrix<double> SymmetricSquareRoot(Matrix<double> matrix)
    {
        var evd = matrix.Evd(Symmetricity.Symmetric);
        var roots = evd.EigenValues.Select(c => Math.Sqrt(Math.Max(0, c.Real))).ToArray();
        var v = evd.EigenVectors;
        return v * Matrix<double>.Build.DiagonalOfDiagonalArray(roots) * v.Transpose();
    }
}
