using Plumbline.Core.Analysis;

namespace Plumbline.Core.Supervision.Tasks;

/// <summary>A success count out of a number of trials, with its Wilson score interval.</summary>
/// <param name="Successes">Successes.</param>
/// <param name="Trials">Trials.</param>
/// <param name="Low">Lower end of the 95% Wilson interval (0 when there are no trials).</param>
/// <param name="High">Upper end of the 95% Wilson interval (1 when there are no trials).</param>
public sealed record Proportion(int Successes, int Trials, double Low, double High)
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = WilsonInterval.Z95;

    /// <summary>Successes / trials, or null when there are no trials.</summary>
    public double? Value => Trials == 0 ? null : (double)Successes / Trials;

    /// <summary>The count with its Wilson score interval (<see cref="WilsonInterval"/>); [0, 1] when there are no trials.</summary>
    public static Proportion Of(int successes, int trials, double z = Z95)
    {
        var (low, high) = WilsonInterval.Of(successes, trials, z);
        return new Proportion(successes, trials, low, high);
    }
}

/// <summary>
/// The exact distribution of a sum of independent Bernoulli variables with different probabilities
/// (the Poisson binomial), by the usual O(n²) recurrence. Used for what a random guesser scores.
/// </summary>
public sealed class PoissonBinomial
{
    private readonly double[] _pmf;

    /// <summary>The distribution of the number of successes when trial i succeeds with probability <paramref name="probabilities"/>[i].</summary>
    public PoissonBinomial(IReadOnlyList<double> probabilities)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        _pmf = new double[probabilities.Count + 1];
        _pmf[0] = 1;
        for (var i = 0; i < probabilities.Count; i++)
        {
            var p = probabilities[i];
            if (p is < 0 or > 1 || double.IsNaN(p))
            {
                throw new ArgumentOutOfRangeException(nameof(probabilities), p, $"probability {i} must be in [0, 1]");
            }

            for (var k = i + 1; k >= 1; k--)
            {
                _pmf[k] = (_pmf[k] * (1 - p)) + (_pmf[k - 1] * p);
            }

            _pmf[0] *= 1 - p;
        }

        Mean = probabilities.Sum();
    }

    /// <summary>The number of trials.</summary>
    public int Trials => _pmf.Length - 1;

    /// <summary>The expected number of successes.</summary>
    public double Mean { get; }

    /// <summary>P(X = k).</summary>
    public double Probability(int k) => k < 0 || k > Trials ? 0 : _pmf[k];

    /// <summary>P(X ≥ k): the one-sided p-value of seeing k or more successes by chance.</summary>
    public double AtLeast(int k)
    {
        if (k <= 0)
        {
            return 1;
        }

        double sum = 0;
        for (var j = Trials; j >= k; j--)
        {
            sum += _pmf[j];
        }

        return Math.Min(1, sum);
    }

    /// <summary>The smallest k with P(X ≤ k) ≥ <paramref name="q"/>.</summary>
    public int Quantile(double q)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(q, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 1);
        double cumulative = 0;
        for (var k = 0; k <= Trials; k++)
        {
            cumulative += _pmf[k];
            if (cumulative >= q - 1e-12)
            {
                return k;
            }
        }

        return Trials;
    }
}
