using Plumbline.Core.Curation;
using Plumbline.Core.Curation.Pairwise;

namespace Plumbline.Core.Tests.Curation;

public class PairwiseTests
{
    /// <summary>crowd-kit tests/aggregation/test_bt_aggregation.py, fixture data_abc.</summary>
    private static readonly PairwiseRow[] Abc =
    [
        new("w1", "t1", "a", "b", "a"),
        new("w1", "t2", "b", "c", "b"),
        new("w1", "t3", "c", "a", "a"),
    ];

    /// <summary>Fixture data_equal: a cycle, so every item is as good as the others.</summary>
    private static readonly PairwiseRow[] Equal =
    [
        new("w1", "t1", "a", "b", "a"),
        new("w1", "t2", "b", "c", "b"),
        new("w1", "t3", "c", "a", "c"),
    ];

    [Fact]
    public void BradleyTerry_ZeroIterations_IsUniform() =>
        AssertClose([1 / 3.0, 1 / 3.0, 1 / 3.0], BradleyTerry.Fit(Comparisons.Create(Abc), maxIterations: 0).Scores);

    /// <summary>crowd-kit result_iter_10: [.934, .065, 0.] with n_iter = 10, tol = 0.</summary>
    [Fact]
    public void BradleyTerry_TenIterations_MatchesCrowdKit() =>
        AssertClose([0.934, 0.065, 0.0], BradleyTerry.Fit(Comparisons.Create(Abc), maxIterations: 10, tolerance: 0).Scores);

    [Theory]
    [InlineData(10, 0)]
    [InlineData(100500, 1e-5)]
    public void BradleyTerry_Cycle_MatchesCrowdKitEqualScores(int iterations, double tolerance) =>
        AssertClose([1 / 3.0, 1 / 3.0, 1 / 3.0], BradleyTerry.Fit(Comparisons.Create(Equal), iterations, tolerance).Scores);

    /// <summary>
    /// crowd-kit's expected NoisyBradleyTerry scores on data_abc are [1.0, 1.0, 1.5e-45]: a and b saturate, c
    /// goes to 0. Its digits depend on NumPy's random starting point and an L-BFGS-B run capped at n_iter, so
    /// here the shape is asserted: a near 1, c near 0, and b (beaten by a, beating c) between them.
    /// </summary>
    [Fact]
    public void NoisyBradleyTerry_Abc_RanksLikeCrowdKit()
    {
        var result = NoisyBradleyTerry.Fit(Comparisons.Create(Abc));
        Assert.Equal("noisy_bt", result.Method);
        Assert.True(result.Scores[0] > 0.9 && result.Scores[2] < 0.1 && result.Scores[0] > result.Scores[1] && result.Scores[1] > result.Scores[2], string.Join(", ", result.Scores));
    }

    [Fact]
    public void NoisyBradleyTerry_PlantedLeftBiasedRater_IsFoundWithLowReliability()
    {
        var random = new Random(5);
        var rows = new List<PairwiseRow>();
        var items = Enumerable.Range(0, 8).Select(i => $"i{i}").ToArray();
        for (var n = 0; n < 2000; n++)
        {
            var a = random.Next(8);
            var b = (a + 1 + random.Next(7)) % 8;
            var worker = $"w{n % 5}";
            bool leftWins;
            if (worker == "w4")
            {
                leftWins = random.NextDouble() < 0.9;
            }
            else
            {
                // item i has strength i: P(a beats b) = σ(0.6 (a − b))
                leftWins = random.NextDouble() < 1 / (1 + Math.Exp(-0.6 * (a - b)));
            }

            rows.Add(new(worker, $"t{n}", items[a], items[b], leftWins ? items[a] : items[b]));
        }

        var result = NoisyBradleyTerry.Fit(Comparisons.Create(rows));

        Assert.Equal(items, result.Items.OrderBy(i => result.Scores[result.Items.ToList().IndexOf(i)]));
        Assert.True(result.Skill![4] < 0.3, $"reliability of the left-clicker {result.Skill[4]:0.00}");
        Assert.True(result.Bias![4] > 0.8, $"position bias of the left-clicker {result.Bias[4]:0.00}");
        Assert.True(result.Skill.Take(4).All(s => s > 0.8), string.Join(", ", result.Skill));
    }

    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 0.005, $"expected {string.Join(", ", expected)} but got {string.Join(", ", actual)}");
        }
    }
}
