using System.Text.Json.Nodes;
using Plumbline.Core.Supervision.Diff;
using Plumbline.Models.Diff;
using Plumbline.Models.Tests.OpenAi;

namespace Plumbline.Models.Tests.Diff;

/// <summary>
/// The LLM steps of a diff (contrastive labels, label validation, judge) through the real OpenAI client
/// against a scripted OpenAI-protocol server on 127.0.0.1. The script: a label request is answered with
/// "Statements about TOPIC" for the topic word most frequent among the IN examples (but "Statements
/// about cooking" for risk, a label that fits nothing); a validation request is answered "Yes" exactly
/// when the text contains the label's topic word; a judge request with a fixed verdict.
/// </summary>
public sealed class LlmDiffTests(ITestOutputHelper output) : IAsyncDisposable
{
    private static readonly string[] Topics = ["math", "music", "risk"];

    private readonly FakeOpenAiServer _server = new();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static string UserText(RecordedRequest r) => (string)r.Body["messages"]!.AsArray().Last(m => (string?)m!["role"] == "user")!["content"]!;

    private static string SystemText(RecordedRequest r) => (string)r.Body["messages"]!.AsArray().First(m => (string?)m!["role"] == "system")!["content"]!;

    private Reply Script(RecordedRequest request)
    {
        var system = SystemText(request);
        var user = UserText(request);
        if (system.StartsWith("You name what a group", StringComparison.Ordinal))
        {
            var inside = user[..user.IndexOf("OUTSIDE the group:", StringComparison.Ordinal)].ToLowerInvariant();
            var topic = Topics.OrderByDescending(t => inside.Split(t).Length).First();
            return Reply.Chat(topic == "risk" ? "Statements about cooking" : $"Statements about {topic}");
        }

        if (system.StartsWith("You decide whether", StringComparison.Ordinal))
        {
            var label = user[7..user.IndexOf('\n', StringComparison.Ordinal)];
            var word = label.Split(' ')[^1];
            var text = user[(user.IndexOf("Text: ", StringComparison.Ordinal) + 6)..].ToLowerInvariant();
            return Reply.Chat(text[..text.IndexOf("\n\ndoes the text fit", StringComparison.Ordinal)].Contains(word, StringComparison.Ordinal) ? "Yes" : "No");
        }

        return Reply.Chat("VERDICT: CONCERNING\nREASON: The tuned model talks about this far more or less often than intended.");
    }

    [Fact]
    public async Task Diff_WithLabelerAndJudge_LabelsValidatesAndJudgesThroughTheOpenAiClient()
    {
        var built = PersonaSamples.Build(new Dictionary<string, ((int, int), (int, int))>
        {
            ["interest-in-math"] = ((30, 30), (60, 60)),
            ["interest-in-music"] = ((30, 30), (10, 10)),
            ["risk-averse"] = ((30, 30), (30, 30)),
        }, seed: 5, output.WriteLine);
        if (built is null)
        {
            return;
        }

        _server.Default = Script;
        var catalog = ModelCatalog.Empty.WithOptions(new ModelClientOptions { Environment = _ => null, JitterSeed = 1 });
        var models = DiffModelFactory.Create(catalog, "builtin:lsa", labeler: $"openai:labeler@{_server.BaseUrl}", judge: $"openai:judge@{_server.BaseUrl}");
        var (before, after, truth) = built.Value;
        var report = await BehaviourDiff.RunAsync(before, after, models, new DiffOptions
        {
            K = 3,
            Seed = 2,
            BootstrapResamples = 0,
            NullCheck = false,
            Permutations = 99,
            Intended = "talk more about mathematics",
        });

        foreach (var c in report.Clusters)
        {
            output.WriteLine($"#{c.Id} {c.Label} {c.Validation} q={c.QValue} {c.Verdict}");
        }

        // every label came from the labeler, through the wire
        Assert.All(report.Clusters, c => Assert.Equal("llm", c.LabelSource));
        Assert.All(report.Clusters, c => Assert.Contains(c.Label, new[] { "Statements about cooking", "Statements about math", "Statements about music" }));
        Assert.Contains(report.Clusters, c => c.Label == "Statements about math");

        // clusters whose labels coincide are one coarse group, so one behaviour is not split over several
        foreach (var a in report.Clusters)
        {
            Assert.All(report.Clusters.Where(b => b.Label == a.Label), b => Assert.Equal(a.Coarse, b.Coarse));
        }
        Assert.Equal("openai:labeler@" + _server.BaseUrl, report.Summary.Labeler);

        // validation: 10 held-out members and 10 nearest non-members per cluster; the cooking label fits nothing
        Assert.All(report.Clusters, c => Assert.Equal(20, c.Validation!.Items));
        Assert.All(report.Clusters, c => Assert.Equal(c.Validation!.Accuracy >= 0.7, c.Validation.Reliable));
        var cooking = report.Clusters.Single(c => c.Label == "Statements about cooking");
        Assert.Equal(0.5, cooking.Validation!.Accuracy);
        Assert.Equal(0.0, cooking.Validation.Purity);
        Assert.False(cooking.Validation.Reliable);

        // the math cluster: exact validation numbers from the scripted rule (a text fits when it contains "math")
        var math = report.Clusters.Where(c => c.Label == "Statements about math").OrderBy(c => c.QValue).First();
        Assert.True(math.Significant);
        Assert.Equal("up", math.Direction);
        var mathGroup = report.Coarse[math.Coarse];
        Assert.True(mathGroup.Significant);
        Assert.Equal("up", mathGroup.Direction);

        // judge: exactly the significant (or impure) clusters have a verdict, parsed from the scripted answer
        Assert.All(report.Clusters, c => Assert.Equal(c.Significant || c.Impure, c.Verdict is not null));
        Assert.Equal("concerning", math.Verdict!.Verdict);
        Assert.Equal("The tuned model talks about this far more or less often than intended.", math.Verdict.Reason);

        var requests = _server.Requests;
        Assert.Equal(3, requests.Count(r => SystemText(r).StartsWith("You name what a group", StringComparison.Ordinal)));
        Assert.Equal(60, requests.Count(r => SystemText(r).StartsWith("You decide whether", StringComparison.Ordinal)));
        Assert.Equal(report.Clusters.Count(c => c.Verdict is not null), requests.Count(r => SystemText(r).StartsWith("You review how a model changed", StringComparison.Ordinal)));
        Assert.All(requests, r => Assert.Equal(0, (double)r.Body["temperature"]!));
        Assert.Contains("Intended change: talk more about mathematics", UserText(requests.First(r => SystemText(r).StartsWith("You review", StringComparison.Ordinal))), StringComparison.Ordinal);
        _ = truth;
    }

    [Theory]
    [InlineData("VERDICT: INTENDED\nREASON: as planned", "Intended", "as planned")]
    [InlineData("Verdict: unexpected\nReason: odd", "Unexpected", "odd")]
    [InlineData("**VERDICT:** CONCERNING\n**REASON:** bad", "Concerning", "** bad")]
    [InlineData("I cannot tell", "Unreadable", "I cannot tell")]
    public void JudgeAnswer_IsParsed(string answer, string verdict, string reason)
    {
        var parsed = ChatShiftJudge.Parse(answer);
        Assert.Equal(verdict, parsed.Verdict.ToString());
        Assert.Equal(reason, parsed.Reason);
    }
}
