namespace Plumbline.Core.Curation.Pairwise;

/// <summary>
/// Noisy Bradley–Terry (the model of crowd-kit's NoisyBradleyTerry): worker w compares for real with probability
/// σ(γ_w) and then prefers the left item with σ(s_left − s_right); otherwise picks left with σ(q_w), a position
/// bias. Fitted here by deterministic gradient ascent on the log-likelihood from s = 0, q = 0, γ = 1, with a
/// small Gaussian penalty (weight 1e-2) that keeps scores finite when an item never loses. Scores are σ(s).
/// </summary>
public static class NoisyBradleyTerry
{
    private const double Penalty = 1e-2;

    public static PairwiseResult Fit(Comparisons data, int maxIterations = 2000, double tolerance = 1e-7)
    {
        ArgumentNullException.ThrowIfNull(data);
        var s = new double[data.Items.Count];
        var q = new double[data.Workers.Count];
        var gamma = Enumerable.Repeat(1.0, data.Workers.Count).ToArray();
        var gs = new double[s.Length];
        var gq = new double[q.Length];
        var gg = new double[gamma.Length];
        var perItem = new double[s.Length];
        var perWorker = new double[q.Length];
        for (var i = 0; i < data.Count; i++)
        {
            perItem[data.Left[i]]++;
            perItem[data.Right[i]]++;
            perWorker[data.WorkerOf[i]]++;
        }

        var iterations = 0;
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            for (var i = 0; i < s.Length; i++)
            {
                gs[i] = -Penalty * s[i];
            }

            for (var w = 0; w < q.Length; w++)
            {
                gq[w] = -Penalty * q[w];
                gg[w] = -Penalty * (gamma[w] - 1);
            }

            for (var i = 0; i < data.Count; i++)
            {
                var w = data.WorkerOf[i];
                var y = data.LeftWon[i] ? 1.0 : -1.0;
                var a = Sigmoid(gamma[w]);
                var b = Sigmoid(y * (s[data.Left[i]] - s[data.Right[i]]));
                var c = Sigmoid(y * q[w]);
                var likelihood = (a * b) + ((1 - a) * c);
                var dd = a * b * (1 - b) * y / likelihood;
                gs[data.Left[i]] += dd;
                gs[data.Right[i]] -= dd;
                gq[w] += (1 - a) * c * (1 - c) * y / likelihood;
                gg[w] += a * (1 - a) * (b - c) / likelihood;
            }

            var change = 0.0;
            for (var i = 0; i < s.Length; i++)
            {
                var step = 2 * gs[i] / (perItem[i] + 1);
                s[i] += step;
                change = Math.Max(change, Math.Abs(step));
            }

            for (var w = 0; w < q.Length; w++)
            {
                var stepQ = 2 * gq[w] / (perWorker[w] + 1);
                var stepG = 2 * gg[w] / (perWorker[w] + 1);
                q[w] += stepQ;
                gamma[w] += stepG;
                change = Math.Max(change, Math.Max(Math.Abs(stepQ), Math.Abs(stepG)));
            }

            iterations++;
            if (change < tolerance)
            {
                break;
            }
        }

        return new PairwiseResult("noisy_bt", data.Items, s.Select(Sigmoid).ToArray(), data.Workers, gamma.Select(Sigmoid).ToArray(), q.Select(Sigmoid).ToArray(), iterations);
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
