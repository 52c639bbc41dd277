namespace Plumbline.Core.Curation.Pairwise;

/// <summary>
/// Bradley–Terry by Hunter's (2004) MM algorithm in crowd-kit's form: p starts uniform; each step
/// p_i ← W_i / Σ_j T_ij / (p_i + p_j), normalised to sum 1; stop when Σ|Δp| &lt; tolerance.
/// </summary>
public static class BradleyTerry
{
    public static PairwiseResult Fit(Comparisons data, int maxIterations = 100, double tolerance = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(data);
        var n = data.Items.Count;
        var wins = new double[n];
        var pairs = new Dictionary<(int, int), int>();
        for (var i = 0; i < data.Count; i++)
        {
            var (winner, loser) = data.LeftWon[i] ? (data.Left[i], data.Right[i]) : (data.Right[i], data.Left[i]);
            wins[winner]++;
            var key = winner < loser ? (winner, loser) : (loser, winner);
            pairs[key] = pairs.GetValueOrDefault(key) + 1;
        }

        var p = Enumerable.Repeat(n == 0 ? 0 : 1.0 / n, n).ToArray();
        var z = new double[n];
        var iterations = 0;
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            Array.Clear(z);
            foreach (var ((a, b), count) in pairs)
            {
                var x = count / (p[a] + p[b]);
                z[a] += x;
                z[b] += x;
            }

            var next = new double[n];
            for (var i = 0; i < n; i++)
            {
                next[i] = z[i] == 0 ? 0 : wins[i] / z[i];
            }

            var sum = next.Sum();
            var change = 0.0;
            for (var i = 0; i < n; i++)
            {
                next[i] /= sum;
                change += Math.Abs(next[i] - p[i]);
            }

            p = next;
            iterations++;
            if (iteration > 0 && change < tolerance)
            {
                break;
            }
        }

        return new PairwiseResult("bt", data.Items, p, data.Workers, null, null, iterations);
    }
}
