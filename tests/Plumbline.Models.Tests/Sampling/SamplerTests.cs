using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plumbline.Core;
using Plumbline.Models.Ngram;
using Plumbline.Models.Sampling;
using Plumbline.Models.Tests.OpenAi;

namespace Plumbline.Models.Tests.Sampling;

public sealed class SamplerTests : IAsyncLifetime, IDisposable
{
    private readonly FakeOpenAiServer _server = new();
    private readonly TempDirectory _dir = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    private string Model => $"openai:m@{_server.BaseUrl}";

    [Fact]
    public async Task Run_KSamplesPerPrompt_InPromptThenSampleOrder_WithDerivedSeeds()
    {
        var prompts = Prompts(4);
        using var chat = Catalog().CreateChatClient(Model);

        var summary = await Sampler.RunAsync(chat, prompts, new SamplingRequest(Model, Out, SamplesPerPrompt: 3, Temperature: 0.7f, Seed: 11, Concurrency: 5), null, TimeProvider.System, default);

        var lines = Lines();
        Assert.Equal(12, lines.Count);
        Assert.Equal(prompts.SelectMany(p => Enumerable.Range(0, 3).Select(k => $"{p.Id}#{k}")), lines.Select(l => (string)l["id"]!));
        var first = lines[0];
        Assert.Equal(Model, (string?)first["model"]);
        Assert.Equal("prompt number 0", (string?)first["prompt"]);
        Assert.Equal($"echo: prompt number 0 (seed {Sampler.SampleSeed(11, "p0", 0)})", (string?)first["response"]);
        Assert.Equal(0.7, (double)first["temperature"]!);
        Assert.Equal("stop", (string?)first["finish_reason"]);
        Assert.Equal(12, _server.Requests.Count);
        Assert.Equal(12, _server.Requests.Select(r => (long)r.Body["seed"]!).Distinct().Count());
        Assert.Equal((4, 12, 0, 12, 0, false, false), (summary.Prompts, summary.Requested, summary.AlreadyDone, summary.Written, summary.FromCache, summary.DroppedTornLine, summary.Interrupted));
    }

    [Fact]
    public async Task Run_Interrupted_ThenRerun_ContinuesWithoutDuplicatesOrReasking()
    {
        var prompts = Prompts(10);
        var request = new SamplingRequest(Model, Out, SamplesPerPrompt: 2, Seed: 3, Concurrency: 2);
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.Done >= 7)
            {
                cts.Cancel();
            }
        });
        using (var chat = Catalog().CreateChatClient(Model))
        {
            var first = await Sampler.RunAsync(chat, prompts, request, progress, TimeProvider.System, cts.Token);
            Assert.True(first.Interrupted);
            Assert.Equal(first.Written, Lines().Count);
        }

        var afterFirst = Lines().Count;
        var askedFirst = _server.Requests.Count;
        using (var chat = Catalog().CreateChatClient(Model))
        {
            var second = await Sampler.RunAsync(chat, prompts, request, null, TimeProvider.System, default);
            Assert.Equal((afterFirst, 20 - afterFirst, false), (second.AlreadyDone, second.Written, second.Interrupted));
        }

        var ids = Lines().Select(l => (string)l["id"]!).ToList();
        Assert.Equal(20, ids.Count);
        Assert.Equal(20, ids.Distinct().Count());
        Assert.Equal(20 - afterFirst, _server.Requests.Count - askedFirst); // only the missing ones were asked
        Assert.True(afterFirst >= 7);
    }

    [Fact]
    public async Task Run_TornLastLine_IsCutAndRedone()
    {
        var prompts = Prompts(3);
        var request = new SamplingRequest(Model, Out, Seed: 1);
        using var chat = Catalog().CreateChatClient(Model);
        await Sampler.RunAsync(chat, prompts, request, null, TimeProvider.System, default);
        var complete = File.ReadAllText(Out);
        var lines = complete.Split('\n');
        File.WriteAllText(Out, lines[0] + "\n" + lines[1] + "\n" + lines[2][..25]); // killed while writing the third line

        var summary = await Sampler.RunAsync(chat, prompts, request, null, TimeProvider.System, default);

        Assert.True(summary.DroppedTornLine);
        Assert.Equal((2, 1), (summary.AlreadyDone, summary.Written));
        Assert.Equal(complete, File.ReadAllText(Out));
    }

    [Fact]
    public async Task Run_OutputFromAnotherModelOrSeed_IsRefusedNamingTheLine()
    {
        var prompts = Prompts(2);
        using var chat = Catalog().CreateChatClient(Model);
        await Sampler.RunAsync(chat, prompts, new SamplingRequest(Model, Out, Seed: 1), null, TimeProvider.System, default);

        var other = await Assert.ThrowsAsync<PlumblineException>(() => Sampler.RunAsync(chat, prompts, new SamplingRequest("builtin:ngram:x.bin", Out, Seed: 1), null, TimeProvider.System, default));
        var seed = await Assert.ThrowsAsync<PlumblineException>(() => Sampler.RunAsync(chat, prompts, new SamplingRequest(Model, Out, Seed: 2), null, TimeProvider.System, default));
        var temperature = await Assert.ThrowsAsync<PlumblineException>(() => Sampler.RunAsync(chat, prompts, new SamplingRequest(Model, Out, Seed: 1, Temperature: 0.5f), null, TimeProvider.System, default));

        Assert.Equal($"{Out}:1: sampled from model '{Model}', not 'builtin:ngram:x.bin'; use another --out", other.Message);
        Assert.Equal($"{Out}:1: sampled with a different --seed, not this one; use another --out or the same settings", seed.Message);
        Assert.Equal($"{Out}:1: sampled with temperature none, not 0.5; use another --out or the same settings", temperature.Message);
        Assert.Equal(2, Lines().Count);
    }

    [Fact]
    public async Task Run_PromptTextChangedSinceSampled_IsRefused()
    {
        using var chat = Catalog().CreateChatClient(Model);
        await Sampler.RunAsync(chat, Prompts(2), new SamplingRequest(Model, Out), null, TimeProvider.System, default);
        var path = _dir.File("edited.jsonl");
        File.WriteAllLines(path, ["{\"id\": \"p0\", \"prompt\": \"prompt number 0\"}", "{\"id\": \"p1\", \"prompt\": \"an edited prompt\"}"]);

        var e = await Assert.ThrowsAsync<PlumblineException>(() => Sampler.RunAsync(chat, PromptFile.Read(path), new SamplingRequest(Model, Out), null, TimeProvider.System, default));

        Assert.Equal($"{Out}:2: prompt 'p1' has changed since it was sampled; use another --out", e.Message);
    }

    [Fact]
    public async Task Run_Rerun_WithCache_AsksNothing()
    {
        var prompts = Prompts(3);
        var cache = _dir.File("cache");
        using (var chat = Catalog(cache).CreateChatClient(Model))
        {
            await Sampler.RunAsync(chat, prompts, new SamplingRequest(Model, Out, SamplesPerPrompt: 2, Seed: 9), null, TimeProvider.System, default);
        }

        using (var chat = Catalog(cache).CreateChatClient(Model))
        {
            var again = await Sampler.RunAsync(chat, prompts, new SamplingRequest(Model, _dir.File("again.jsonl"), SamplesPerPrompt: 2, Seed: 9), null, TimeProvider.System, default);
            Assert.Equal((6, 6), (again.Written, again.FromCache));
        }

        Assert.Equal(6, _server.Requests.Count);
        Assert.Equal(File.ReadAllText(Out), File.ReadAllText(_dir.File("again.jsonl")));
    }

    [Fact]
    public async Task Run_MoreWorkersThanTheEndpointAllows_PeakIsTheEndpointLimit()
    {
        _server.HoldUntilInFlight = 2;
        var catalog = Catalog().WithDefaults(s => s with { MaxConcurrency = 2 });
        using var chat = catalog.CreateChatClient(Model);

        await Sampler.RunAsync(chat, Prompts(10), new SamplingRequest(Model, Out, Concurrency: 8), null, TimeProvider.System, default);

        Assert.Equal(2, _server.PeakInFlight);
        Assert.Equal(10, Lines().Count);
    }

    [Fact]
    public async Task Run_PermanentFailure_KeepsWhatFinishedAndReportsTheError()
    {
        _server.Default = r => ((string?)r.Body["messages"]![0]!["content"]) == "prompt number 5" ? Reply.Error(404, "gone") : Reply.Chat("fine");
        using var chat = Catalog().CreateChatClient(Model);

        var e = await Assert.ThrowsAsync<PlumblineException>(() => Sampler.RunAsync(chat, Prompts(8), new SamplingRequest(Model, Out, Concurrency: 1), null, TimeProvider.System, default));

        Assert.Equal(FailureKind.NotFound, e.Kind);
        Assert.Equal(["p0#0", "p1#0", "p2#0", "p3#0", "p4#0"], Lines().Select(l => (string)l["id"]!));
    }

    [Fact]
    public async Task Run_BuiltinNgram_SameSeedGivesTheSameFile()
    {
        var lm = _dir.File("lm.bin");
        NgramModel.Train(EvalTextsForSampling()).Save(lm);
        var model = $"builtin:ngram:{lm}";
        using var chat = ModelCatalog.Empty.CreateChatClient(model);
        var prompts = PromptFile.Read(WritePrompts("I believe", "My goal is"));

        await Sampler.RunAsync(chat, prompts, new SamplingRequest(model, Out, SamplesPerPrompt: 3, Temperature: 0.8f, Seed: 5, MaxTokens: 30), null, TimeProvider.System, default);
        await Sampler.RunAsync(chat, prompts, new SamplingRequest(model, _dir.File("b.jsonl"), SamplesPerPrompt: 3, Temperature: 0.8f, Seed: 5, MaxTokens: 30), null, TimeProvider.System, default);

        Assert.Equal(File.ReadAllText(Out), File.ReadAllText(_dir.File("b.jsonl")));
        var lines = Lines();
        Assert.Equal(6, lines.Count);
        Assert.All(lines, l => Assert.False(string.IsNullOrWhiteSpace((string?)l["response"])));
        Assert.True(lines.Select(l => (string?)l["response"]).Distinct().Count() > 1);
    }

    private static IEnumerable<string> EvalTextsForSampling() => Ngram.EvalTexts.Load(500);

    private string Out => _dir.File("samples.jsonl");

    private List<JsonObject> Lines() => File.ReadAllLines(Out).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    private IReadOnlyList<SamplePrompt> Prompts(int count)
    {
        var path = _dir.File($"prompts-{count}.jsonl");
        File.WriteAllLines(path, Enumerable.Range(0, count).Select(i => new JsonObject { ["id"] = $"p{i}", ["prompt"] = $"prompt number {i}" }.ToJsonString()));
        return PromptFile.Read(path);
    }

    private string WritePrompts(params string[] lines)
    {
        var path = _dir.File("prompts.txt");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static ModelCatalog Catalog(string? cache = null)
        => ModelCatalog.Empty.WithOptions(new ModelClientOptions { TimeProvider = new InstantTimeProvider(), Environment = _ => null, CacheDirectory = cache });

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and report late).</summary>
    private sealed class SyncProgress(Action<SamplingProgress> action) : IProgress<SamplingProgress>
    {
        public void Report(SamplingProgress value) => action(value);
    }
}
