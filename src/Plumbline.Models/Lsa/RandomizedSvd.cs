using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace Plumbline.Models.Lsa;

/// <summary>
/// Truncated SVD of a sparse matrix by the randomized range finder of Halko, Martinsson and Tropp
/// (2011, algorithms 4.4 and 5.1): Y = A·Ω with a seeded Gaussian Ω, power (subspace) iterations with
/// re-orthonormalization by Cholesky-QR, then the small SVD of B = Qᵀ·A through the
/// eigen-decomposition of B·Bᵀ. Every product is row-parallel over fixed blocks, so the result does
/// not depend on the number of threads.
/// </summary>
internal static class RandomizedSvd
{
    /// <summary>Top-<paramref name="rank"/> (fewer when the matrix has lower rank) right singular vectors (rank×Columns, row-major) and singular values.</summary>
    public static (double[] Components, double[] SingularValues) Compute(SparseRows a, int rank, int oversamples, int powerIterations, int seed)
    {
        var width = Math.Min(rank + oversamples, Math.Min(a.Rows, a.Columns));
        rank = Math.Min(rank, width);
        var at = a.Transpose();
        var omega = Gaussian(a.Columns, width, seed);

        // subspace iteration: Y = A·Ω, then (Aᵀ·A) applied powerIterations times; the basis is
        // re-orthonormalised on the term side (Columns rows, the cheaper side) after every Aᵀ, and on
        // the text side once at the end (twice, for full orthonormality)
        var y = a.Multiply(omega, width);
        for (var i = 0; i < powerIterations; i++)
        {
            var z = at.Multiply(y, width);
            Orthonormalize(z, a.Columns, width, passes: 1);
            y = a.Multiply(z, width);
        }

        var q = y;
        Orthonormalize(q, a.Rows, width, passes: 2);

        // Bᵀ = Aᵀ·Q (Columns×width); B·Bᵀ = (Bᵀ)ᵀ·Bᵀ is width×width.
        var bt = at.Multiply(q, width);
        var gram = Gram(bt, a.Columns, width);
        var evd = Matrix<double>.Build.DenseOfArray(gram).Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, width).OrderByDescending(i => evd.EigenValues[i].Real).ThenBy(i => i).ToArray();

        // directions with no energy (σ below 1e-6·σ1: the data has lower rank than asked) are not dimensions
        var top = Math.Max(evd.EigenValues[order[0]].Real, 0);
        rank = Math.Max(1, Math.Min(rank, order.Count(i => evd.EigenValues[i].Real > top * 1e-12)));
        var components = new double[(long)rank * a.Columns];
        var singular = new double[rank];
        for (var k = 0; k < rank; k++)
        {
            var e = order[k];
            var sigma = Math.Sqrt(Math.Max(evd.EigenValues[e].Real, 0));
            singular[k] = sigma;
            var w = new double[width];
            for (var j = 0; j < width; j++)
            {
                w[j] = evd.EigenVectors[j, e];
            }

            // right singular vector v = Bᵀ·w / σ
            var v = components.AsSpan(k * a.Columns, a.Columns);
            for (var c = 0; c < a.Columns; c++)
            {
                v[c] = TensorPrimitives.Dot(bt.AsSpan(c * width, width), w);
            }

            var norm = TensorPrimitives.Norm((ReadOnlySpan<double>)v);
            if (norm > 0)
            {
                TensorPrimitives.Divide(v, norm, v);
            }

            // sign convention of scikit-learn's svd_flip(u_based_decision=False): the largest |entry| is positive
            var largest = TensorPrimitives.IndexOfMaxMagnitude((ReadOnlySpan<double>)v);
            if (largest >= 0 && v[largest] < 0)
            {
                TensorPrimitives.Negate(v, v);
            }
        }

        return (components, singular);
    }

    private static double[] Gaussian(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var result = new double[(long)rows * columns];
        for (var i = 0; i < result.Length; i += 2)
        {
            // Box–Muller: two independent standard normals from two uniforms
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var radius = Math.Sqrt(-2.0 * Math.Log(u1));
            result[i] = radius * Math.Cos(2 * Math.PI * u2);
            if (i + 1 < result.Length)
            {
                result[i + 1] = radius * Math.Sin(2 * Math.PI * u2);
            }
        }

        return result;
    }

    /// <summary>Makes the columns of a row-major rows×width matrix orthonormal in place (Cholesky-QR, repeated <paramref name="passes"/> times).</summary>
    internal static void Orthonormalize(double[] m, int rows, int width, int passes)
    {
        for (var pass = 0; pass < passes; pass++)
        {
            var g = Gram(m, rows, width);
            var r = Cholesky(g, width);
            SolveUpperFromRight(m, rows, width, r);
        }
    }

    /// <summary>Mᵀ·M for a row-major rows×width matrix, summed over fixed blocks in a fixed order.</summary>
    private static double[,] Gram(double[] m, int rows, int width)
    {
        const int block = 4096;
        var blocks = (rows + block - 1) / block;
        var partial = new double[blocks][];
        Parallel.For(0, blocks, b =>
        {
            var acc = new double[width * width];
            var end = Math.Min(rows, (b + 1) * block);
            for (var r = b * block; r < end; r++)
            {
                var row = m.AsSpan(r * width, width);
                for (var i = 0; i < width; i++)
                {
                    if (row[i] != 0)
                    {
                        // upper triangle only (j ≥ i); mirrored below
                        var target = acc.AsSpan(i * width + i, width - i);
                        TensorPrimitives.MultiplyAdd(row[i..], row[i], target, target);
                    }
                }
            }

            partial[b] = acc;
        });
        var g = new double[width, width];
        foreach (var acc in partial)
        {
            for (var i = 0; i < width; i++)
            {
                for (var j = i; j < width; j++)
                {
                    g[i, j] += acc[i * width + j];
                }
            }
        }

        for (var i = 0; i < width; i++)
        {
            for (var j = 0; j < i; j++)
            {
                g[i, j] = g[j, i];
            }
        }

        return g;
    }

    /// <summary>Upper triangular R with RᵀR = G; a column whose pivot vanishes (rank deficiency) gets a unit pivot and is zeroed out later.</summary>
    private static double[,] Cholesky(double[,] g, int n)
    {
        var r = new double[n, n];
        var scale = 0.0;
        for (var i = 0; i < n; i++)
        {
            scale = Math.Max(scale, g[i, i]);
        }

        var tiny = Math.Max(scale, 1e-300) * 1e-13;
        for (var j = 0; j < n; j++)
        {
            var d = g[j, j];
            for (var k = 0; k < j; k++)
            {
                d -= r[k, j] * r[k, j];
            }

            if (d <= tiny)
            {
                // dependent column: leave it out of the basis
                r[j, j] = double.PositiveInfinity;
                continue;
            }

            var pivot = Math.Sqrt(d);
            r[j, j] = pivot;
            for (var i = j + 1; i < n; i++)
            {
                var s = g[j, i];
                for (var k = 0; k < j; k++)
                {
                    if (!double.IsInfinity(r[k, k]))
                    {
                        s -= r[k, j] * r[k, i];
                    }
                }

                r[j, i] = s / pivot;
            }
        }

        return r;
    }

    /// <summary>M ← M·R⁻¹ row by row (forward substitution on each row); dropped columns become zero.</summary>
    private static void SolveUpperFromRight(double[] m, int rows, int width, double[,] r)
    {
        Parallel.For(0, (rows + 1023) / 1024, b =>
        {
            var end = Math.Min(rows, (b + 1) * 1024);
            for (var row = b * 1024; row < end; row++)
            {
                var x = m.AsSpan(row * width, width);
                for (var j = 0; j < width; j++)
                {
                    if (double.IsInfinity(r[j, j]))
                    {
                        x[j] = 0;
                        continue;
                    }

                    var s = x[j];
                    for (var k = 0; k < j; k++)
                    {
                        if (!double.IsInfinity(r[k, k]))
                        {
                            s -= x[k] * r[k, j];
                        }
                    }

                    x[j] = s / r[j, j];
                }
            }
        });
    }
}
