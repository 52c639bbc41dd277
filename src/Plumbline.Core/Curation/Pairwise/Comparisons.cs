namespace Plumbline.Core.Curation.Pairwise;

/// <summary>Pairwise comparisons coded as integers: items (ordinal order of their ids), workers, and who won.</summary>
public sealed class Comparisons
{
    private Comparisons(string[] items, string[] workers, int[] left, int[] right, bool[] leftWon, int[] worker)
    {
        Items = items;
        Workers = workers;
        Left = left;
        Right = right;
        LeftWon = leftWon;
        WorkerOf = worker;
    }

    public IReadOnlyList<string> Items { get; }

    public IReadOnlyList<string> Workers { get; }

    public int Count => Left.Length;

    internal int[] Left { get; }

    internal int[] Right { get; }

    internal bool[] LeftWon { get; }

    internal int[] WorkerOf { get; }

    public static Comparisons Create(IReadOnlyList<PairwiseRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var items = rows.SelectMany(r => new[] { r.Left, r.Right }).Distinct().Order(StringComparer.Ordinal).ToArray();
        var workers = rows.Select(r => r.Worker).Distinct().Order(StringComparer.Ordinal).ToArray();
        var itemIndex = items.Select((x, i) => (x, i)).ToDictionary(p => p.x, p => p.i, StringComparer.Ordinal);
        var workerIndex = workers.Select((x, i) => (x, i)).ToDictionary(p => p.x, p => p.i, StringComparer.Ordinal);
        return new Comparisons(
            items,
            workers,
            rows.Select(r => itemIndex[r.Left]).ToArray(),
            rows.Select(r => itemIndex[r.Right]).ToArray(),
            rows.Select(r => r.Label == r.Left).ToArray(),
            rows.Select(r => workerIndex[r.Worker]).ToArray());
    }
}

/// <summary>Item scores (higher = preferred) and, for the noisy model, each worker's reliability and position bias.</summary>
/// <param name="Skill">Noisy BT: σ(γ_w), the probability the worker compares for real rather than at random.</param>
/// <param name="Bias">Noisy BT: σ(q_w), the probability a random answer picks the left item (0.5 = no position bias).</param>
public sealed record PairwiseResult(string Method, IReadOnlyList<string> Items, IReadOnlyList<double> Scores, IReadOnlyList<string> Workers, IReadOnlyList<double>? Skill, IReadOnlyList<double>? Bias, int Iterations);
