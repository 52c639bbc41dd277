using System.Text.Json;

namespace Plumbline.Cli.Tests.Commands;

/// <summary><c>plumb drift</c>, <c>plumb drift watch</c> and <c>plumb simulate</c> through the real binary, on real persona statements.</summary>
public sealed class DriftCommandTests(ITestOutputHelper output)
{
    private const string Persona = "anthropic-evals/persona/interest-in-math.jsonl";

    /// <summary>Writes round 0 (200 real statements) and a collapsed round 1 (20 of them, each ten times) in the samples contract.</summary>
    private static (string Reference, string Round0, string Round1) WriteRounds(Plumb plumb, string persona)
    {
        var statements = File.ReadLines(persona).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("statement").GetString()!).ToArray();
        string Lines(IEnumerable<string> texts) => string.Concat(texts.Select((t, i) => JsonSerializer.Serialize(new { id = $"s{i}", model = "m", prompt = "Say something about yourself.", response = t }) + "\n"));
        var round0 = Path.Combine(plumb.Folder, "round0.jsonl");
        var round1 = Path.Combine(plumb.Folder, "round1.jsonl");
        File.WriteAllText(round0, Lines(statements.Skip(500).Take(200)));
        File.WriteAllText(round1, Lines(Enumerable.Range(0, 200).Select(i => statements[500 + (i % 20)])));
        return (persona, round0, round1);
    }

    [Fact]
    public void Drift_FailingGate_ExitsThreeAndNamesConditionAndRound()
    {
        var persona = RealData.Find(Persona, output.WriteLine);
        if (persona is null)
        {
            return;
        }

        using var plumb = new Plumb();
        var (reference, round0, round1) = WriteRounds(plumb, persona);
        File.WriteAllText(Path.Combine(plumb.Folder, "gate.yaml"), "fail_when:\n  - \"distinct_2 < 0.6 * round0\"\n  - frechet_to_reference > 1000\n");
        var run = plumb.Run("drift", "--reference", reference, round0, round1, "--out", "out", "--gate", "gate.yaml", "--resamples", "10", "--clusters", "4");
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("plumb: drift gate failed: distinct_2 < 0.6 * round0 @ round 1", run.Stderr, StringComparison.Ordinal);

        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(plumb.Folder, "out", "report.json")));
        var root = report.RootElement;
        Assert.False(root.GetProperty("gate").GetProperty("passed").GetBoolean());
        Assert.Equal(["distinct_2 < 0.6 * round0 @ round 1"], root.GetProperty("gate").GetProperty("failed").EnumerateArray().Select(e => e.GetString()));
        var rounds = root.GetProperty("rounds");
        Assert.Equal(2, rounds.GetArrayLength());
        Assert.Equal("round1.jsonl", rounds[1].GetProperty("source").GetString());
        var metrics0 = rounds[0].GetProperty("metrics");
        var metrics1 = rounds[1].GetProperty("metrics");
        Assert.True(metrics1.GetProperty("distinct_2").GetDouble() < metrics0.GetProperty("distinct_2").GetDouble() * 0.6);
        Assert.True(metrics1.GetProperty("self_bleu").GetDouble() > metrics0.GetProperty("self_bleu").GetDouble());
        Assert.True(metrics1.GetProperty("vendi").GetDouble() < metrics0.GetProperty("vendi").GetDouble());
        Assert.Equal(0.0, metrics0.GetProperty("cluster_share_change").GetDouble());
        Assert.Equal(64, root.GetProperty("run").GetProperty("inputs").EnumerateObject().First().Value.GetString()!.Length);
        var html = File.ReadAllText(Path.Combine(plumb.Folder, "out", "report.html"));
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("distinct_2 &lt; 0.6 * round0 @ round 1", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Drift_UnknownMetricInGate_ExitsTwoNamingTheLineAndWritesNothing()
    {
        var persona = RealData.Find(Persona, output.WriteLine);
        if (persona is null)
        {
            return;
        }

        using var plumb = new Plumb();
        var (reference, round0, round1) = WriteRounds(plumb, persona);
        File.WriteAllText(Path.Combine(plumb.Folder, "gate.yaml"), "# gates\nfail_when:\n  - distinct_2 < 0.5\n  - diversity < 3\n");
        var run = plumb.Run("drift", "--reference", reference, round0, round1, "--out", "out", "--gate", "gate.yaml");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("plumb: gate.yaml: line 4: unknown metric 'diversity' in 'diversity < 3'", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(plumb.Folder, "out")));

        File.WriteAllText(Path.Combine(plumb.Folder, "gate.yaml"), "fail_when: [\"cluster_share_change > 0.15\"]\n");
        run = plumb.Run("drift", "--reference", reference, round0, round1, "--out", "out", "--gate", "gate.yaml", "--clusters", "0");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("plumb: gate.yaml: line 1: metric 'cluster_share_change' is not computed in this run (it needs clustering (--clusters 2 or more))\n", run.Stderr);
    }

    [Fact]
    public void Drift_MalformedRoundFile_ExitsTwoNamingFileAndLine()
    {
        var persona = RealData.Find(Persona, output.WriteLine);
        if (persona is null)
        {
            return;
        }

        using var plumb = new Plumb();
        var (reference, round0, _) = WriteRounds(plumb, persona);
        File.WriteAllText(Path.Combine(plumb.Folder, "bad.jsonl"), "{\"id\": \"a\", \"response\": \"fine\"}\n{\"id\": \"b\", \"text\": \"no response\"}\n");
        var run = plumb.Run("drift", "--reference", reference, round0, "bad.jsonl", "--out", "out");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("plumb: bad.jsonl: line 2: \"response\" must be a string\n", run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(plumb.Folder, "out")));
    }

    [Fact]
    public async Task Watch_MeasuresEachRoundOnArrivalAndExitsThreeAtTheFirstFailedGate()
    {
        var persona = RealData.Find(Persona, output.WriteLine);
        if (persona is null)
        {
            return;
        }

        using var plumb = new Plumb();
        var (reference, round0, round1) = WriteRounds(plumb, persona);
        var folder = Directory.CreateDirectory(Path.Combine(plumb.Folder, "rounds")).FullName;
        File.WriteAllText(Path.Combine(plumb.Folder, "gate.yaml"), "fail_when: [\"self_bleu > 1.5 * round0\"]\n");
        using var process = plumb.Start("drift", "watch", folder, "--reference", reference, "--out", "out", "--gate", "gate.yaml", "--resamples", "5", "--clusters", "0", "--poll-ms", "100");
        var stderr = process.StandardError.ReadToEndAsync();

        // a training loop: write elsewhere, rename into place; a half-written file is never picked up
        File.WriteAllText(Path.Combine(folder, "gen-001.jsonl.tmp"), "{\"response\": \"half");
        File.Copy(round0, Path.Combine(folder, "gen-000.jsonl.tmp"));
        File.Move(Path.Combine(folder, "gen-000.jsonl.tmp"), Path.Combine(folder, "gen-000.jsonl"));
        var report = Path.Combine(plumb.Folder, "out", "report.json");
        var waited = TimeSpan.Zero;
        while (!File.Exists(report) && waited < TimeSpan.FromMinutes(3))
        {
            await Task.Delay(200);
            waited += TimeSpan.FromMilliseconds(200);
        }

        Assert.True(File.Exists(report), "round 0 was not measured");
        Assert.False(process.HasExited);
        File.Copy(round1, Path.Combine(folder, "gen-001.jsonl.tmp"), overwrite: true);
        File.Move(Path.Combine(folder, "gen-001.jsonl.tmp"), Path.Combine(folder, "gen-001.jsonl"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(3, process.ExitCode);
        Assert.Contains("plumb: drift gate failed: self_bleu > 1.5 * round0 @ round 1", await stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal(["gen-000.jsonl", "gen-001.jsonl"], json.RootElement.GetProperty("rounds").EnumerateArray().Select(r => r.GetProperty("source").GetString()));
    }

    [Fact]
    public void Simulate_WritesSamplesModelsAndReport_AndAGateStopsTheRun()
    {
        var persona = RealData.Find(Persona, output.WriteLine);
        if (persona is null)
        {
            return;
        }

        using var plumb = new Plumb();
        var run = Plumb.Check(plumb.Run("simulate", "--corpus", persona, "--rounds", "2", "--samples", "200", "--curate", "self", "--out", "sim", "--resamples", "5", "--clusters", "0", "--seed", "4", "--json"));
        using (var json = JsonDocument.Parse(run.Stdout))
        {
            var rounds = json.RootElement.GetProperty("rounds");
            Assert.Equal(2, rounds.GetArrayLength());
            Assert.Equal(200, rounds[1].GetProperty("n").GetInt32());
            Assert.Equal(4, json.RootElement.GetProperty("run").GetProperty("seeds").GetProperty("seed").GetInt32());
            Assert.Equal("self", json.RootElement.GetProperty("run").GetProperty("models").GetProperty("curation").GetString());
        }

        foreach (var file in new[] { "round-00.jsonl", "round-01.jsonl", "model-00.bin", "model-01.bin", "report.json", "report.html" })
        {
            Assert.True(File.Exists(Path.Combine(plumb.Folder, "sim", file)), file);
        }

        Assert.Equal(200, File.ReadAllLines(Path.Combine(plumb.Folder, "sim", "round-01.jsonl")).Length);

        // the same seed gives the same samples
        Plumb.Check(plumb.Run("simulate", "--corpus", persona, "--rounds", "2", "--samples", "200", "--curate", "self", "--out", "again", "--resamples", "5", "--clusters", "0", "--seed", "4", "--json"));
        Assert.Equal(File.ReadAllText(Path.Combine(plumb.Folder, "sim", "round-01.jsonl")), File.ReadAllText(Path.Combine(plumb.Folder, "again", "round-01.jsonl")));

        // a gate that holds at round 0 stops the loop there
        File.WriteAllText(Path.Combine(plumb.Folder, "gate.yaml"), "fail_when:\n  - mean_length > 1\n");
        var stopped = plumb.Run("simulate", "--corpus", persona, "--rounds", "3", "--samples", "100", "--out", "stopped", "--gate", "gate.yaml", "--resamples", "0", "--clusters", "0");
        Assert.Equal(3, stopped.ExitCode);
        Assert.Contains("mean_length > 1 @ round 0", stopped.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(plumb.Folder, "stopped", "round-01.jsonl")));
    }

    [Fact]
    public void Drift_PromptsWithOneModelPerRound_SamplesEachRoundAndTalliesProbeAnswers()
    {
        var persona = RealData.Find(Persona, output.WriteLine);
        if (persona is null)
        {
            return;
        }

        using var plumb = new Plumb();
        Plumb.Check(plumb.Run("simulate", "--corpus", persona, "--rounds", "2", "--samples", "300", "--curate", "self", "--out", "sim", "--resamples", "0", "--clusters", "0"));
        File.WriteAllText(Path.Combine(plumb.Folder, "prompts.txt"), string.Concat(Enumerable.Range(0, 60).Select(i => i % 2 == 0 ? "I\n" : "Math\n")));
        File.WriteAllText(Path.Combine(plumb.Folder, "probes.jsonl"), "{\"question\": \"I find\", \"choices\": [\"math\", \"it\"], \"matching\": \"math\"}\n");
        var run = plumb.Run("drift", "--reference", persona, "--prompts", "prompts.txt", "--model", "builtin:ngram:sim/model-00.bin", "--model", "builtin:ngram:sim/model-01.bin", "--probes", "probes.jsonl", "--out", "out", "--resamples", "0", "--clusters", "0", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var rounds = json.RootElement.GetProperty("rounds");
        Assert.Equal(2, rounds.GetArrayLength());
        Assert.Equal(60, rounds[0].GetProperty("n").GetInt32()); // the probe's answer is tallied, not measured
        var probe = rounds[1].GetProperty("probes")[0];
        Assert.Equal("probes.jsonl", probe.GetProperty("items").GetString());
        Assert.Equal(1, probe.GetProperty("n").GetInt32() + probe.GetProperty("unparseable").GetInt32());
        var written = File.ReadAllLines(Path.Combine(plumb.Folder, "out", "round-01.jsonl"));
        Assert.Equal(61, written.Length);
        using var first = JsonDocument.Parse(written[0]);
        Assert.Equal("builtin:ngram:sim/model-01.bin", first.RootElement.GetProperty("model").GetString());
        Assert.Equal("I", first.RootElement.GetProperty("prompt").GetString());
        Assert.Equal("builtin:ngram:sim/model-01.bin", json.RootElement.GetProperty("run").GetProperty("models").GetProperty("round 1").GetString());
    }

    [Theory]
    [InlineData("--replay", "1.5", "plumb: --replay must be between 0.0 and 1.0 (was 1.5)\n")]
    [InlineData("--curate", "favourite", "plumb: --curate 'favourite': expected none, self or keyword:WORD (one word)\n")]
    public void Simulate_BadOption_ExitsTwoNamingIt(string option, string value, string expected)
    {
        using var plumb = new Plumb();
        File.WriteAllText(Path.Combine(plumb.Folder, "corpus.txt"), "one text\nanother text\n");
        var run = plumb.Run("simulate", "--corpus", "corpus.txt", "--rounds", "2", "--out", "sim", option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(expected, run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(plumb.Folder, "sim")));
    }
}
