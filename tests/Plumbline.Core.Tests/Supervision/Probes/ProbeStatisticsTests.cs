using Plumbline.Core.Supervision.Probes;

namespace Plumbline.Core.Tests.Supervision.Probes;

public sealed class ProbeStatisticsTests
{
    // statsmodels.stats.proportion.proportion_confint(k, n, method="wilson")
    [Theory]
    [InlineData(8, 10, 0.4901624715366418, 0.9433178485456248)]
    [InlineData(2, 10, 0.05668215145437519, 0.5098375284633583)]
    [InlineData(376, 998, 0.3472164269146046, 0.40723573930980367)]
    [InlineData(0, 3, 0.0, 0.5614970317550455)]
    [InlineData(3, 3, 0.43850296824495455, 1.0)]
    public void Wilson_MatchesStatsmodels(int k, int n, double low, double high)
    {
        var ci = ProbeStatistics.Wilson(k, n);

        Assert.Equal(low, ci.Low, 12);
        Assert.Equal(high, ci.High, 12);
    }

    [Fact]
    public void Wilson_NoObservations_IsTheWholeRange() => Assert.Equal(new Interval(0, 1), ProbeStatistics.Wilson(0, 0));

    // exact two-sided: 2 · P(X ≤ min(b, c)), X ~ Bin(b + c, ½)
    [Theory]
    [InlineData(1, 9, 0.021484375)]      // 2 · (1 + 10) / 1024
    [InlineData(6, 0, 0.03125)]          // 2 / 64
    [InlineData(5, 5, 1.0)]
    [InlineData(0, 0, 1.0)]
    [InlineData(3, 12, 0.03515625)]      // 2 · (1 + 15 + 105 + 455) / 32768
    public void McNemarExact_HandComputed(int b, int c, double p)
    {
        Assert.Equal(p, ProbeStatistics.McNemarExact(b, c), 12);
    }

    [Fact]
    public void BinomialUpperTail_AllTwentyRightAtChanceHalf_IsHalfToTheTwentieth()
    {
        Assert.Equal(9.5367431640625e-07, ProbeStatistics.BinomialUpperTail(20, 20, 0.5), 15);
        Assert.Equal(1.0, ProbeStatistics.BinomialUpperTail(0, 20, 0.5));
    }

    [Fact]
    public void PairedBootstrapDifference_AllPairsAgreeOnTheDifference_IsAPoint()
    {
        var pairs = Enumerable.Repeat((true, false), 5).ToList();

        Assert.Equal(new Interval(1, 1), ProbeStatistics.PairedBootstrapDifference(pairs, seed: 3));
    }

    [Fact]
    public void PairedBootstrapDifference_IsSeededAndContainsTheObservedDifference()
    {
        var pairs = Enumerable.Range(0, 40).Select(i => (i % 4 != 0, i % 2 == 0)).ToList(); // 0.75 vs 0.5

        var first = ProbeStatistics.PairedBootstrapDifference(pairs, seed: 7);
        var again = ProbeStatistics.PairedBootstrapDifference(pairs, seed: 7);

        Assert.Equal(first, again);
        Assert.InRange(0.25, first.Low, first.High);
    }
}
