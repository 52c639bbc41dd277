using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plumbline.Core;

namespace Plumbline.Models.Tests.OpenAi;

/// <summary>The real OpenAI client (official package) against a scripted OpenAI-protocol server on 127.0.0.1.</summary>
public sealed class OpenAiBackendTests : IAsyncLifetime, IDisposable
{
    private readonly FakeOpenAiServer _server = new();
    private readonly InstantTimeProvider _time = new();
    private readonly TempDirectory _dir = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Chat_SendsOpenAiRequestAndMapsTheReply()
    {
        using var chat = Catalog().CreateChatClient(Reference("small-model"));

        var reply = await chat.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "be brief"), new ChatMessage(ChatRole.User, "hello")],
            new ChatOptions { Temperature = 0.5f, Seed = 42, MaxOutputTokens = 20 });

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("small-model", (string?)request.Body["model"]);
        Assert.Equal(0.5, (double)request.Body["temperature"]!);
        Assert.Equal(42, (long)request.Body["seed"]!);
        Assert.Equal(20, (int)request.Body["max_completion_tokens"]!);
        Assert.Null(request.Body["stream"]?.GetValue<bool?>() is true ? "streamed" : null);
        Assert.Equal("""[{"role":"system","content":"be brief"},{"role":"user","content":"hello"}]""", request.Body["messages"]!.ToJsonString());
        Assert.Equal("Bearer no-key", request.Authorization);
        Assert.Equal("echo: hello (seed 42)", reply.Text);
        Assert.Equal(ChatFinishReason.Stop, reply.FinishReason);
        Assert.Equal("served-model", reply.ModelId);
        Assert.Equal((5L, 3L), (reply.Usage!.InputTokenCount!.Value, reply.Usage.OutputTokenCount!.Value));
    }

    [Fact]
    public async Task Chat_ApiKeyFromTheEnvironment_IsSentAsBearer()
    {
        var catalog = Catalog(env: name => name == "OPENAI_API_KEY" ? "sk-test-123" : null);
        using var chat = catalog.CreateChatClient(Reference("m"));

        await chat.GetResponseAsync("hi");

        Assert.Equal("Bearer sk-test-123", Assert.Single(_server.Requests).Authorization);
    }

    [Fact]
    public async Task Chat_LogProbabilities_AskedAndReturnedPerToken()
    {
        _server.Enqueue(Reply.Chat("Hi there", logprobs: new JsonArray(
            new JsonObject { ["token"] = "Hi", ["logprob"] = -0.25, ["bytes"] = new JsonArray(72, 105), ["top_logprobs"] = new JsonArray() },
            new JsonObject { ["token"] = " there", ["logprob"] = -1.5, ["bytes"] = new JsonArray(32), ["top_logprobs"] = new JsonArray() })));
        using var chat = Catalog().CreateChatClient(Reference("m"));

        var reply = await chat.GetResponseAsync("hello", WithLogprobs());

        Assert.True((bool)Assert.Single(_server.Requests).Body["logprobs"]!);
        var tokens = (TokenLogProbability[])reply.AdditionalProperties![ChatKeys.TokenLogProbabilities]!;
        Assert.Equal([new TokenLogProbability("Hi", -0.25), new TokenLogProbability(" there", -1.5)], tokens);
        Assert.Equal(-1.75, (double)reply.AdditionalProperties[ChatKeys.LogProbability]!, 6);
    }

    [Fact]
    public async Task Chat_EndpointRefusesLogprobs_AsksAgainWithoutThem()
    {
        _server.Enqueue(Reply.Error(400, "logprobs is not supported"));
        using var chat = Catalog().CreateChatClient(Reference("m"));

        var reply = await chat.GetResponseAsync("hello", WithLogprobs());
        await chat.GetResponseAsync("again", WithLogprobs());

        Assert.Equal("echo: hello (seed none)", reply.Text);
        Assert.False(reply.AdditionalProperties?.ContainsKey(ChatKeys.LogProbability) ?? false);
        Assert.Equal([true, null, null], _server.Requests.Select(r => (bool?)r.Body["logprobs"]));
    }

    [Fact]
    public async Task Chat_429WithRetryAfter_WaitsExactlyThatLongThenSucceeds()
    {
        _server.Enqueue(Reply.Error(429, "slow down", ("Retry-After", "7")), Reply.Error(429, "slow down", ("Retry-After", "Sun, 01 Nov 2026 09:00:03 GMT")));
        using var chat = Catalog().CreateChatClient(Reference("m"));

        var reply = await chat.GetResponseAsync("hello");

        Assert.Equal("echo: hello (seed none)", reply.Text);
        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(3)], _time.Delays); // the date is 3 s after the clock's now
    }

    [Fact]
    public async Task Chat_500And503_BackOffExponentiallyWithJitter()
    {
        _server.Enqueue(Reply.Error(500, "boom"), Reply.Error(503, "busy"), Reply.Error(502, "bad gateway"));
        using var chat = Catalog(jitterSeed: 17).CreateChatClient(Reference("m"));

        await chat.GetResponseAsync("hello");

        // base 1 s doubling per retry, each scaled by a draw in [0.5, 1) (the same draws as Random(17)), in whole milliseconds
        var draws = new Random(17);
        TimeSpan Expected(int attempt) => TimeSpan.FromMilliseconds(Math.Round(1000 * Math.Pow(2, attempt) * (0.5 + 0.5 * draws.NextDouble())));
        Assert.Equal([Expected(0), Expected(1), Expected(2)], _time.Delays);
        Assert.Equal(4, _server.Requests.Count);
    }

    [Fact]
    public async Task Chat_RetriesExhausted_FailsTransientNamingTheLastError()
    {
        _server.Default = _ => Reply.Error(500, "still broken");
        using var chat = Catalog(maxRetries: 2).CreateChatClient(Reference("m"));

        var e = await Assert.ThrowsAsync<PlumblineException>(() => chat.GetResponseAsync("hello"));

        Assert.Equal(3, _server.Requests.Count);
        Assert.True(e.IsTransient);
        Assert.Equal(FailureKind.Runtime, e.Kind);
        Assert.Equal($"{Reference("m")} ({_server.BaseUrl}): HTTP 500: still broken (gave up after 3 attempts)", e.Message);
    }

    [Fact]
    public async Task Chat_Timeout_IsRetriedThenReported()
    {
        _server.Enqueue(Reply.Hanging, Reply.Hanging);
        using var chat = Catalog(maxRetries: 1, timeout: TimeSpan.FromMilliseconds(300)).CreateChatClient(Reference("m"));

        var e = await Assert.ThrowsAsync<PlumblineException>(() => chat.GetResponseAsync("hello"));

        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal($"{Reference("m")} ({_server.BaseUrl}): no answer within 0.3 s (gave up after 2 attempts)", e.Message);
    }

    [Fact]
    public async Task Chat_TimeoutThenAnswer_Succeeds()
    {
        _server.Enqueue(Reply.Hanging);
        using var chat = Catalog(timeout: TimeSpan.FromMilliseconds(300)).CreateChatClient(Reference("m"));

        var reply = await chat.GetResponseAsync("hello");

        Assert.Equal("echo: hello (seed none)", reply.Text);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("{\"choices\": \"nope\"}")]
    [InlineData("{\"id\": \"x\", \"choices\": [{\"ind")]
    public async Task Chat_MalformedBody_IsRetried(string body)
    {
        _server.Enqueue(new Reply(200, body));
        using var chat = Catalog().CreateChatClient(Reference("m"));

        var reply = await chat.GetResponseAsync("hello");

        Assert.Equal("echo: hello (seed none)", reply.Text);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Single(_time.Delays);
    }

    [Fact]
    public async Task Chat_401WithoutKey_SaysWhichVariableToSet()
    {
        _server.Enqueue(Reply.Error(401, "Incorrect API key provided"));
        using var chat = Catalog().CreateChatClient(Reference("m"));

        var e = await Assert.ThrowsAsync<PlumblineException>(() => chat.GetResponseAsync("hello"));

        Assert.Equal(FailureKind.BadInput, e.Kind);
        Assert.Equal($"{Reference("m")} ({_server.BaseUrl}): HTTP 401: set the API key in the environment variable OPENAI_API_KEY (it is not set): Incorrect API key provided", e.Message);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Chat_UnknownModel_IsNotFoundWithTheServerMessage()
    {
        _server.Enqueue(Reply.Error(404, "The model `nope` does not exist."));
        using var chat = Catalog().CreateChatClient(Reference("nope"));

        var e = await Assert.ThrowsAsync<PlumblineException>(() => chat.GetResponseAsync("hello"));

        Assert.Equal(FailureKind.NotFound, e.Kind);
        Assert.Equal($"{Reference("nope")} ({_server.BaseUrl}): HTTP 404: the endpoint does not serve model 'nope', or the base URL is wrong (OpenAI-compatible servers usually end in /v1): The model `nope` does not exist.", e.Message);
    }

    [Fact]
    public async Task Chat_NothingListening_FailsAtOnceWithCannotConnect()
    {
        var port = FakeOpenAiServer.FreePort();
        using var chat = Catalog().CreateChatClient($"openai:m@http://127.0.0.1:{port}/v1");

        var e = await Assert.ThrowsAsync<PlumblineException>(() => chat.GetResponseAsync("hello"));

        Assert.Equal(FailureKind.Runtime, e.Kind);
        Assert.StartsWith($"openai:m@http://127.0.0.1:{port}/v1 (http://127.0.0.1:{port}/v1): cannot connect: ", e.Message);
        Assert.Empty(_time.Delays);
    }

    [Fact]
    public void Create_ConfiguredKeyVariableMissing_IsBadInputNamingIt()
    {
        File.WriteAllText(_dir.File("plumbline.yaml"), $"models:\n  team:\n    ref: openai:m@{_server.BaseUrl}\n    api_key_env: TEAM_KEY\n");
        var catalog = ModelCatalog.ForDirectory(_dir.Path, new ModelClientOptions { Environment = _ => null });

        var e = Assert.Throws<PlumblineException>(() => catalog.CreateChatClient("team"));

        Assert.Equal("model 'team': the environment variable TEAM_KEY (api_key_env) is not set", e.Message);
    }

    [Fact]
    public async Task Cache_SameRequestAndSampleIndex_AnsweredFromDisk_OtherIndexAsksAgain()
    {
        var cacheDir = _dir.File("cache");
        using (var chat = Catalog(cache: cacheDir).CreateChatClient(Reference("m")))
        {
            var first = await chat.GetResponseAsync("hello", Sample(0));
            var again = await chat.GetResponseAsync("hello", Sample(0));
            var other = await chat.GetResponseAsync("hello", Sample(1));

            Assert.Equal(first.Text, again.Text);
            Assert.True((bool)again.AdditionalProperties![ChatKeys.Cached]!);
            Assert.False(first.AdditionalProperties?.ContainsKey(ChatKeys.Cached) ?? false);
            Assert.Equal("echo: hello (seed 5)", other.Text);
        }

        // a new process (a new catalog) over the same folder: still no request
        using var rerun = Catalog(cache: cacheDir).CreateChatClient(Reference("m"));
        var fromDisk = await rerun.GetResponseAsync("hello", Sample(1));

        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal("echo: hello (seed 5)", fromDisk.Text);
        Assert.True(File.Exists(Path.Combine(cacheDir, "responses.db")));
    }

    [Fact]
    public async Task Concurrency_LimitPerEndpoint_IsNeverExceededAndReached()
    {
        _server.HoldUntilInFlight = 3;
        var catalog = Catalog(maxConcurrency: 3);
        using var a = catalog.CreateChatClient(Reference("m"));
        using var b = catalog.CreateChatClient(Reference("other-model")); // same endpoint, same limit

        var calls = Enumerable.Range(0, 12).Select(i => (i % 2 == 0 ? a : b).GetResponseAsync($"q{i}")).ToArray();
        var replies = await Task.WhenAll(calls);

        Assert.Equal(12, _server.Requests.Count);
        Assert.Equal(3, _server.PeakInFlight);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"echo: q{i} (seed none)"), replies.Select(r => r.Text));
    }

    [Fact]
    public async Task Embeddings_ComeBackInOrder()
    {
        using var embedder = Catalog().CreateEmbeddingGenerator(Reference("embed-model"));

        var vectors = await embedder.EmbedAsync(["a", "bbb", "cc"]);

        Assert.Equal([[1f, 0f, 0.5f], [3f, 1f, 0.5f], [2f, 2f, 0.5f]], vectors);
        Assert.Equal("/v1/embeddings", Assert.Single(_server.Requests).Path);
    }

    [Fact]
    public async Task Embeddings_429_IsRetried()
    {
        _server.Enqueue(Reply.Error(429, "later", ("Retry-After", "2")));
        using var embedder = Catalog().CreateEmbeddingGenerator(Reference("embed-model"));

        var vectors = await embedder.EmbedAsync(["a"]);

        Assert.Single(vectors);
        Assert.Equal([TimeSpan.FromSeconds(2)], _time.Delays);
    }

    private static ChatOptions WithLogprobs() => new() { AdditionalProperties = new() { [ChatKeys.LogProbabilities] = true } };

    private static ChatOptions Sample(int index) => new() { Seed = 5, Temperature = 1, AdditionalProperties = new() { [ChatKeys.SampleIndex] = index } };

    private string Reference(string model) => $"openai:{model}@{_server.BaseUrl}";

    private ModelCatalog Catalog(Func<string, string?>? env = null, int? jitterSeed = 1, int maxRetries = 5, TimeSpan? timeout = null, string? cache = null, int maxConcurrency = 4)
    {
        var options = new ModelClientOptions { TimeProvider = _time, Environment = env ?? (_ => null), JitterSeed = jitterSeed, CacheDirectory = cache };
        return new TestCatalog(options, maxRetries, timeout ?? TimeSpan.FromSeconds(30), maxConcurrency).Catalog;
    }

    /// <summary>Ad-hoc references with test settings: the catalog's defaults for ad-hoc references are overridden through <see cref="ModelCatalog.WithDefaults"/>.</summary>
    private sealed class TestCatalog(ModelClientOptions options, int maxRetries, TimeSpan timeout, int maxConcurrency)
    {
        public ModelCatalog Catalog { get; } = ModelCatalog.Empty.WithOptions(options).WithDefaults(s => s with { MaxRetries = maxRetries, Timeout = timeout, MaxConcurrency = maxConcurrency });
    }
}
