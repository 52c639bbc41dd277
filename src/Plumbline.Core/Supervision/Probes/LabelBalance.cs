namespace Plumbline.Core.Supervision.Probes;

/// <summary>How the matching answers of a set are spread over its labels, before and after balancing.</summary>
/// <param name="Before">Items per matching label before balancing (every label of the subtask, in order).</param>
/// <param name="After">Items per matching label after balancing.</param>
/// <param name="Balanced">True when, before balancing, the largest and smallest counts differed by at most <see cref="LabelBalance.Tolerance"/> of the items (and at least one item).</param>
/// <param name="Removed">Indexes (into the input) dropped to balance, the latest items of over-represented labels.</param>
public sealed record BalanceReport(IReadOnlyDictionary<string, int> Before, IReadOnlyDictionary<string, int> After, bool Balanced, IReadOnlyList<int> Removed);

/// <summary>Answer-label balance: a set where one answer shows the behaviour far more often lets a model score by always giving that answer.</summary>
public static class LabelBalance
{
    /// <summary>The spread (largest minus smallest count, as a share of all items) still called balanced: 10%.</summary>
    public const double Tolerance = 0.1;

    /// <summary>Counts the labels and, when <paramref name="rebalance"/>, drops the latest items of each over-represented label until every label has as many as the rarest (items with a label outside <paramref name="labels"/> are left alone).</summary>
    public static BalanceReport Check(IReadOnlyList<string> matchingLabels, IReadOnlyList<string> labels, bool rebalance = true)
    {
        ArgumentNullException.ThrowIfNull(matchingLabels);
        ArgumentNullException.ThrowIfNull(labels);
        var before = labels.ToDictionary(l => l, l => matchingLabels.Count(m => m == l), StringComparer.Ordinal);
        var spread = before.Values.Max() - before.Values.Min();
        var balanced = spread <= Math.Max(1, Tolerance * matchingLabels.Count);
        var removed = new List<int>();
        if (rebalance && !balanced)
        {
            var target = before.Values.Min();
            var seen = labels.ToDictionary(l => l, _ => 0, StringComparer.Ordinal);
            for (var i = 0; i < matchingLabels.Count; i++)
            {
                if (seen.TryGetValue(matchingLabels[i], out var count))
                {
                    seen[matchingLabels[i]] = count + 1;
                    if (count >= target)
                    {
                        removed.Add(i);
                    }
                }
            }
        }

        var after = labels.ToDictionary(l => l, l => before[l] - removed.Count(i => matchingLabels[i] == l), StringComparer.Ordinal);
        return new BalanceReport(before, after, balanced, removed);
    }
}
