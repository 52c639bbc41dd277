namespace Plumbline.Core.Analysis;

/// <summary>
/// Classifier two-sample test (Lopez-Paz and Oquab 2017): can an L2-regularised logistic regression
/// tell set B from set A? The AUC of its k-fold cross-validated (out-of-fold) scores: 0.5 when the
/// sets are indistinguishable, 1 when they separate completely. Features are standardised on each
/// training fold; the fit is L-BFGS on the mean log-loss plus λ/2‖w‖². Each set is first subsampled
/// (seeded) to at most <see cref="Options.MaxPerSet"/> vectors so the cost stays linear and bounded.
/// </summary>
public static class DomainClassifier
{
    /// <summary>How the classifier is run.</summary>
    /// <param name="Folds">Cross-validation folds (stratified); default 5.</param>
    /// <param name="L2">Ridge penalty λ on the weights (not the intercept); default 1e-3.</param>
    /// <param name="MaxPerSet">At most this many vectors of each set are used; default 5000.</param>
    /// <param name="Seed">Seed of the subsample and the fold split.</param>
    public sealed record Options(int Folds = 5, double L2 = 1e-3, int MaxPerSet = 5000, int Seed = 0);

    /// <summary>The AUC and the out-of-fold scores it came from (labels: true = set B).</summary>
    public sealed record Result(double Auc, IReadOnlyList<double> Scores, IReadOnlyList<bool> Labels);

    /// <summary>Runs the test.</summary>
    public static Result CrossValidatedAuc(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b, Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        options ??= new Options();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Folds, 2, nameof(options.Folds));
        var random = new Random(options.Seed);
        var xa = Subsample(a, options.MaxPerSet, random);
        var xb = Subsample(b, options.MaxPerSet, random);
        if (xa.Count < options.Folds || xb.Count < options.Folds)
        {
            return new Result(double.NaN, [], []);
        }

        var x = xa.Concat(xb).ToArray();
        var y = Enumerable.Repeat(false, xa.Count).Concat(Enumerable.Repeat(true, xb.Count)).ToArray();
        var fold = new int[x.Length];
        AssignFolds(fold, 0, xa.Count, options.Folds, random);
        AssignFolds(fold, xa.Count, xb.Count, options.Folds, random);
        var scores = new double[x.Length];
        for (var f = 0; f < options.Folds; f++)
        {
            var train = Enumerable.Range(0, x.Length).Where(i => fold[i] != f).ToArray();
            var model = Fit(x, y, train, options.L2);
            for (var i = 0; i < x.Length; i++)
            {
                if (fold[i] == f)
                {
                    scores[i] = model.Score(x[i]);
                }
            }
        }

        return new Result(Auc(scores, y), scores, y);
    }

    /// <summary>Area under the ROC curve by the Mann–Whitney statistic (ties count one half).</summary>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positives = labels.Count(l => l);
        double negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        // average ranks over ties
        var rankSum = 0.0;
        var i = 0;
        while (i < order.Length)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]])
            {
                j++;
            }

            var rank = ((i + j) / 2.0) + 1;
            for (var k = i; k <= j; k++)
            {
                if (labels[order[k]])
                {
                    rankSum += rank;
                }
            }

            i = j + 1;
        }

        return (rankSum - (positives * (positives + 1) / 2)) / (positives * negatives);
    }

    /// <summary>The AUC of a stratified bootstrap resample of (score, label) pairs.</summary>
    public static double ResampleAuc(Result result, Random random)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(random);
        var positive = Enumerable.Range(0, result.Labels.Count).Where(i => result.Labels[i]).ToArray();
        var negative = Enumerable.Range(0, result.Labels.Count).Where(i => !result.Labels[i]).ToArray();
        var scores = new List<double>(result.Labels.Count);
        var labels = new List<bool>(result.Labels.Count);
        foreach (var set in new[] { positive, negative })
        {
            for (var k = 0; k < set.Length; k++)
            {
                var i = set[random.Next(set.Length)];
                scores.Add(result.Scores[i]);
                labels.Add(result.Labels[i]);
            }
        }

        return Auc(scores, labels);
    }

    private static List<float[]> Subsample(IReadOnlyList<float[]> set, int max, Random random)
    {
        if (set.Count <= max)
        {
            return [.. set];
        }

        var order = Enumerable.Range(0, set.Count).ToArray();
        random.Shuffle(order);
        return order.Take(max).Select(i => set[i]).ToList();
    }

    private static void AssignFolds(int[] fold, int start, int count, int folds, Random random)
    {
        var order = Enumerable.Range(start, count).ToArray();
        random.Shuffle(order);
        for (var k = 0; k < order.Length; k++)
        {
            fold[order[k]] = k % folds;
        }
    }

    private sealed record Model(double[] Mean, double[] Scale, double[] Weights, double Intercept)
    {
        public double Score(float[] x)
        {
            var s = Intercept;
            for (var j = 0; j < Weights.Length; j++)
            {
                s += Weights[j] * ((x[j] - Mean[j]) / Scale[j]);
            }

            return s;
        }
    }

    private static Model Fit(float[][] x, bool[] y, int[] rows, double l2)
    {
        var d = x[0].Length;
        var mean = new double[d];
        var scale = new double[d];
        foreach (var i in rows)
        {
            for (var j = 0; j < d; j++)
            {
                mean[j] += x[i][j];
            }
        }

        for (var j = 0; j < d; j++)
        {
            mean[j] /= rows.Length;
        }

        foreach (var i in rows)
        {
            for (var j = 0; j < d; j++)
            {
                var c = x[i][j] - mean[j];
                scale[j] += c * c;
            }
        }

        for (var j = 0; j < d; j++)
        {
            scale[j] = Math.Sqrt(scale[j] / rows.Length);
            if (scale[j] < 1e-12)
            {
                scale[j] = 1;
            }
        }

        // standardised design, once
        var z = new double[rows.Length][];
        var t = new double[rows.Length];
        for (var r = 0; r < rows.Length; r++)
        {
            var row = new double[d];
            for (var j = 0; j < d; j++)
            {
                row[j] = (x[rows[r]][j] - mean[j]) / scale[j];
            }

            z[r] = row;
            t[r] = y[rows[r]] ? 1 : 0;
        }

        // parameters: weights 0..d-1, intercept d
        double Objective(double[] p, double[] gradient)
        {
            Array.Clear(gradient);
            var loss = 0.0;
            for (var r = 0; r < z.Length; r++)
            {
                var s = p[d];
                var row = z[r];
                for (var j = 0; j < d; j++)
                {
                    s += p[j] * row[j];
                }

                // log(1 + e^s) − t·s, stably
                loss += (s > 0 ? s + double.LogP1(Math.Exp(-s)) : double.LogP1(Math.Exp(s))) - (t[r] * s);
                var residual = (1 / (1 + Math.Exp(-s))) - t[r];
                for (var j = 0; j < d; j++)
                {
                    gradient[j] += residual * row[j];
                }

                gradient[d] += residual;
            }

            var n = z.Length;
            for (var j = 0; j <= d; j++)
            {
                gradient[j] /= n;
            }

            loss /= n;
            for (var j = 0; j < d; j++)
            {
                loss += l2 / 2 * p[j] * p[j];
                gradient[j] += l2 * p[j];
            }

            return loss;
        }

        var parameters = Lbfgs.Minimize(Objective, new double[d + 1], maxIterations: 100);
        return new Model(mean, scale, parameters[..d], parameters[d]);
    }
}

/// <summary>Limited-memory BFGS (Nocedal 1980) with a backtracking Armijo line search; for smooth convex objectives.</summary>
internal static class Lbfgs
{
    public static double[] Minimize(Func<double[], double[], double> objective, double[] start, int maxIterations = 100, int memory = 10, double tolerance = 1e-6)
    {
        var n = start.Length;
        var x = (double[])start.Clone();
        var g = new double[n];
        var f = objective(x, g);
        var sList = new List<double[]>();
        var yList = new List<double[]>();
        var rho = new List<double>();
        var direction = new double[n];
        var xNew = new double[n];
        var gNew = new double[n];
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            if (Norm(g) < tolerance)
            {
                break;
            }

            // two-loop recursion
            Array.Copy(g, direction, n);
            var alpha = new double[sList.Count];
            for (var k = sList.Count - 1; k >= 0; k--)
            {
                alpha[k] = rho[k] * Dot(sList[k], direction);
                Axpy(direction, yList[k], -alpha[k]);
            }

            if (sList.Count > 0)
            {
                var gammaScale = Dot(sList[^1], yList[^1]) / Dot(yList[^1], yList[^1]);
                for (var i = 0; i < n; i++)
                {
                    direction[i] *= gammaScale;
                }
            }

            for (var k = 0; k < sList.Count; k++)
            {
                var beta = rho[k] * Dot(yList[k], direction);
                Axpy(direction, sList[k], alpha[k] - beta);
            }

            for (var i = 0; i < n; i++)
            {
                direction[i] = -direction[i];
            }

            var slope = Dot(g, direction);
            if (slope >= 0)
            {
                // not a descent direction: restart from steepest descent
                sList.Clear();
                yList.Clear();
                rho.Clear();
                for (var i = 0; i < n; i++)
                {
                    direction[i] = -g[i];
                }

                slope = Dot(g, direction);
            }

            var step = 1.0;
            double fNew;
            var accepted = false;
            for (var tries = 0; tries < 40; tries++)
            {
                for (var i = 0; i < n; i++)
                {
                    xNew[i] = x[i] + (step * direction[i]);
                }

                fNew = objective(xNew, gNew);
                if (fNew <= f + (1e-4 * step * slope))
                {
                    var s = new double[n];
                    var yv = new double[n];
                    for (var i = 0; i < n; i++)
                    {
                        s[i] = xNew[i] - x[i];
                        yv[i] = gNew[i] - g[i];
                    }

                    var sy = Dot(s, yv);
                    if (sy > 1e-12)
                    {
                        sList.Add(s);
                        yList.Add(yv);
                        rho.Add(1 / sy);
                        if (sList.Count > memory)
                        {
                            sList.RemoveAt(0);
                            yList.RemoveAt(0);
                            rho.RemoveAt(0);
                        }
                    }

                    var improvement = f - fNew;
                    Array.Copy(xNew, x, n);
                    Array.Copy(gNew, g, n);
                    f = fNew;
                    accepted = true;
                    if (improvement < 1e-12 * Math.Max(1, Math.Abs(f)))
                    {
                        return x;
                    }

                    break;
                }

                step /= 2;
            }

            if (!accepted)
            {
                break;
            }
        }

        return x;
    }

    private static double Dot(double[] a, double[] b)
    {
        var s = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }

    private static double Norm(double[] a) => Math.Sqrt(Dot(a, a));

    private static void Axpy(double[] target, double[] x, double factor)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] += factor * x[i];
        }
    }
}
