namespace Plumbline.Core.Analysis.Clustering;

/// <summary>
/// Lloyd's algorithm from greedy k-means++ seeds (Arthur and Vassilvitskii 2007, with scikit-learn's
/// 2 + ln k local trials per centre). Work is split into fixed chunks of rows and partial sums are
/// combined in chunk order, so the result does not depend on the number of threads.
/// </summary>
internal sealed class Lloyd
{
    private const int ChunkRows = 1024;

    private readonly float[] _x;
    private readonly int _n;
    private readonly int _d;
    private readonly ParallelOptions _parallel;
    private readonly int _chunks;

    public Lloyd(float[] rowMajor, int dimension, int? maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        _x = rowMajor;
        _d = dimension;
        _n = rowMajor.Length / dimension;
        _chunks = (_n + ChunkRows - 1) / ChunkRows;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism ?? -1, CancellationToken = cancellationToken };
    }

    private ReadOnlySpan<float> Row(int i) => _x.AsSpan(i * _d, _d);

    public KMeansFit Fit(int k, KMeansOptions options)
    {
        var tolerance = options.Tolerance * MeanVariance();
        var master = new Random(options.Seed);
        var seeds = new int[options.Restarts];
        for (var r = 0; r < seeds.Length; r++)
        {
            seeds[r] = master.Next();
        }

        KMeansFit? best = null;
        foreach (var seed in seeds)
        {
            var fit = Run(k, seed, options.MaxIterations, tolerance);
            if (best is null || fit.Inertia < best.Inertia)
            {
                best = fit;
            }
        }

        return best!;
    }

    private double MeanVariance()
    {
        var mean = new double[_d];
        for (var i = 0; i < _n; i++)
        {
            var row = Row(i);
            for (var t = 0; t < _d; t++)
            {
                mean[t] += row[t];
            }
        }

        for (var t = 0; t < _d; t++)
        {
            mean[t] /= _n;
        }

        var total = 0.0;
        for (var i = 0; i < _n; i++)
        {
            var row = Row(i);
            for (var t = 0; t < _d; t++)
            {
                var diff = row[t] - mean[t];
                total += diff * diff;
            }
        }

        return total / _n / _d;
    }

    private KMeansFit Run(int k, int seed, int maxIterations, double tolerance)
    {
        var centroids = Seed(k, new Random(seed));
        var labels = new int[_n];
        Array.Fill(labels, -1);
        var iterations = 0;
        var converged = false;
        var distances = new float[_n];
        while (iterations < maxIterations)
        {
            _parallel.CancellationToken.ThrowIfCancellationRequested();
            iterations++;
            var model = new KMeansModel(centroids, k, _d);
            var (sums, counts, changed) = AssignAndSum(model, labels, distances);
            if (changed == 0)
            {
                converged = true;
                break;
            }

            var next = new float[k * _d];
            RelocateEmpty(sums, counts, labels, distances);
            for (var j = 0; j < k; j++)
            {
                for (var t = 0; t < _d; t++)
                {
                    next[(j * _d) + t] = counts[j] == 0 ? centroids[(j * _d) + t] : (float)(sums[(j * _d) + t] / counts[j]);
                }
            }

            var shift = 0.0;
            for (var t = 0; t < next.Length; t++)
            {
                var diff = (double)next[t] - centroids[t];
                shift += diff * diff;
            }

            centroids = next;
            if (shift <= tolerance)
            {
                converged = true;
                break;
            }
        }

        // final labels from the final centroids, so that Assign(point) reproduces them
        var final = new KMeansModel(centroids, k, _d);
        var inertiaParts = new double[_chunks];
        Parallel.For(0, _chunks, _parallel, c =>
        {
            var (from, to) = ChunkRange(c);
            var part = 0.0;
            for (var i = from; i < to; i++)
            {
                labels[i] = final.Nearest(Row(i), out _);
                part += Vectors.SquaredDistanceExact(Row(i), final.Centroid(labels[i]));
            }

            inertiaParts[c] = part;
        });
        return new KMeansFit(final, labels, inertiaParts.Sum(), iterations, converged);
    }

    private (int From, int To) ChunkRange(int chunk) => (chunk * ChunkRows, Math.Min(_n, (chunk + 1) * ChunkRows));

    private (double[] Sums, int[] Counts, int Changed) AssignAndSum(KMeansModel model, int[] labels, float[] distances)
    {
        var k = model.K;
        var partSums = new double[_chunks][];
        var partCounts = new int[_chunks][];
        var partChanged = new int[_chunks];
        Parallel.For(0, _chunks, _parallel, c =>
        {
            var (from, to) = ChunkRange(c);
            var sums = new double[k * _d];
            var counts = new int[k];
            var changed = 0;
            for (var i = from; i < to; i++)
            {
                var row = Row(i);
                var j = model.Nearest(row, out var score);
                distances[i] = score + Vectors.Dot(row, row);
                if (labels[i] != j)
                {
                    labels[i] = j;
                    changed++;
                }

                counts[j]++;
                var offset = j * _d;
                for (var t = 0; t < _d; t++)
                {
                    sums[offset + t] += row[t];
                }
            }

            partSums[c] = sums;
            partCounts[c] = counts;
            partChanged[c] = changed;
        });

        var totalSums = new double[k * _d];
        var totalCounts = new int[k];
        for (var c = 0; c < _chunks; c++)
        {
            for (var t = 0; t < totalSums.Length; t++)
            {
                totalSums[t] += partSums[c][t];
            }

            for (var j = 0; j < k; j++)
            {
                totalCounts[j] += partCounts[c][j];
            }
        }

        return (totalSums, totalCounts, partChanged.Sum());
    }

    /// <summary>
    /// scikit-learn's rule: an empty cluster takes the point farthest from its own centroid (ties to
    /// the lower index); that point leaves its old cluster's sums.
    /// </summary>
    private void RelocateEmpty(double[] sums, int[] counts, int[] labels, float[] distances)
    {
        var empty = Enumerable.Range(0, counts.Length).Where(j => counts[j] == 0).ToArray();
        if (empty.Length == 0)
        {
            return;
        }

        var farthest = Enumerable.Range(0, _n)
            .Where(i => counts[labels[i]] > 1)
            .OrderByDescending(i => distances[i])
            .ThenBy(i => i)
            .Take(empty.Length)
            .ToArray();
        for (var e = 0; e < farthest.Length; e++)
        {
            var i = farthest[e];
            var from = labels[i];
            var to = empty[e];
            if (counts[from] <= 1)
            {
                continue;
            }

            var row = Row(i);
            for (var t = 0; t < _d; t++)
            {
                sums[(from * _d) + t] -= row[t];
                sums[(to * _d) + t] = row[t];
            }

            counts[from]--;
            counts[to] = 1;
            labels[i] = to;
        }
    }

    /// <summary>Greedy k-means++: each new centre is the best of 2 + ⌊ln k⌋ candidates drawn with probability ∝ D².</summary>
    private float[] Seed(int k, Random random)
    {
        var centroids = new float[k * _d];
        var first = random.Next(_n);
        Row(first).CopyTo(centroids);
        var closest = new double[_n];
        Parallel.For(0, _chunks, _parallel, c =>
        {
            var (from, to) = ChunkRange(c);
            var center = Row(first);
            for (var i = from; i < to; i++)
            {
                closest[i] = Vectors.SquaredDistance(Row(i), center);
            }
        });
        var potential = SumInOrder(closest);
        var trials = 2 + (int)Math.Log(k);
        var candidateIds = new int[trials];
        var candidateDistances = new double[trials][];
        for (var t = 0; t < trials; t++)
        {
            candidateDistances[t] = new double[_n];
        }

        var cumulative = new double[_n];
        for (var c = 1; c < k; c++)
        {
            _parallel.CancellationToken.ThrowIfCancellationRequested();
            var running = 0.0;
            for (var i = 0; i < _n; i++)
            {
                running += closest[i];
                cumulative[i] = running;
            }

            for (var t = 0; t < trials; t++)
            {
                var target = random.NextDouble() * potential;
                var index = Array.BinarySearch(cumulative, target);
                index = index < 0 ? ~index : index;
                candidateIds[t] = Math.Min(index, _n - 1);
            }

            Parallel.For(0, _chunks, _parallel, chunk =>
            {
                var (from, to) = ChunkRange(chunk);
                for (var t = 0; t < trials; t++)
                {
                    var candidate = Row(candidateIds[t]);
                    var target = candidateDistances[t];
                    for (var i = from; i < to; i++)
                    {
                        target[i] = Math.Min(closest[i], Vectors.SquaredDistance(Row(i), candidate));
                    }
                }
            });

            var best = 0;
            var bestPotential = double.PositiveInfinity;
            for (var t = 0; t < trials; t++)
            {
                var p = SumInOrder(candidateDistances[t]);
                if (p < bestPotential)
                {
                    bestPotential = p;
                    best = t;
                }
            }

            Row(candidateIds[best]).CopyTo(centroids.AsSpan(c * _d, _d));
            Array.Copy(candidateDistances[best], closest, _n);
            potential = bestPotential;
        }

        return centroids;
    }

    private static double SumInOrder(double[] values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum;
    }
}
