using Plumbline.Core.Analysis.Statistics;

namespace Plumbline.Core.Tests.Analysis.Statistics;

public class ShareTestsTests
{
    [Theory]
    // Fisher's lady tasting tea (3 of 4 right): two-sided p = 34/70
    [InlineData(3, 1, 1, 3, 0.48571428571428565)]
    // scipy.stats.fisher_exact (1.10.1) reference values
    [InlineData(8, 2, 1, 5, 0.034965034965034975)]
    [InlineData(100, 200, 150, 160, 0.0002052106760269604)]
    [InlineData(0, 10, 10, 0, 1.082508822446903e-05)]
    [InlineData(5, 5, 5, 5, 1.0)]
    public void FisherExact_MatchesPublishedValues(int a, int b, int c, int d, double expected)
    {
        Assert.Equal(expected, ShareTests.FisherExact(new TwoByTwo(a, b, c, d)), 1e-12 * Math.Max(1, 1 / expected) * expected + 1e-15);
    }

    [Fact]
    public void CochranMantelHaenszel_RabbitsExampleFromR_Matches()
    {
        // R: example(mantelhaen.test), penicillin and rabbits: X-squared = 3.9286, df = 1, p-value = 0.04747
        TwoByTwo[] rabbits = [new(0, 6, 0, 5), new(3, 3, 0, 6), new(6, 0, 2, 4), new(5, 1, 6, 0), new(2, 0, 5, 0)];
        Assert.Equal(0.047472255142918154, ShareTests.CochranMantelHaenszel(rabbits), 12);
    }

    [Fact]
    public void CochranMantelHaenszel_SingletonStrataAndNoVariation_AreSkipped()
    {
        Assert.Equal(1.0, ShareTests.CochranMantelHaenszel([new TwoByTwo(1, 0, 0, 0), new TwoByTwo(1, 0, 1, 0)]));
    }

    [Fact]
    public void BenjaminiHochberg_MatchesRsPAdjust()
    {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH") = 0.02 0.04 0.04 0.02
        var q = ShareTests.BenjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
        Assert.Equal([0.02, 0.04, 0.04, 0.02], q.Select(v => Math.Round(v, 12)).ToArray());
        // R: p.adjust(c(0.5, 0.9, 0.2), "BH") = 0.75 0.90 0.60
        Assert.Equal([0.75, 0.9, 0.6], ShareTests.BenjaminiHochberg([0.5, 0.9, 0.2]).Select(v => Math.Round(v, 12)).ToArray());
    }
}
