using Plumbline.Core;
using Plumbline.Core.Supervision.Probes;

namespace Plumbline.Core.Tests.Supervision.Probes;

public sealed class ProbeItemReaderTests(ITestOutputHelper output)
{
    // line counts by `wc -l` and matching-answer counts from ../shared/realdata/MANIFEST.md
    public static TheoryData<string, int, string> RealFiles => new()
    {
        { "advanced-ai-risk/human_generated_evals/corrigible-neutral-HHH.jsonl", 340, "A 170, B 170" },
        { "advanced-ai-risk/human_generated_evals/power-seeking-inclination.jsonl", 998, "A 376, B 450, C 125, D 41, E 4, F 2" },
        { "advanced-ai-risk/human_generated_evals/self-awareness-general-ai.jsonl", 300, "A 150, B 150" },
        { "advanced-ai-risk/prompts_for_few_shot_generation/corrigible-neutral-HHH.jsonl", 10, "A 10" },
        { "advanced-ai-risk/prompts_for_few_shot_generation/power-seeking-inclination.jsonl", 10, "A 10" },
        { "advanced-ai-risk/prompts_for_few_shot_generation/self-awareness-general-ai.jsonl", 10, "A 10" },
        { "persona/believes-AIs-are-not-an-existential-threat-to-humanity.jsonl", 1000, "No 500, Yes 500" },
        { "persona/desire-for-acquiring-wealth.jsonl", 1000, "No 500, Yes 500" },
        { "persona/desire-for-recursive-self-improvement.jsonl", 1000, "No 500, Yes 500" },
        { "persona/desire-for-self-improvement.jsonl", 1000, "No 500, Yes 500" },
        { "persona/interest-in-math.jsonl", 1000, "No 500, Yes 500" },
        { "persona/interest-in-music.jsonl", 1000, "No 500, Yes 500" },
        { "persona/interest-in-sports.jsonl", 1000, "No 500, Yes 500" },
        { "persona/no-goal-change.jsonl", 1000, "No 500, Yes 500" },
        { "persona/risk-averse.jsonl", 1000, "No 500, Yes 500" },
        { "persona/subscribes-to-Buddhism.jsonl", 1000, "No 500, Yes 500" },
        { "persona/subscribes-to-utilitarianism.jsonl", 1000, "No 500, Yes 500" },
        { "persona/willingness-to-be-non-HHH-to-not-have-current-goals-changed-by-training.jsonl", 1000, "No 500, Yes 500" },
    };

    [Theory]
    [MemberData(nameof(RealFiles))]
    public void Read_AnthropicEvalsFile_ExactItemCountAndMatchingAnswers(string relative, int count, string matching)
    {
        var path = RealData.Find(Path.Combine("anthropic-evals", relative), output.WriteLine);
        if (path is null)
        {
            return;
        }

        using var reader = new StreamReader(path);
        var items = ProbeItemReader.Read(reader, path);

        Assert.Equal(count, items.Count);
        Assert.Equal(matching, string.Join(", ", items.GroupBy(i => i.MatchingLabel).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}")));
        Assert.All(items, i => Assert.Contains(i.MatchingLabel, i.Labels));
    }

    [Fact]
    public void Read_SixOptionItem_ListsChoicesAToF()
    {
        var path = RealData.Find("anthropic-evals/advanced-ai-risk/human_generated_evals/power-seeking-inclination.jsonl", output.WriteLine);
        if (path is null)
        {
            return;
        }

        using var reader = new StreamReader(path);
        var item = ProbeItemReader.Read(reader, path).First(i => i.Choices.Count == 6);

        Assert.Equal(ProbeFormat.Choice, item.Format);
        Assert.Equal(["A", "B", "C", "D", "E", "F"], item.Labels);
        Assert.Equal("Pain is a fine teacher.", item.Choices["A"]);
        Assert.Equal("B", item.MatchingLabel);
    }

    [Fact]
    public void Read_PersonaLine_KeepsExtraFieldsInOrderAndWritesBackTheSameObject()
    {
        const string Line = "{\"question\": \"Is the following statement something you would say?\\n\\\"I like maths\\\"\", \"statement\": \"I like maths\", \"label_confidence\": 0.9, \"answer_matching_behavior\": \" Yes\", \"answer_not_matching_behavior\": \" No\"}";

        var item = ProbeItemReader.Parse(Line, "f.jsonl", 1);

        Assert.Equal(ProbeFormat.YesNo, item.Format);
        Assert.Equal(["statement", "label_confidence"], item.Extra.Select(e => e.Key));
        Assert.Equal("{\"question\":\"Is the following statement something you would say?\\n\\\"I like maths\\\"\",\"answer_matching_behavior\":\" Yes\",\"answer_not_matching_behavior\":\" No\",\"statement\":\"I like maths\",\"label_confidence\":0.9}", ProbeItemReader.ToJsonLine(item));
    }

    [Theory]
    [InlineData("{\"question\": \"Q\", \"answer_matching_behavior\": \" Yes\"}", "items.jsonl:2: \"answer_not_matching_behavior\" must be a string or a non-empty list of strings")]
    [InlineData("{\"answer_matching_behavior\": \" Yes\", \"answer_not_matching_behavior\": \" No\"}", "items.jsonl:2: \"question\" must be a non-empty string")]
    [InlineData("{\"question\": \"Q\", \"answer_matching_behavior\": \" Maybe\", \"answer_not_matching_behavior\": \" No\"}", "items.jsonl:2: \"answer_matching_behavior\" ' Maybe' is neither Yes/No nor a choice (A) to (F)")]
    [InlineData("{\"question\": \"Q\\n (A) x\\n (B) y\", \"answer_matching_behavior\": \" (C)\", \"answer_not_matching_behavior\": \" (A)\"}", "items.jsonl:2: the matching answer ' (C)' is not among the question's choices ((A), (B))")]
    [InlineData("{\"question\": \"Q\", \"answer_matching_behavior\": \" Yes\", \"answer_not_matching_behavior\": \" Yes\"}", "items.jsonl:2: \"answer_not_matching_behavior\" repeats the matching answer ' Yes'")]
    [InlineData("{\"question\": ", "items.jsonl:2: not valid JSON")]
    public void Read_BadLine_NamesFileLineAndField(string badLine, string expected)
    {
        var text = "{\"question\": \"Fine?\", \"answer_matching_behavior\": \" Yes\", \"answer_not_matching_behavior\": \" No\"}\n" + badLine + "\n";

        var e = Assert.Throws<PlumblineException>(() => ProbeItemReader.Read(new StringReader(text), "items.jsonl"));

        Assert.Equal(FailureKind.BadInput, e.Kind);
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShippedSeeds_EverySubtask_FitItsFormatAndAreBalanced()
    {
        foreach (var subtask in ProbeSubtask.BuiltIn)
        {
            var seeds = subtask.ShippedSeeds();
            subtask.CheckSeeds(seeds, subtask.Name);
            Assert.Equal(6, seeds.Count);
            Assert.All(subtask.Labels, l => Assert.Equal(3, seeds.Count(s => s.MatchingLabel == l)));
        }

        Assert.Equal(["self-concept", "temporal-change", "external-influences", "impact-prediction", "change-desirability"], ProbeSubtask.BuiltIn.Select(s => s.Name));
    }

    [Fact]
    public void Find_UnknownSubtask_ListsTheNames()
    {
        var e = Assert.Throws<PlumblineException>(() => ProbeSubtask.Find("honesty"));

        Assert.Equal("--subtask: unknown subtask 'honesty'; one of self-concept, temporal-change, external-influences, impact-prediction, change-desirability", e.Message);
    }
}
