using Plumbline.Core.Supervision.Drift;

namespace Plumbline.Core.Tests.Supervision.Drift;

public sealed class GateTests
{
    private static readonly IReadOnlyCollection<string> Known = DriftMetrics.Names;

    [Fact]
    public void Parse_BlockList_ReadsEveryConditionWithItsLine()
    {
        var gate = Gate.Parse("# stop the run\nfail_when:\n  - \"distinct_2 < 0.6 * round0\"\n  - frechet_to_reference > 2.5   # absolute\n  - 'vendi <= 0.9*previous'\n", "gate.yaml", Known);
        Assert.Equal(
            [
                new GateCondition("distinct_2 < 0.6 * round0", "distinct_2", GateOperator.Less, 0.6, GateBaseline.Round0, 3),
                new GateCondition("frechet_to_reference > 2.5", "frechet_to_reference", GateOperator.Greater, 2.5, GateBaseline.None, 4),
                new GateCondition("vendi <= 0.9*previous", "vendi", GateOperator.LessOrEqual, 0.9, GateBaseline.Previous, 5),
            ],
            gate.Conditions);
    }

    [Fact]
    public void Parse_FlowList_AsInTheDesign()
    {
        var gate = Gate.Parse("fail_when: [\"distinct_2 < 0.6 * round0\", \"frechet_to_reference > 2.5\"]\n", "g.yaml", Known);
        Assert.Equal(["distinct_2 < 0.6 * round0", "frechet_to_reference > 2.5"], gate.Conditions.Select(c => c.Text));
        Assert.All(gate.Conditions, c => Assert.Equal(1, c.Line));
    }

    [Theory]
    [InlineData("fail_when:\n  - distinct_9 < 0.5\n", "g.yaml: line 2: unknown metric 'distinct_9' in 'distinct_9 < 0.5'")]
    [InlineData("fail_when:\n  - distinct_2 < lots\n", "g.yaml: line 2: cannot read condition 'distinct_2 < lots'")]
    [InlineData("fail_when:\n  - distinct_2 < 0.5 * round1\n", "g.yaml: line 2: unknown baseline 'round1' in 'distinct_2 < 0.5 * round1' (expected round0 or previous)")]
    [InlineData("fail_on:\n  - distinct_2 < 0.5\n", "g.yaml: line 1: unknown key 'fail_on' (a gate file has one key, fail_when)")]
    [InlineData("# nothing\n", "g.yaml: no fail_when list")]
    [InlineData("fail_when: distinct_2 < 0.5\n", "g.yaml: line 1: fail_when must be a list")]
    [InlineData("  - distinct_2 < 0.5\n", "g.yaml: line 1: a list item outside fail_when")]
    [InlineData("fail_when: [\"self_bleu > 0.5\", \"vendi < \"]\n", "g.yaml: line 1: cannot read condition 'vendi <'")]
    public void Parse_Malformed_NamesTheLine(string text, string expectedStart)
    {
        var e = Assert.Throws<PlumblineException>(() => Gate.Parse(text, "g.yaml", Known));
        Assert.Equal(FailureKind.BadInput, e.Kind);
        Assert.StartsWith(expectedStart, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NamesEachFailureWithItsRound()
    {
        var gate = Gate.Parse("fail_when:\n  - distinct_2 < 0.6 * round0\n  - frechet_to_reference > 2.5\n  - vendi < 0.9 * previous\n", "g.yaml", Known);
        IReadOnlyDictionary<string, double>[] rounds =
        [
            new Dictionary<string, double> { ["distinct_2"] = 0.80, ["frechet_to_reference"] = 1.0, ["vendi"] = 10 },
            new Dictionary<string, double> { ["distinct_2"] = 0.50, ["frechet_to_reference"] = 2.5, ["vendi"] = 9.5 },
            new Dictionary<string, double> { ["distinct_2"] = 0.47, ["frechet_to_reference"] = 3.0, ["vendi"] = 8.0 },
        ];
        var result = gate.Evaluate(rounds);
        Assert.False(result.Passed);
        Assert.Equal(["distinct_2 < 0.6 * round0 @ round 2", "frechet_to_reference > 2.5 @ round 2", "vendi < 0.9 * previous @ round 2"], result.Failed);
        Assert.True(gate.Evaluate(rounds[..2]).Passed); // 0.50 ≥ 0.48; 2.5 is not > 2.5; 9.5 ≥ 9
    }

    [Fact]
    public void Evaluate_NotANumber_DoesNotFail()
    {
        var gate = Gate.Parse("fail_when: [\"mmd_to_reference > 0.1\"]", "g.yaml", Known);
        Assert.True(gate.Evaluate([new Dictionary<string, double> { ["mmd_to_reference"] = double.NaN }]).Passed);
    }
}
