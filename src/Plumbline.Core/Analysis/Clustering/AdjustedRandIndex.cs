namespace Plumbline.Core.Analysis.Clustering;

/// <summary>
/// Adjusted Rand index of two clusterings of the same items (Hubert and Arabie 1985), computed as
/// scikit-learn's <c>adjusted_rand_score</c> from the pair confusion matrix: 1 for identical
/// partitions (whatever the label names), about 0 for independent ones, negative below chance.
/// </summary>
public static class AdjustedRandIndex
{
    /// <summary>The ARI of <paramref name="a"/> and <paramref name="b"/> (labels are any integers).</summary>
    public static double Compute(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count)
        {
            throw new ArgumentException($"the clusterings label {a.Count} and {b.Count} items", nameof(b));
        }

        long n = a.Count;
        var cells = new Dictionary<(int, int), long>();
        var rows = new Dictionary<int, long>();
        var columns = new Dictionary<int, long>();
        for (var i = 0; i < a.Count; i++)
        {
            cells[(a[i], b[i])] = cells.GetValueOrDefault((a[i], b[i])) + 1;
            rows[a[i]] = rows.GetValueOrDefault(a[i]) + 1;
            columns[b[i]] = columns.GetValueOrDefault(b[i]) + 1;
        }

        // ordered-pair counts, as sklearn.metrics.cluster.pair_confusion_matrix
        var sumSquares = cells.Values.Sum(v => v * v);
        var bothSame = sumSquares - n;
        var onlyA = rows.Values.Sum(v => v * v) - sumSquares;
        var onlyB = columns.Values.Sum(v => v * v) - sumSquares;
        var neither = (n * n) - onlyA - onlyB - sumSquares;
        if (onlyA == 0 && onlyB == 0)
        {
            return 1.0;
        }

        double tp = bothSame, tn = neither, fp = onlyB, fn = onlyA;
        return 2.0 * ((tp * tn) - (fn * fp)) / (((tp + fn) * (fn + tn)) + ((tp + fp) * (fp + tn)));
    }
}
