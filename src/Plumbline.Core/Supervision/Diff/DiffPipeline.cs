using Plumbline.Core.Analysis.Clustering;
using Plumbline.Core.Analysis.Keywords;
using Plumbline.Core.Analysis.Statistics;

namespace Plumbline.Core.Supervision.Diff;

/// <summary>The steps of <see cref="BehaviourDiff"/> over one pair of sample sets.</summary>
internal sealed class DiffPipeline(IReadOnlyList<ModelSample> before, IReadOnlyList<ModelSample> after, DiffModels models, DiffOptions options, IProgress<DiffProgress>? progress, CancellationToken cancellationToken)
{
    private readonly ModelSample[] _samples = [.. before, .. after];

    public async Task<DiffReport> RunAsync()
    {
        var n = _samples.Length;
        var isAfter = Enumerable.Range(0, n).Select(i => i >= before.Count).ToArray();
        var texts = _samples.Select(s => s.Response).ToArray();

        // 1. embed (facets first when asked)
        var embedTexts = texts;
        if (models.Facets is { } facets)
        {
            embedTexts = await FacetsAsync(facets);
        }

        if (options.MarkNegation)
        {
            embedTexts = embedTexts.Select(Analysis.NegationMarking.Mark).ToArray();
        }

        Report("embed", 0);
        var vectors = await models.Embedder.EmbedAsync(embedTexts, cancellationToken);
        var (x, d) = Normalize(vectors, n);
        Report("embed", 1);

        var strata = Stratify();
        var partition = new Partition(isAfter, strata);

        // 2. cluster
        Report("cluster", 0);
        var all = Enumerable.Range(0, n).ToArray();
        var (fit, candidates, rule) = Cluster(x, d, all);
        var k = fit.K;
        var labels = fit.Assignments;
        var members = Enumerable.Range(0, k).Select(c => Enumerable.Range(0, n).Where(i => labels[i] == c).ToArray()).ToArray();
        Report("cluster", 1);

        // 3–5. keywords, tests, splits, stability, cohesion
        Report("test", 0);
        var keywords = ClassTfIdf.Compute(texts, labels, k, top: 10);
        var pValues = Enumerable.Range(0, k).Select(c => partition.Test(all, i => labels[i] == c)).ToArray();
        var qValues = ShareTests.BenjaminiHochberg(pValues);
        var splits = Splits(members, isAfter, texts, options.Seed);
        var cohesion = Cohesion(x, d, labels, k);
        ClusterStability? stability = null;
        if (options.BootstrapResamples > 0 && k > 1)
        {
            stability = BootstrapStability.Compute(x, d, labels, k, new BootstrapOptions(options.BootstrapResamples, 20_000, options.Seed, options.MaxDegreeOfParallelism), cancellationToken);
        }

        Report("test", 1);

        // labels
        var offlineLabels = keywords.Select(kw => kw.Count == 0 ? "(no words)" : string.Join(" · ", kw.Take(3).Select(w => w.Term))).ToArray();
        var finalLabels = offlineLabels;
        var validations = new LabelValidation?[k];
        if (models.Labeler is { } labeler)
        {
            (finalLabels, validations) = await new LlmLabelling(labeler, options, texts, x, d, fit.Model, members, cancellationToken, progress).RunAsync();
        }

        // coarse level
        var (coarseOf, coarseRule) = Coarsen(fit.Model, finalLabels);
        var coarse = Coarse(coarseOf, members, partition, all, finalLabels, x, d, texts);

        var clusters = new List<ClusterReport>();
        for (var c = 0; c < k; c++)
        {
            var counts = partition.Count(members[c]);
            var shares = partition.Shares(counts);
            var significant = qValues[c] <= options.Alpha;
            clusters.Add(new ClusterReport(
                c,
                finalLabels[c],
                models.Labeler is null ? "c-tf-idf" : "llm",
                keywords[c].Select(w => w.Term).ToArray(),
                counts,
                shares,
                shares.After - shares.Before,
                Direction(shares),
                pValues[c],
                qValues[c],
                significant,
                stability?.Jaccard[c],
                double.IsNaN(cohesion[c]) ? null : cohesion[c],
                validations[c],
                splits[c],
                splits[c]?.Significant == true,
                coarseOf[c],
                null,
                Examples(members[c], fit.Model, c, x, d, isAfter),
                members[c].Select(i => _samples[i].Id).ToArray(),
                members[c].Where(i => !isAfter[i]).Select(i => _samples[i].Id).ToArray(),
                members[c].Where(i => isAfter[i]).Select(i => _samples[i].Id).ToArray()));
        }

        if (models.Judge is { } judge && options.Intended is { } intended)
        {
            await JudgeAsync(judge, intended, clusters, members, texts);
        }

        // 6. null check
        NullCheckReport? nullCheck = null;
        if (options.NullCheck && before.Count >= 4)
        {
            Report("null check", 0);
            nullCheck = NullCheck(x, d, k);
            Report("null check", 1);
        }

        var summary = new DiffSummary(
            before.Count,
            after.Count,
            k,
            rule,
            candidates,
            strata is not null,
            partition.TestName,
            options.Alpha,
            clusters.Count(c => c.Significant),
            clusters.Count(c => c.Impure),
            coarse.Count,
            coarseRule,
            coarse.Count(g => g.Significant),
            coarse.Count(g => g.Impure),
            stability?.MeanAdjustedRandIndex,
            models.Embedder.Name,
            models.Facets?.Name,
            models.Labeler?.Name,
            models.Judge?.Name,
            options.Intended);
        return new DiffReport(summary, clusters, coarse, nullCheck, Map(x, d, labels, isAfter));
    }

    private void Report(string step, double fraction) => progress?.Report(new DiffProgress(step, fraction));

    private async Task<string[]> FacetsAsync(IFacetWriter facets)
    {
        var result = new string[_samples.Length];
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, _samples.Length), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            result[i] = await facets.SummarizeAsync(_samples[i].Prompt, _samples[i].Response, ct);
            Report("facets", (double)Interlocked.Increment(ref done) / _samples.Length);
        });
        return result;
    }

    private static (float[] Flat, int Dimension) Normalize(float[][] vectors, int n)
    {
        if (vectors.Length != n || n == 0)
        {
            throw new PlumblineException(FailureKind.Runtime, $"the embedder returned {vectors.Length} vectors for {n} texts");
        }

        var d = vectors[0].Length;
        var flat = new float[checked(n * d)];
        for (var i = 0; i < n; i++)
        {
            if (vectors[i].Length != d)
            {
                throw new PlumblineException(FailureKind.Runtime, $"the embedder returned vectors of {vectors[i].Length} and {d} dimensions");
            }

            var norm = Math.Sqrt(vectors[i].Sum(v => (double)v * v));
            for (var t = 0; t < d; t++)
            {
                flat[(i * d) + t] = norm > 0 ? (float)(vectors[i][t] / norm) : 0f;
            }
        }

        return (flat, d);
    }

    /// <summary>Strata by prompt when before and after answer the same prompts (at least 90% of samples have a prompt both sides answered).</summary>
    private int[]? Stratify()
    {
        if (options.Stratify == false)
        {
            return null;
        }

        var beforePrompts = before.Select(s => s.Prompt).Where(p => p.Length > 0).ToHashSet(StringComparer.Ordinal);
        var afterPrompts = after.Select(s => s.Prompt).Where(p => p.Length > 0).ToHashSet(StringComparer.Ordinal);
        var shared = _samples.Count(s => beforePrompts.Contains(s.Prompt) && afterPrompts.Contains(s.Prompt));
        if (options.Stratify != true && shared < 0.9 * _samples.Length)
        {
            return null;
        }

        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        return _samples.Select(s => ids.TryGetValue(s.Prompt, out var id) ? id : ids[s.Prompt] = ids.Count).ToArray();
    }

    private (KMeansFit Fit, IReadOnlyList<KCandidate> Candidates, string Rule) Cluster(float[] x, int d, int[] rows)
    {
        var data = Gather(x, d, rows);
        if (options.K is { } fixedK)
        {
            var k = Math.Min(fixedK, rows.Length);
            return (KMeans.Fit(data, d, k, options.KMeansOptions(options.Restarts), cancellationToken), [], $"k = {k}, given");
        }

        var selection = KMeans.FitChoosingK(data, d, new KSelectionOptions(options.MinK, options.MaxK, KMeans: options.KMeansOptions(options.Restarts)), cancellationToken);
        return (selection.Fit, selection.Candidates, selection.Rule);
    }

    private static float[] Gather(float[] x, int d, IReadOnlyList<int> rows)
    {
        var result = new float[rows.Count * d];
        for (var r = 0; r < rows.Count; r++)
        {
            Array.Copy(x, rows[r] * d, result, r * d, d);
        }

        return result;
    }

    /// <summary>The held-out inside-shift test of every group with at least MinSplitSize members; BH across the groups tested.</summary>
    private ClusterSplit?[] Splits(IReadOnlyList<int[]> groups, bool[] isAfter, string[] texts, int seed)
    {
        var raw = groups.Select((m, g) => m.Length < options.MinSplitSize ? null : InsideShift.Test(m, isAfter, texts, options.Permutations, unchecked(seed + g))).ToArray();
        var tested = Enumerable.Range(0, groups.Count).Where(g => raw[g] is not null).ToArray();
        var q = ShareTests.BenjaminiHochberg(tested.Select(g => raw[g]!.Value.P).ToArray());
        var result = new ClusterSplit?[groups.Count];
        for (var t = 0; t < tested.Length; t++)
        {
            var r = raw[tested[t]]!.Value;
            result[tested[t]] = new ClusterSplit(r.Tested, r.Auc, r.BeforeKeywords, r.AfterKeywords, r.P, q[t], q[t] <= options.Alpha);
        }

        return result;
    }

    /// <summary>Mean silhouette of each cluster's members within a seeded sample of at most 2,000 points (NaN when none is sampled).</summary>
    private double[] Cohesion(float[] x, int d, int[] labels, int k)
    {
        var result = Enumerable.Repeat(double.NaN, k).ToArray();
        if (k < 2)
        {
            return result;
        }

        var random = new Random(options.Seed);
        var rows = Enumerable.Range(0, labels.Length).OrderBy(_ => random.Next()).Take(2000).Order().ToArray();
        var sampleLabels = rows.Select(r => labels[r]).ToArray();
        if (sampleLabels.Distinct().Count() < 2 || sampleLabels.Distinct().Count() > rows.Length - 1)
        {
            return result;
        }

        var distances = Silhouette.Pairwise(rows.Length, (a, b) => Math.Sqrt(Math.Max(0, SquaredDistance(x, d, rows[a], rows[b]))));
        var s = Silhouette.Samples(distances, sampleLabels);
        for (var c = 0; c < k; c++)
        {
            var mine = Enumerable.Range(0, rows.Length).Where(i => sampleLabels[i] == c).Select(i => s[i]).ToArray();
            if (mine.Length > 0)
            {
                result[c] = mine.Average();
            }
        }

        return result;
    }

    private static double SquaredDistance(float[] x, int d, int a, int b)
    {
        var sum = 0.0;
        for (var t = 0; t < d; t++)
        {
            var diff = (double)x[(a * d) + t] - x[(b * d) + t];
            sum += diff * diff;
        }

        return sum;
    }

    /// <summary>
    /// The coarse level: average-linkage agglomeration of the unit-length fine centroids (Euclidean),
    /// cut at the number of groups (2 … k−1) with the highest silhouette of the centroids (a tie goes to
    /// fewer groups); clusters with the same label are then joined too. Group ids follow the first cluster.
    /// </summary>
    private static (int[] CoarseOf, string Rule) Coarsen(KMeansModel model, string[] labels)
    {
        var k = model.K;
        var centroids = model.Centroids.Select(c =>
        {
            var norm = Math.Sqrt(c.Sum(v => (double)v * v));
            return c.Select(v => norm > 0 ? v / norm : 0).ToArray();
        }).ToArray();
        var distances = Silhouette.Pairwise(k, (a, b) => Math.Sqrt(centroids[a].Zip(centroids[b], (u, v) => (u - v) * (u - v)).Sum()));
        var groups = Enumerable.Range(0, k).Select(c => new List<int> { c }).ToList();
        var best = Enumerable.Range(0, k).ToArray();
        var bestScore = double.NegativeInfinity;
        var bestCount = k;
        while (k >= 4 && groups.Count > 2)
        {
            int mergeA = 0, mergeB = 1;
            var closest = double.PositiveInfinity;
            for (var a = 0; a < groups.Count; a++)
            {
                for (var b = a + 1; b < groups.Count; b++)
                {
                    var sum = 0.0;
                    foreach (var i in groups[a])
                    {
                        foreach (var j in groups[b])
                        {
                            sum += distances[(i * k) + j];
                        }
                    }

                    var average = sum / (groups[a].Count * groups[b].Count);
                    if (average < closest)
                    {
                        closest = average;
                        (mergeA, mergeB) = (a, b);
                    }
                }
            }

            groups[mergeA].AddRange(groups[mergeB]);
            groups.RemoveAt(mergeB);
            var assignment = new int[k];
            for (var g = 0; g < groups.Count; g++)
            {
                foreach (var c in groups[g])
                {
                    assignment[c] = g;
                }
            }

            var score = Silhouette.Score(distances, assignment);
            if (score >= bestScore)
            {
                (bestScore, best, bestCount) = (score, assignment, groups.Count);
            }
        }

        var parent = Enumerable.Range(0, k).ToArray();
        int Find(int a) => parent[a] == a ? a : parent[a] = Find(parent[a]);
        for (var a = 0; a < k; a++)
        {
            for (var b = a + 1; b < k; b++)
            {
                if (best[a] == best[b] || string.Equals(labels[a].Trim(), labels[b].Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    parent[Find(b)] = Find(a);
                }
            }
        }

        var ids = new Dictionary<int, int>();
        var coarseOf = Enumerable.Range(0, k).Select(c => ids.TryGetValue(Find(c), out var id) ? id : ids[Find(c)] = ids.Count).ToArray();
        var rule = k < 4
            ? $"{ids.Count} groups: below 4 clusters only clusters with the same label are joined"
            : $"{ids.Count} groups: average-linkage agglomeration of the {k} unit-length centroids, cut at the number of groups (2…{k - 1}) with the highest centroid silhouette ({bestScore:F3} at {bestCount}); clusters with the same label joined";
        return (coarseOf, rule);
    }

    private List<CoarseCluster> Coarse(int[] coarseOf, int[][] members, Partition partition, int[] all, string[] labels, float[] x, int d, string[] texts)
    {
        var groups = coarseOf.Max() + 1;
        var clusterLists = Enumerable.Range(0, groups).Select(g => Enumerable.Range(0, coarseOf.Length).Where(c => coarseOf[c] == g).ToArray()).ToArray();
        var groupOf = new int[partition.After.Length];
        for (var c = 0; c < members.Length; c++)
        {
            foreach (var i in members[c])
            {
                groupOf[i] = coarseOf[c];
            }
        }

        var p = Enumerable.Range(0, groups).Select(g => partition.Test(all, i => groupOf[i] == g)).ToArray();
        var q = ShareTests.BenjaminiHochberg(p);
        var mixed = Enumerable.Range(0, groups).Where(g => clusterLists[g].Length > 1).ToArray();
        var heterogeneity = mixed.Select(g => ShareTests.Homogeneity(clusterLists[g].Select(c => partition.Count(members[c])).Select(s => (s.Before, s.After)).ToArray())).ToArray();
        var heterogeneityQ = ShareTests.BenjaminiHochberg(heterogeneity);
        var groupMembers = Enumerable.Range(0, groups).Select(g => clusterLists[g].Length > 1 ? clusterLists[g].SelectMany(c => members[c]).Order().ToArray() : []).ToArray();
        var splits = Splits(groupMembers, partition.After, texts, unchecked(options.Seed + 100_003));
        return Enumerable.Range(0, groups).Select(g =>
        {
            var counts = partition.Count(clusterLists[g].SelectMany(c => members[c]));
            var shares = partition.Shares(counts);
            var label = string.Join(" | ", clusterLists[g].OrderByDescending(c => members[c].Length).Take(3).Select(c => labels[c]));
            var at = Array.IndexOf(mixed, g);
            double? hp = at >= 0 ? heterogeneity[at] : null;
            double? hq = at >= 0 ? heterogeneityQ[at] : null;
            return new CoarseCluster(g, clusterLists[g], label, counts, shares, shares.After - shares.Before, Direction(shares), p[g], q[g], q[g] <= options.Alpha, hp, hq, splits[g], hq <= options.Alpha || splits[g]?.Significant == true);
        }).ToList();
    }

    private static string Direction(SideShares shares) => shares.After > shares.Before ? "up" : shares.After < shares.Before ? "down" : "none";

    private SideExamples Examples(int[] members, KMeansModel model, int cluster, float[] x, int d, bool[] isAfter)
    {
        ExampleText[] Side(bool sideAfter) => members
            .Where(i => isAfter[i] == sideAfter)
            .OrderBy(i => model.SquaredDistance(x.AsSpan(i * d, d), cluster))
            .ThenBy(i => i)
            .Take(options.Examples)
            .Select(i => new ExampleText(_samples[i].Id, _samples[i].Response))
            .ToArray();
        return new SideExamples(Side(false), Side(true));
    }

    private async Task JudgeAsync(IShiftJudge judge, string intended, List<ClusterReport> clusters, int[][] members, string[] texts)
    {
        var targets = clusters.Where(c => c.Significant || c.Impure).ToArray();
        var done = 0;
        await Parallel.ForEachAsync(targets, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (cluster, ct) =>
        {
            var grewAfter = cluster.Shares.After >= cluster.Shares.Before;
            var examples = (grewAfter ? cluster.Examples.After : cluster.Examples.Before).Select(e => e.Text).ToArray();
            var keywords = cluster.Keywords;
            var label = cluster.Label;
            if (!cluster.Significant && cluster.Split is { } split)
            {
                label += $" (inside this cluster, responses about '{string.Join(", ", split.AfterKeywords.Take(3))}' became more common than those about '{string.Join(", ", split.BeforeKeywords.Take(3))}')";
            }

            var verdict = await judge.JudgeAsync(intended, new ShiftEvidence(label, keywords, cluster.Shares.Before, cluster.Shares.After, examples), ct);
            lock (clusters)
            {
                var index = clusters.FindIndex(c => c.Id == cluster.Id);
                clusters[index] = clusters[index] with { Verdict = new VerdictReport(verdict.Verdict.ToString().ToLowerInvariant(), verdict.Reason) };
            }

            Report("judge", (double)Interlocked.Increment(ref done) / targets.Length);
        });
    }

    /// <summary>Two seeded random halves of the before-samples, clustered with the diff's k (on the same embeddings) and tested like the real diff.</summary>
    private NullCheckReport NullCheck(float[] x, int d, int k)
    {
        var random = new Random(unchecked(options.Seed + 7919));
        var order = Enumerable.Range(0, before.Count).OrderBy(_ => random.Next()).ToArray();
        var halfSize = before.Count / 2;
        var rows = order.Order().ToArray();
        var secondHalf = order.Take(halfSize).ToHashSet();
        var isAfter = rows.Select(r => secondHalf.Contains(r)).ToArray();
        var partition = new Partition(isAfter, null);
        var fit = KMeans.Fit(Gather(x, d, rows), d, Math.Min(k, rows.Length), options.KMeansOptions(options.Restarts), cancellationToken);
        var local = Enumerable.Range(0, rows.Length).ToArray();
        var p = Enumerable.Range(0, fit.K).Select(c => partition.Test(local, i => fit.Assignments[i] == c)).ToArray();
        var q = ShareTests.BenjaminiHochberg(p);
        var significant = q.Count(v => v <= options.Alpha);
        var members = Enumerable.Range(0, fit.K).Select(c => local.Where(i => fit.Assignments[i] == c).ToArray()).ToArray();
        var splits = Splits(members, isAfter, rows.Select(r => _samples[r].Response).ToArray(), options.Seed);
        var significantSplits = splits.Count(s => s?.Significant == true);
        return new NullCheckReport(rows.Length - halfSize, halfSize, fit.K, fit.K, significant, significantSplits, (double)significant / fit.K, options.Alpha, significant == 0 && significantSplits == 0);
    }

    private List<MapPoint> Map(float[] x, int d, int[] labels, bool[] isAfter)
    {
        var random = new Random(unchecked(options.Seed + 31));
        var rows = Enumerable.Range(0, labels.Length).OrderBy(_ => random.Next()).Take(options.MapPoints).Order().ToArray();
        var xy = PrincipalMap.Project(x, d, rows);
        return rows.Select((r, j) => new MapPoint(Math.Round(xy[j].X, 5), Math.Round(xy[j].Y, 5), labels[r], isAfter[r])).ToList();
    }
}
