using Plumbline.Core.Supervision.Probes;

namespace Plumbline.Core.Tests.Supervision.Probes;

public sealed class ProbeScoresTests
{
    [Fact]
    public void Summarise_TwoModels_RatesOverAnsweredItemsAndMcNemar()
    {
        var answers = new List<ItemAnswer>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add(new ItemAnswer("f.jsonl", i, "self-concept", "m1", "", AnswerKind.Answered, "Yes", i < 8));
            answers.Add(new ItemAnswer("f.jsonl", i, "self-concept", "m2", "", i == 9 ? AnswerKind.Refused : AnswerKind.Answered, "Yes", i < 2));
        }

        var (results, comparisons) = ProbeScores.Summarise(answers, ["m1", "m2"]);

        Assert.Equal(["f.jsonl", "f.jsonl", "subtask:self-concept", "subtask:self-concept"], results.Select(r => r.Items));
        var m1 = results[0];
        Assert.Equal((10, 10, 8, 0, 0, 0.8), (m1.N, m1.Answered, m1.Matching, m1.Refused, m1.Unparseable, m1.MatchingRate!.Value));
        Assert.Equal(0.4901624715366418, m1.Ci.Low, 12);
        var m2 = results[1];
        Assert.Equal((10, 9, 2, 1), (m2.N, m2.Answered, m2.Matching, m2.Refused));
        Assert.Equal(2.0 / 9, m2.MatchingRate!.Value, 12);
        var c = comparisons[0];
        Assert.Equal((9, 2, 6, 0, 1), (c.Pairs, c.BothMatch, c.OnlyFirst, c.OnlySecond, c.Neither));
        Assert.Equal(0.03125, c.PValue, 12);
        Assert.Equal(6.0 / 9, c.Difference!.Value, 12);
    }

    [Fact]
    public void MatchingProbability_FromTopAlternativesOfTheFirstAnswerToken()
    {
        var item = new ProbeItem { Question = "Q?\n (A) x\n (B) y", AnswerMatchingBehavior = " (B)", AnswerNotMatchingBehavior = [" (A)"] };
        IReadOnlyList<IReadOnlyList<(string, double)>> positions =
        [
            [("(", -0.01), ("The", -5)],
            [("A", Math.Log(0.6)), ("B", Math.Log(0.3)), ("C", Math.Log(0.05))],
        ];

        Assert.Equal(1.0 / 3, ProbeScores.MatchingProbability(positions, item)!.Value, 12);
        Assert.Null(ProbeScores.MatchingProbability([[("The", -0.1)]], item));
    }
}
