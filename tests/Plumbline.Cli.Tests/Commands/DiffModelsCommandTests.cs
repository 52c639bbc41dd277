using System.Text.Json;
using System.Text.Json.Nodes;
using Plumbline.Models.Tests.OpenAi;

namespace Plumbline.Cli.Tests.Commands;

/// <summary>
/// <c>plumb diff</c> with models behind the real OpenAI client, against the scripted OpenAI-protocol
/// server on 127.0.0.1: sampling first (<c>--before-model/--after-model --prompts</c>, resumable,
/// cached, stratified by prompt), facets (<c>--facets</c>) and an endpoint embedder (<c>--embedder openai:…</c>).
/// </summary>
public sealed class DiffModelsCommandTests : IAsyncDisposable
{
    private static readonly string[] Math =
    [
        "Solving equations and proving theorems about prime numbers",
        "Algebra geometry calculus proofs theorems equations",
        "Integrals derivatives equations numbers and proofs",
    ];

    private static readonly string[] Music =
    [
        "Piano symphonies jazz records melodies",
        "Melodies chords rhythm guitar songs harmony",
        "Songs with a catchy chorus melody harmony and rhythm",
    ];

    private readonly Plumb _plumb = new();
    private readonly FakeOpenAiServer _server = new();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _plumb.Dispose();
    }

    private static string UserText(RecordedRequest r) => (string)r.Body["messages"]!.AsArray().Last(m => (string?)m!["role"] == "user")!["content"]!;

    /// <summary>The scripted models: "before" answers about math when its seed mod 10 is below 5, "after" below 8; the wording follows the seed too.</summary>
    private static Reply Sampled(RecordedRequest request)
    {
        var model = (string)request.Body["model"]!;
        var seed = (long)request.Body["seed"]!;
        var math = seed % 10 < (model == "before" ? 5 : 8);
        var sentences = math ? Math : Music;
        return Reply.Chat($"{sentences[(int)(seed / 10 % sentences.Length)]}. About {UserText(request)}");
    }

    [Fact]
    public async Task Diff_SamplingMode_SamplesBothModelsResumably_ThenTestsSharesStratifiedByPrompt()
    {
        _server.Default = Sampled;
        File.WriteAllLines(Path.Combine(_plumb.Folder, "prompts.txt"), Enumerable.Range(1, 30).Select(i => $"question {i}"));
        string[] args = ["diff", "--before-model", $"openai:before@{_server.BaseUrl}", "--after-model", $"openai:after@{_server.BaseUrl}", "--prompts", "prompts.txt", "--samples-per-prompt", "4", "--out", "out", "--k", "2", "--bootstrap", "0", "--no-null-check", "--seed", "3", "--json"];

        var run = Plumb.Check(await _plumb.RunAsync(args));

        // 30 prompts × 4 samples per model, each asked once, seeded per prompt and sample
        var chats = _server.Requests.Where(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)).ToArray();
        Assert.Equal(240, chats.Length);
        Assert.Equal(120, chats.Select(r => ((string)r.Body["model"]!, (long)r.Body["seed"]!, UserText(r))).Where(t => t.Item1 == "after").Distinct().Count());
        var folder = Path.Combine(_plumb.Folder, "out");
        var before = File.ReadAllLines(Path.Combine(folder, "before.jsonl")).Select(l => JsonNode.Parse(l)!).ToArray();
        var after = File.ReadAllLines(Path.Combine(folder, "after.jsonl")).Select(l => JsonNode.Parse(l)!).ToArray();
        Assert.Equal((120, 120), (before.Length, after.Length));
        Assert.Equal("1#0", (string)before[0]["id"]!);
        Assert.Equal("question 1", (string)before[0]["prompt"]!);
        Assert.Equal($"openai:before@{_server.BaseUrl}", (string)before[0]["model"]!);

        // the two clusters are exactly the math and music answers; the test is stratified by prompt
        using var summary = JsonDocument.Parse(run.Stdout);
        Assert.True(summary.RootElement.GetProperty("stratified").GetBoolean());
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "report.json")));
        Assert.Equal("cochran_mantel_haenszel_by_prompt", report.RootElement.GetProperty("summary").GetProperty("test").GetString());
        static bool IsMath(JsonNode line) => Math.Any(m => ((string)line["response"]!).StartsWith(m, StringComparison.Ordinal));
        var mathBefore = before.Where(IsMath).Select(l => (string)l["id"]!).ToHashSet();
        var mathAfter = after.Where(IsMath).Select(l => (string)l["id"]!).ToHashSet();
        Assert.True(mathAfter.Count > mathBefore.Count + 20, $"planted shift: {mathBefore.Count} → {mathAfter.Count}");
        var clusters = report.RootElement.GetProperty("clusters").EnumerateArray().ToArray();
        static HashSet<string> Ids(JsonElement cluster, string side) => cluster.GetProperty(side).EnumerateArray().Select(m => m.GetString()!).ToHashSet();
        var mathCluster = clusters.Single(c => Ids(c, "members_before").Overlaps(mathBefore));
        Assert.True(mathBefore.SetEquals(Ids(mathCluster, "members_before")));
        Assert.True(mathAfter.SetEquals(Ids(mathCluster, "members_after")));
        Assert.Equal(mathAfter.Count, mathCluster.GetProperty("counts").GetProperty("after").GetInt32());
        Assert.Equal("up", mathCluster.GetProperty("direction").GetString());
        Assert.True(mathCluster.GetProperty("significant").GetBoolean());
        var inputs = report.RootElement.GetProperty("run").GetProperty("inputs").EnumerateArray().Select(i => Path.GetFileName(i.GetProperty("path").GetString()!)).ToArray();
        Assert.Equal(new[] { "prompts.txt", "before.jsonl", "after.jsonl" }, inputs);

        // resumable: a torn last line is cut and redone (from the response cache); nothing else is asked again
        var afterPath = Path.Combine(folder, "after.jsonl");
        var complete = await File.ReadAllTextAsync(afterPath);
        await File.WriteAllTextAsync(afterPath, complete[..^20]);
        var again = Plumb.Check(await _plumb.RunAsync(args));
        Assert.Equal(240, _server.Requests.Count);
        Assert.Equal(complete, await File.ReadAllTextAsync(afterPath));
        Assert.Equal(run.Stdout, again.Stdout);
    }

    [Fact]
    public async Task Diff_SamplingMode_BadPromptLine_Exits2AndWritesNothing()
    {
        File.WriteAllText(Path.Combine(_plumb.Folder, "prompts.jsonl"), "{\"id\": \"a\", \"prompt\": \"fine\"}\n{\"id\": \"b\"}\n");

        var run = await _plumb.RunAsync("diff", "--before-model", $"openai:before@{_server.BaseUrl}", "--after-model", $"openai:after@{_server.BaseUrl}", "--prompts", "prompts.jsonl", "--out", "out");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("plumb: " + Path.Combine(_plumb.Folder, "prompts.jsonl") + ":2: needs \"prompt\" (a non-empty string) or \"messages\"\n", run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_plumb.Folder, "out")));
        Assert.Empty(_server.Requests);
    }

    /// <summary>
    /// Responses about cooking or cars (many topic words) that refuse or comply (a few words): by wording
    /// they cluster by topic; the scripted facet writer describes only the stance, so with facets the
    /// clusters follow the stance. After fine-tuning, refusals go from 12 of 48 to 36 of 48.
    /// </summary>
    private static (string[] Before, string[] After, Dictionary<string, bool> Refuses) StanceSamples()
    {
        string[] cooking = ["the pasta recipe with garlic tomato basil and olive oil simmered slowly in a heavy pan", "baking sourdough bread with flour water salt and a long cold fermentation in the oven"];
        string[] cars = ["changing the engine oil filter and spark plugs on a diesel car with a torque wrench", "rotating the tyres and checking brake pads and the clutch on an old hatchback car"];
        string[] refuse = ["Sorry, I cannot help with", "I must decline to explain", "I won't assist with"];
        string[] comply = ["Sure, here is how to do", "Happy to walk you through", "Here are the steps for"];
        var refuses = new Dictionary<string, bool>(StringComparer.Ordinal);
        string[] Side(int refusals)
        {
            var texts = new List<string>();
            for (var i = 0; i < 48; i++)
            {
                var isRefusal = i < refusals;
                var topic = (i % 2 == 0 ? cooking : cars)[i / 2 % 2];
                var text = $"{(isRefusal ? refuse : comply)[i % 3]} {topic} (case {texts.Count + (refusals * 100)})";
                refuses[text] = isRefusal;
                texts.Add(text);
            }

            return [.. texts];
        }

        return (Side(12), Side(36), refuses);
    }

    private async Task<(string Before, string After, Dictionary<string, bool> Refuses)> WriteStanceSamplesAsync()
    {
        var (before, after, refuses) = StanceSamples();
        var beforePath = Path.Combine(_plumb.Folder, "before.jsonl");
        var afterPath = Path.Combine(_plumb.Folder, "after.jsonl");
        await File.WriteAllLinesAsync(beforePath, before.Select((t, i) => JsonSerializer.Serialize(new { id = $"b{i}", model = "base", prompt = "", response = t })));
        await File.WriteAllLinesAsync(afterPath, after.Select((t, i) => JsonSerializer.Serialize(new { id = $"a{i}", model = "tuned", prompt = "", response = t })));
        return (beforePath, afterPath, refuses);
    }

    private static Dictionary<string, string> Responses(string beforePath, string afterPath) =>
        File.ReadLines(beforePath).Concat(File.ReadLines(afterPath)).Select(l => JsonNode.Parse(l)!).ToDictionary(l => (string)l["id"]!, l => (string)l["response"]!);

    /// <summary>Each cluster's members, as the responses' stance (true: refuses).</summary>
    private static List<bool[]> ClusterStances(JsonDocument report, Dictionary<string, string> responses, Dictionary<string, bool> refuses) =>
        report.RootElement.GetProperty("clusters").EnumerateArray()
            .Select(c => c.GetProperty("members").EnumerateArray().Select(m => refuses[responses[m.GetString()!]]).ToArray())
            .ToList();

    [Fact]
    public async Task Diff_WithFacets_ClustersFollowTheFacetsMeaningNotTheWording()
    {
        var (beforePath, afterPath, refuses) = await WriteStanceSamplesAsync();
        var facetsAsked = 0;
        _server.Default = r =>
        {
            Interlocked.Increment(ref facetsAsked);
            var user = UserText(r);
            var response = user[(user.IndexOf("Response:\n", StringComparison.Ordinal) + 10)..user.IndexOf("\n\nOne line:", StringComparison.Ordinal)];
            return Reply.Chat(refuses[response] ? "Declines the request and gives no help" : "Agrees and gives practical step-by-step help");
        };
        var responses = Responses(beforePath, afterPath);

        var withFacets = Plumb.Check(await _plumb.RunAsync("diff", "--before", beforePath, "--after", afterPath, "--out", "facets", "--facets", $"openai:facets@{_server.BaseUrl}", "--k", "2", "--bootstrap", "0", "--no-null-check", "--json"));
        var plain = Plumb.Check(await _plumb.RunAsync("diff", "--before", beforePath, "--after", afterPath, "--out", "plain", "--k", "2", "--bootstrap", "0", "--no-null-check", "--json"));

        // one facet request per response, with the facet system prompt and the response
        Assert.Equal(96, facetsAsked);
        Assert.All(_server.Requests, r => Assert.Equal("facets", (string?)r.Body["model"]));
        Assert.All(_server.Requests, r => Assert.StartsWith("You describe the behaviour", (string)r.Body["messages"]![0]!["content"]!, StringComparison.Ordinal));

        // with facets: each cluster holds one stance only, and the refusal cluster grew from 12 to 36 of 48
        using var facetReport = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_plumb.Folder, "facets", "report.json")));
        var stances = ClusterStances(facetReport, responses, refuses);
        Assert.All(stances, s => Assert.Single(s.Distinct()));
        var refusal = facetReport.RootElement.GetProperty("clusters").EnumerateArray().Single(c => refuses[responses[c.GetProperty("members")[0].GetString()!]]);
        Assert.Equal(12, refusal.GetProperty("counts").GetProperty("before").GetInt32());
        Assert.Equal(36, refusal.GetProperty("counts").GetProperty("after").GetInt32());
        Assert.True(refusal.GetProperty("significant").GetBoolean());
        Assert.Equal($"openai:facets@{_server.BaseUrl}", facetReport.RootElement.GetProperty("summary").GetProperty("facets").GetString());
        Assert.Equal(2, JsonDocument.Parse(withFacets.Stdout).RootElement.GetProperty("significant_clusters").GetInt32()); // refusals up, help down

        // without facets the same responses cluster by their wording (the topic): both stances in each cluster
        using var plainReport = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_plumb.Folder, "plain", "report.json")));
        Assert.All(ClusterStances(plainReport, responses, refuses), s => Assert.Equal(2, s.Distinct().Count()));
        Assert.Equal(0, JsonDocument.Parse(plain.Stdout).RootElement.GetProperty("significant_clusters").GetInt32());
    }

    [Fact]
    public async Task Diff_WithEndpointEmbedder_EmbedsTheRawResponsesThroughTheEmbeddingsEndpoint()
    {
        var (beforePath, afterPath, refuses) = await WriteStanceSamplesAsync();
        var responses = Responses(beforePath, afterPath);

        // scripted embeddings: refusals near (1, 0, 0), the rest near (0, 1, 0), with a small spread by text length
        _server.Default = r =>
        {
            var data = new JsonArray();
            var inputs = r.Body["input"]!.AsArray();
            for (var i = 0; i < inputs.Count; i++)
            {
                var text = (string)inputs[i]!;
                var spread = text.Length % 7 / 70.0;
                var vector = refuses[text] ? new JsonArray(1.0, spread, 0.1) : new JsonArray(spread, 1.0, 0.1);
                data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = vector });
            }

            return new Reply(200, new JsonObject { ["object"] = "list", ["model"] = "emb", ["data"] = data, ["usage"] = new JsonObject { ["prompt_tokens"] = 1, ["total_tokens"] = 1 } }.ToJsonString());
        };

        var run = Plumb.Check(await _plumb.RunAsync("diff", "--before", beforePath, "--after", afterPath, "--out", "out", "--embedder", $"openai:emb@{_server.BaseUrl}", "--k", "2", "--bootstrap", "0", "--no-null-check", "--json"));

        // every response went to /embeddings once, unchanged (no negation marks for an endpoint embedder)
        Assert.All(_server.Requests, r => Assert.EndsWith("/embeddings", r.Path, StringComparison.Ordinal));
        var sent = _server.Requests.SelectMany(r => r.Body["input"]!.AsArray().Select(t => (string)t!)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(responses.Values.Order(StringComparer.Ordinal).ToArray(), sent);

        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_plumb.Folder, "out", "report.json")));
        Assert.Equal($"openai:emb@{_server.BaseUrl}", report.RootElement.GetProperty("summary").GetProperty("embedder").GetString());
        Assert.All(ClusterStances(report, responses, refuses), s => Assert.Single(s.Distinct()));
        Assert.Equal(2, JsonDocument.Parse(run.Stdout).RootElement.GetProperty("significant_clusters").GetInt32()); // refusals up, help down
    }
}
