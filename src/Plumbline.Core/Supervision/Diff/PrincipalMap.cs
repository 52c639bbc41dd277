namespace Plumbline.Core.Supervision.Diff;

/// <summary>The first two principal components of a sample of points (power iteration on the covariance, deterministic start).</summary>
internal static class PrincipalMap
{
    public static (double X, double Y)[] Project(float[] rowMajor, int dimension, IReadOnlyList<int> rows)
    {
        var d = dimension;
        var mean = new double[d];
        foreach (var r in rows)
        {
            for (var t = 0; t < d; t++)
            {
                mean[t] += rowMajor[(r * d) + t];
            }
        }

        for (var t = 0; t < d; t++)
        {
            mean[t] /= Math.Max(1, rows.Count);
        }

        var covariance = new double[d * d];
        var centred = new double[d];
        foreach (var r in rows)
        {
            for (var t = 0; t < d; t++)
            {
                centred[t] = rowMajor[(r * d) + t] - mean[t];
            }

            for (var s = 0; s < d; s++)
            {
                for (var t = s; t < d; t++)
                {
                    covariance[(s * d) + t] += centred[s] * centred[t];
                }
            }
        }

        for (var s = 0; s < d; s++)
        {
            for (var t = 0; t < s; t++)
            {
                covariance[(s * d) + t] = covariance[(t * d) + s];
            }
        }

        var first = Dominant(covariance, d, null);
        var second = Dominant(covariance, d, first);
        return rows.Select(r =>
        {
            double x = 0, y = 0;
            for (var t = 0; t < d; t++)
            {
                var v = rowMajor[(r * d) + t] - mean[t];
                x += v * first[t];
                y += v * second[t];
            }

            return (x, y);
        }).ToArray();
    }

    private static double[] Dominant(double[] matrix, int d, double[]? orthogonalTo)
    {
        var v = Enumerable.Range(0, d).Select(i => 1.0 / Math.Sqrt(d) * (1 + (0.01 * i))).ToArray();
        var next = new double[d];
        for (var iteration = 0; iteration < 200; iteration++)
        {
            if (orthogonalTo is not null)
            {
                var dot = v.Zip(orthogonalTo, (a, b) => a * b).Sum();
                for (var t = 0; t < d; t++)
                {
                    v[t] -= dot * orthogonalTo[t];
                }
            }

            for (var s = 0; s < d; s++)
            {
                var sum = 0.0;
                for (var t = 0; t < d; t++)
                {
                    sum += matrix[(s * d) + t] * v[t];
                }

                next[s] = sum;
            }

            var norm = Math.Sqrt(next.Sum(x => x * x));
            if (norm == 0)
            {
                break;
            }

            for (var t = 0; t < d; t++)
            {
                v[t] = next[t] / norm;
            }
        }

        if (orthogonalTo is not null)
        {
            var dot = v.Zip(orthogonalTo, (a, b) => a * b).Sum();
            for (var t = 0; t < d; t++)
            {
                v[t] -= dot * orthogonalTo[t];
            }
        }

        return v;
    }
}
