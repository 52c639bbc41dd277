using Plumbline.Core.Curation;
using Plumbline.Core.Curation.Agreement;

namespace Plumbline.Core.Tests.Curation;

public class AgreementTests
{
    /// <summary>Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the 4 coders × 12 units example.</summary>
    private static readonly double?[][] Krippendorff2011 =
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
        [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
    ];

    [Theory]
    [InlineData(MeasurementLevel.Nominal, 0.743)]
    [InlineData(MeasurementLevel.Ordinal, 0.815)]
    [InlineData(MeasurementLevel.Interval, 0.849)]
    [InlineData(MeasurementLevel.Ratio, 0.797)]
    public void KrippendorffAlpha_Krippendorff2011Example_MatchesPublishedValues(MeasurementLevel level, double expected) =>
        Assert.Equal(expected, Krippendorff.Alpha(Krippendorff2011, level), 3);

    [Theory]
    [InlineData(MeasurementLevel.Nominal, 0.743)]
    [InlineData(MeasurementLevel.Ratio, 0.797)]
    public void KrippendorffAlpha_SameExampleAsLabelRows_MatchesPublishedValues(MeasurementLevel level, double expected) =>
        Assert.Equal(expected, Krippendorff.Alpha(LabelSet.Create(AsRows(Krippendorff2011)), level), 3);

    [Fact]
    public void KrippendorffAlpha_IntervalOnTextLabels_IsBadInput()
    {
        var set = LabelSet.Create([new("t1", "a", "yes"), new("t1", "b", "no")]);
        var e = Assert.Throws<PlumblineException>(() => Krippendorff.Alpha(set, MeasurementLevel.Interval));
        Assert.Equal("Krippendorff's alpha at the interval level needs numeric labels", e.Message);
    }

    /// <summary>Fleiss (1971) as reproduced on Wikipedia's "Fleiss' kappa" page: 10 subjects, 14 raters, 5 categories → κ = 0.210.</summary>
    [Fact]
    public void FleissKappa_FleissExample_Is0210()
    {
        int[,] counts =
        {
            { 0, 0, 0, 0, 14 }, { 0, 2, 6, 4, 2 }, { 0, 0, 3, 5, 6 }, { 0, 3, 9, 2, 0 }, { 2, 2, 8, 1, 1 },
            { 7, 7, 0, 0, 0 }, { 3, 2, 6, 3, 0 }, { 2, 5, 3, 2, 2 }, { 6, 5, 2, 1, 0 }, { 0, 2, 2, 3, 7 },
        };
        Assert.Equal(0.210, Kappa.Fleiss(counts), 3);
    }

    [Fact]
    public void CohenKappa_TwentyFiveTenFifteen_Is040()
    {
        double[,] table = { { 20, 5 }, { 10, 15 } };
        Assert.Equal(0.40, Kappa.Cohen(table), 10);
        // With two categories every weighting is the same.
        Assert.Equal(0.40, Kappa.Cohen(table, KappaWeights.Linear), 10);
        Assert.Equal(0.40, Kappa.Cohen(table, KappaWeights.Quadratic), 10);
    }

    /// <summary>Three ordered categories, computed by hand: p_o = 0.7; linear Σw·o = 0.2, Σw·e = 0.44; quadratic 0.125 and 0.32.</summary>
    [Fact]
    public void CohenKappa_Weighted_MatchesHandComputation()
    {
        double[,] table = { { 4, 1, 0 }, { 1, 2, 1 }, { 0, 0, 1 } };
        // n = 10; rows 0.5 0.4 0.1, columns 0.5 0.3 0.2; p_e = 0.25 + 0.12 + 0.02 = 0.39.
        Assert.Equal(1 - (0.3 / 0.61), Kappa.Cohen(table), 10);
        // linear: observed = (1 + 1 + 1) * 0.5 / 10 = 0.15; expected = 0.5*(0.5*0.3+0.4*0.5+0.4*0.2+0.1*0.3) + 1*(0.5*0.2+0.1*0.5) = 0.23 + 0.15 = 0.38
        Assert.Equal(1 - (0.15 / 0.38), Kappa.Cohen(table, KappaWeights.Linear), 10);
        // quadratic: observed = 3 * 0.25 / 10 = 0.075; expected = 0.25 * 0.46 + 1 * 0.15 = 0.265
        Assert.Equal(1 - (0.075 / 0.265), Kappa.Cohen(table, KappaWeights.Quadratic), 10);
    }

    [Fact]
    public void Compute_CohenFromLabels_UsesSharedTasksOfTheTwoRaters()
    {
        var rows = new List<LabelRow>();
        var n = 0;
        foreach (var (a, b, count) in new[] { ("yes", "yes", 20), ("yes", "no", 5), ("no", "yes", 10), ("no", "no", 15) })
        {
            for (var i = 0; i < count; i++, n++)
            {
                rows.Add(new($"t{n}", "r1", a));
                rows.Add(new($"t{n}", "r2", b));
            }
        }

        rows.Add(new("only-r1", "r1", "yes"));
        var value = AgreementAnalysis.Compute(LabelSet.Create(rows), new AgreementOptions(AgreementMetric.Cohen, Resamples: 200, Seed: 7));

        // Classes are ordered no, yes; kappa does not depend on the order.
        Assert.Equal(0.40, value.Value, 10);
        Assert.Equal(50, value.Units);
        Assert.NotNull(value.Ci);
        Assert.True(value.Ci![0] < 0.40 && 0.40 < value.Ci[1]);
    }

    [Fact]
    public void Compute_CohenWithThreeRaters_NamesTheFix()
    {
        var set = LabelSet.Create([new("t", "a", "1"), new("t", "b", "1"), new("t", "c", "2")]);
        var e = Assert.Throws<PlumblineException>(() => AgreementAnalysis.Compute(set, new AgreementOptions(AgreementMetric.Cohen)));
        Assert.Equal("Cohen's kappa compares two raters; the labels have 3 (name two with --raters A,B, or use krippendorff or fleiss)", e.Message);
    }

    [Fact]
    public void Compute_Bootstrap_IsSeededAndBracketsTheValue()
    {
        var set = LabelSet.Create(AsRows(Krippendorff2011));
        var options = new AgreementOptions(AgreementMetric.Krippendorff, Resamples: 500, Seed: 3);
        var first = AgreementAnalysis.Compute(set, options);
        var second = AgreementAnalysis.Compute(set, options);

        Assert.Equal(first.Ci, second.Ci);
        Assert.Equal(0.743, first.Value, 3);
        Assert.True(first.Ci![0] < first.Value && first.Value <= first.Ci[1]);
        Assert.Equal(11, first.Units);
    }

    /// <summary>Pairable values per unit of the 2011 example; agreeing pairs / all pairs per unit, by hand.</summary>
    [Fact]
    public void PercentAgreement_Krippendorff2011Example_MatchesHandCount()
    {
        // Units 1..11 (unit 12 has one value): 1, 0.5, 1, 1, 1, 0, 1, 0.5, 1, 1, 1 → mean 9/11.
        Assert.Equal(9.0 / 11, Kappa.Percent(LabelSet.Create(AsRows(Krippendorff2011))), 10);
    }

    [Fact]
    public void PerRater_RaterWhoAlwaysDisagrees_HasZeroAgreement()
    {
        var set = LabelSet.Create(
        [
            new("t1", "a", "x"), new("t1", "b", "x"), new("t1", "c", "y"),
            new("t2", "a", "y"), new("t2", "b", "y"), new("t2", "c", "x"),
        ]);
        var raters = AgreementAnalysis.PerRater(set);

        Assert.Equal(["a", "b", "c"], raters.Select(r => r.Worker));
        Assert.Equal([0.5, 0.5, 0.0], raters.Select(r => r.Agreement));
        Assert.Equal(4, raters[2].Pairs);
        var matrix = AgreementAnalysis.Matrix(set);
        Assert.Equal(["a-b 1", "a-c 0", "b-c 0"], matrix.Select(p => $"{p.A}-{p.B} {p.Agreement}"));
    }

    private static List<LabelRow> AsRows(double?[][] coders)
    {
        var rows = new List<LabelRow>();
        for (var c = 0; c < coders.Length; c++)
        {
            for (var u = 0; u < coders[c].Length; u++)
            {
                if (coders[c][u] is { } v)
                {
                    rows.Add(new LabelRow($"u{u:00}", $"coder{c}", v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
        }

        return rows;
    }
}
