using System.Text.Json;
using System.Text.Json.Nodes;
using Plumbline.Models.Tests.OpenAi;

namespace Plumbline.Cli.Tests.Commands;

public sealed class SampleCommandTests : IDisposable
{
    private readonly Plumb _plumb = new();

    public void Dispose() => _plumb.Dispose();

    [Fact]
    public async Task Sample_BuiltinNgram_TrainThenSampleThenRerunDoesNothing()
    {
        File.WriteAllLines(Path.Combine(_plumb.Folder, "corpus.txt"), ["the cat sat on the mat .", "the dog sat on the rug .", "a cat and a dog met ."]);
        File.WriteAllLines(Path.Combine(_plumb.Folder, "prompts.txt"), ["the cat", "a dog"]);
        var train = Plumb.Check(await _plumb.RunAsync("model", "ngram", "train", "--corpus", "corpus.txt", "--order", "3", "--out", "lm.bin", "--json"));
        Assert.Equal(3, JsonNode.Parse(train.Stdout)!["order"]!.GetValue<int>());

        var run = Plumb.Check(await _plumb.RunAsync("sample", "--model", "builtin:ngram:lm.bin", "--prompts", "prompts.txt", "--n", "3", "--seed", "7", "--out", "samples.jsonl", "--json"));
        var rerun = Plumb.Check(await _plumb.RunAsync("sample", "--model", "builtin:ngram:lm.bin", "--prompts", "prompts.txt", "--n", "3", "--seed", "7", "--out", "samples.jsonl", "--json"));

        var summary = JsonNode.Parse(run.Stdout)!;
        Assert.Equal((2, 6, 0, 6), (summary["prompts"]!.GetValue<int>(), summary["requested"]!.GetValue<int>(), summary["already_done"]!.GetValue<int>(), summary["written"]!.GetValue<int>()));
        var again = JsonNode.Parse(rerun.Stdout)!;
        Assert.Equal((6, 0), (again["already_done"]!.GetValue<int>(), again["written"]!.GetValue<int>()));
        var lines = File.ReadAllLines(Path.Combine(_plumb.Folder, "samples.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(["1#0", "1#1", "1#2", "2#0", "2#1", "2#2"], lines.Select(l => (string)l["id"]!));
        Assert.All(lines, l => Assert.Equal("builtin:ngram:lm.bin", (string?)l["model"]));
        Assert.Equal("the cat", (string?)lines[0]["prompt"]);

        var score = Plumb.Check(await _plumb.RunAsync("model", "ngram", "score", "--model", "lm.bin", "--texts", "samples.jsonl", "--json"));
        Assert.Equal(6, JsonNode.Parse(score.Stdout)!["texts"]!.AsArray().Count);
    }

    [Fact]
    public async Task Sample_BadPromptLine_Exit2NamingFileAndLine_NothingWritten()
    {
        File.WriteAllText(Path.Combine(_plumb.Folder, "prompts.jsonl"), "{\"id\": \"a\", \"prompt\": \"fine\"}\n{\"id\": \"b\"}\n");

        var run = await _plumb.RunAsync("sample", "--model", "openai:m@http://127.0.0.1:9/v1", "--prompts", "prompts.jsonl", "--out", "samples.jsonl");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("plumb: prompts.jsonl:2: needs \"prompt\" (a non-empty string) or \"messages\"\n", run.Stderr);
        Assert.False(File.Exists(Path.Combine(_plumb.Folder, "samples.jsonl")));
    }

    [Fact]
    public async Task Sample_BadModelReference_Exit2()
    {
        File.WriteAllText(Path.Combine(_plumb.Folder, "prompts.txt"), "hi\n");

        var run = await _plumb.RunAsync("sample", "--model", "openai:m@localhost:8000", "--prompts", "prompts.txt", "--out", "samples.jsonl");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("plumb: model reference 'openai:m@localhost:8000': 'localhost:8000' is not an http:// or https:// URL\n", run.Stderr);
    }

    [Fact]
    public async Task Sample_OpenAiEndpoint_SamplesThenRerunIntoNewFileComesFromTheCache()
    {
        await using var server = new FakeOpenAiServer();
        File.WriteAllText(Path.Combine(_plumb.Folder, "prompts.jsonl"), "{\"id\": \"q1\", \"prompt\": \"Is it safe?\", \"topic\": \"safety\"}\n{\"id\": \"q2\", \"messages\": [{\"role\": \"system\", \"content\": \"short\"}, {\"role\": \"user\", \"content\": \"Why?\"}]}\n");
        File.WriteAllText(Path.Combine(_plumb.Folder, "plumbline.yaml"), $"models:\n  local:\n    ref: openai:served@{server.BaseUrl}\n    max_concurrency: 2\n");

        Plumb.Check(await _plumb.RunAsync("sample", "--model", "local", "--prompts", "prompts.jsonl", "--n", "2", "--seed", "3", "--temperature", "0.9", "--out", "a.jsonl"));
        var cached = Plumb.Check(await _plumb.RunAsync("sample", "--model", "local", "--prompts", "prompts.jsonl", "--n", "2", "--seed", "3", "--temperature", "0.9", "--out", "b.jsonl", "--json"));

        Assert.Equal(4, server.Requests.Count);
        Assert.Equal(4, JsonNode.Parse(cached.Stdout)!["from_cache"]!.GetValue<int>());
        Assert.Equal(File.ReadAllText(Path.Combine(_plumb.Folder, "a.jsonl")), File.ReadAllText(Path.Combine(_plumb.Folder, "b.jsonl")));
        var first = JsonNode.Parse(File.ReadLines(Path.Combine(_plumb.Folder, "a.jsonl")).First())!;
        Assert.Equal("local", (string?)first["model"]);
        Assert.Equal("safety", (string?)first["topic"]);
        Assert.StartsWith("echo: Is it safe? (seed ", (string?)first["response"]);
        Assert.True(File.Exists(Path.Combine(_plumb.Folder, ".plumbline", "cache", "responses.db")));
    }

    [Fact]
    public async Task Sample_ProcessKilledMidRun_RerunCompletesWithoutDuplicates()
    {
        await using var server = new FakeOpenAiServer();
        var answered = 0;
        server.Default = r => Interlocked.Increment(ref answered) <= 4 ? Reply.Chat("ok " + (string?)r.Body["messages"]![0]!["content"]) : Reply.Hanging;
        File.WriteAllLines(Path.Combine(_plumb.Folder, "prompts.txt"), Enumerable.Range(0, 10).Select(i => $"prompt {i}"));
        var args = new[] { "sample", "--model", $"openai:m@{server.BaseUrl}", "--prompts", "prompts.txt", "--concurrency", "1", "--no-cache", "--out", "samples.jsonl" };
        var output = Path.Combine(_plumb.Folder, "samples.jsonl");

        using (var process = _plumb.Start(args))
        {
            for (var i = 0; i < 600 && (!File.Exists(output) || File.ReadAllLines(output).Length < 4); i++)
            {
                await Task.Delay(50);
            }

            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        Assert.Equal(4, File.ReadAllLines(output).Length);
        server.Default = r => Reply.Chat("ok " + (string?)r.Body["messages"]![0]!["content"]);
        var rerun = Plumb.Check(await _plumb.RunAsync([.. args, "--json"]));

        var summary = JsonNode.Parse(rerun.Stdout)!;
        Assert.Equal((4, 6), (summary["already_done"]!.GetValue<int>(), summary["written"]!.GetValue<int>()));
        var ids = File.ReadAllLines(output).Select(l => (string)JsonNode.Parse(l)!["id"]!).ToList();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"{i}#0"), ids);
    }
}
