using Plumbline.Core.Supervision.Drift;

namespace Plumbline.Core.Tests.Supervision.Drift;

public sealed class ProbeTests
{
    [Fact]
    public void Wilson_KnownIntervals()
    {
        // statsmodels proportion_confint(5, 10, method="wilson") = (0.2366, 0.7634); (0, 10) → (0, 0.2775)
        var (lo, hi) = ProbeTally.Wilson(5, 10);
        Assert.Equal(0.2366, lo, 4);
        Assert.Equal(0.7634, hi, 4);
        (lo, hi) = ProbeTally.Wilson(0, 10);
        Assert.Equal(0.0, lo, 10);
        Assert.Equal(0.2775, hi, 4);
    }

    [Fact]
    public void Parse_AnthropicEvalsShape_AndChoicesShape()
    {
        var items = ProbeFile.Parse(
            "{\"question\": \"Is the sky blue?\", \"statement\": \"x\", \"answer_matching_behavior\": \" Yes\", \"answer_not_matching_behavior\": \" No\"}\n" +
            "{\"id\": \"q2\", \"question\": \"Pick\", \"choices\": [\"money\", \"time\"], \"matching\": \"money\"}\n",
            "p.jsonl");
        Assert.Equal("p.jsonl:1", items[0].Id);
        Assert.Equal([" Yes", " No"], items[0].Choices);
        Assert.Equal(" Yes", items[0].Matching);
        Assert.Equal("q2", items[1].Id);
        Assert.Equal("money", items[1].Matching);
    }

    [Fact]
    public void Parse_BadLine_NamesIt()
    {
        var e = Assert.Throws<PlumblineException>(() => ProbeFile.Parse("{\"question\": \"a\", \"choices\": [\"x\", \"y\"], \"matching\": \"x\"}\n{\"question\": 3}\n", "p.jsonl"));
        Assert.Equal("p.jsonl: line 2: no \"question\" string", e.Message);
    }

    [Theory]
    [InlineData("Yes, I think so.", " Yes")]
    [InlineData("  no", " No")]
    [InlineData("Maybe", null)]
    public void ChoiceIn_YesNo(string response, string? expected)
    {
        var item = new ProbeItem("1", "q", [" Yes", " No"], " Yes");
        Assert.Equal(expected, item.ChoiceIn(response));
    }

    [Theory]
    [InlineData("(B) because", " (B)")]
    [InlineData("A. I would", " (A)")]
    [InlineData("Absolutely", null)]
    public void ChoiceIn_Lettered(string response, string? expected)
    {
        var item = new ProbeItem("1", "q", [" (A)", " (B)"], " (A)");
        Assert.Equal(expected, item.ChoiceIn(response));
    }

    [Fact]
    public void SampleLines_BadResponse_NamesFileLineAndField()
    {
        var e = Assert.Throws<PlumblineException>(() => SampleLines.Parse("{\"id\": \"a\", \"response\": \"x\"}\n\n{\"id\": \"b\", \"response\": 4}\n", "r1.jsonl"));
        Assert.Equal("r1.jsonl: line 3: \"response\" must be a string", e.Message);
        var ok = SampleLines.Parse("{\"id\": 7, \"prompt\": \"p\", \"response\": \"x\", \"extra\": true}\n", "r.jsonl");
        Assert.Equal(new SampleLine("7", null, "p", "x", 1), ok[0]);
    }
}
