using System.Diagnostics;
using System.Text.Json;

namespace Plumbline.Cli.Tests.Commands;

/// <summary>The four dataset kinds from real imported data, verify after consent changes and withdrawal, through the real plumb.</summary>
public class DatasetCommandsTests(ITestOutputHelper output)
{
    private static JsonElement Json(PlumbRun run) => JsonDocument.Parse(run.Stdout).RootElement.Clone();

    private static List<JsonElement> Lines(string path) =>
        File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    private static void AssertManifestMatchesFiles(string folder)
    {
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json"))).RootElement;
        long total = 0;
        foreach (var split in manifest.GetProperty("splits").EnumerateObject())
        {
            var lines = File.ReadAllLines(Path.Combine(folder, split.Value.GetProperty("file").GetString()!)).Length;
            Assert.Equal(split.Value.GetProperty("examples").GetInt64(), lines);
            total += lines;
        }

        Assert.Equal(manifest.GetProperty("examples").GetInt64(), total);
        Assert.Equal(total, File.ReadAllLines(Path.Combine(folder, "provenance.jsonl")).Length);
        Assert.Matches("^[1-9][0-9]*:[0-9a-f]{64}$", manifest.GetProperty("audit_head").GetString()); // the build was logged
        Assert.Equal("plumb audit verify --expect-head " + manifest.GetProperty("audit_head").GetString(), manifest.GetProperty("audit_log").GetString());
        Assert.True(File.Exists(Path.Combine(folder, "README.md")));
    }

    [Fact]
    public void NextEdit_RealTraces_ZetaLinesVerifyAndTimestampFallback()
    {
        if (RealData.Find("editing-traces/automerge-paper.json.gz", output.WriteLine) is not { } paper)
        {
            return;
        }

        using var plumb = new Plumb();
        plumb.Consenting("alice");
        Plumb.Check(plumb.Run("import", "trace", paper, "--as", "alice"));

        var build = Json(Plumb.Check(plumb.Run("dataset", "build", "next-edit", "--use", "training", "--out", "ne", "--format", "zeta", "--split-by", "document", "--split", "0.5,0.5", "--seed", "4", "--json")));

        var folder = Path.Combine(plumb.Folder, "ne");
        AssertManifestMatchesFiles(folder);
        Assert.Equal(1, build.GetProperty("documents").GetInt32());
        Assert.Equal(1, build.GetProperty("counters").GetProperty("documents without usable timestamps (units split by position and boundaries only)").GetInt64());
        Assert.True(build.GetProperty("examples").GetInt64() > 10_000);
        Assert.True(build.GetProperty("duplicates_removed").GetInt64() > 0);
        var lines = Lines(Path.Combine(folder, "train.jsonl")).Concat(Lines(Path.Combine(folder, "test.jsonl"))).ToList();
        Assert.Contains(lines, l => l.GetProperty("input").GetString()!.Contains("[EMAIL]", StringComparison.Ordinal)); // redacted at capture, and so in the excerpts
        Assert.All(lines, l =>
        {
            Assert.Equal(["events", "input", "output"], l.EnumerateObject().Select(p => p.Name));
            var input = l.GetProperty("input").GetString()!;
            Assert.Equal(1, input.Split("<|user_cursor_is_here|>").Length - 1);
            Assert.True(input.IndexOf("<|editable_region_start|>", StringComparison.Ordinal) < input.IndexOf("<|editable_region_end|>", StringComparison.Ordinal));
            Assert.StartsWith("<|editable_region_start|>\n", l.GetProperty("output").GetString(), StringComparison.Ordinal);
        });
        var provenance = Lines(Path.Combine(folder, "provenance.jsonl"));
        Assert.All(provenance.GroupBy(p => p.GetProperty("document").GetString()), g => Assert.Single(g.Select(p => p.GetProperty("split").GetString()).Distinct()));
        Assert.Contains("automerge-paper", File.ReadAllText(Path.Combine(folder, "README.md")), StringComparison.Ordinal);

        var verify = Json(plumb.Run("dataset", "verify", "ne", "--json"));
        Assert.True(verify.GetProperty("ok").GetBoolean());
        Assert.Equal(build.GetProperty("examples").GetInt64(), verify.GetProperty("passed").GetInt64());
    }

    [Fact]
    public void Feedback_CommentOnARealTrace_AnsweredByAnEdit()
    {
        if (RealData.Find("editing-traces/sveltecomponent.json.gz", output.WriteLine) is not { } svelte)
        {
            return;
        }

        using var plumb = new Plumb();
        plumb.Consenting("alice");
        plumb.Consenting("rita");
        Plumb.Check(plumb.Run("import", "trace", svelte, "--as", "alice"));
        var text = plumb.Run("replay", "sveltecomponent").Stdout;
        var at = text.IndexOf("<h1>", StringComparison.Ordinal);
        Plumb.Check(plumb.Run("comment", "add", "sveltecomponent", "--range", $"{at}:{at + 4}", "Use a heading component?", "--as", "rita"));
        File.WriteAllText(
            Path.Combine(plumb.Folder, "answer.json"),
            JsonSerializer.Serialize(new { startContent = text, txns = new[] { new { time = "2026-11-01T10:00:00Z", patches = new object[][] { [at, 4, "<Heading>"] } } } }));
        Plumb.Check(plumb.Run("import", "trace", "answer.json", "--doc", "sveltecomponent", "--as", "alice"));

        var build = Json(Plumb.Check(plumb.Run("dataset", "build", "feedback", "--use", "training", "--out", "fb", "--format", "completion", "--split", "1", "--json")));

        Assert.Equal(1, build.GetProperty("examples").GetInt64());
        var line = Lines(Path.Combine(plumb.Folder, "fb", "train.jsonl")).Single();
        Assert.Contains("Comment by rita on «<h1>»:\nUse a heading component?", line.GetProperty("prompt").GetString(), StringComparison.Ordinal);
        Assert.Contains("<Heading>", line.GetProperty("completion").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, plumb.Run("dataset", "verify", "fb").ExitCode);
    }

    [Fact]
    public void Dialogue_TranscriptsWithSpeakers_UnmappedAndRealTestSuiteFile()
    {
        using var plumb = new Plumb();
        foreach (var name in new[] { "alice", "bob" })
        {
            Plumb.Check(plumb.Run("contributor", "add", name));
            Plumb.Check(plumb.Run("consent", "set", name, "--sources", "meetings", "--uses", "research,training"));
        }

        File.WriteAllText(
            Path.Combine(plumb.Folder, "standup.vtt"),
            "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v Alice Smith>Shall we start?\n\n00:00:02.000 --> 00:00:04.000\n<v Alice Smith>The loss plateaued.\n\n" +
            "00:00:04.500 --> 00:00:06.000\n<v Bob Jones>At which step?\n\n00:00:30.000 --> 00:00:32.000\n<v Eve>I can't say.\n\n00:00:32.000 --> 00:00:34.000\n<v Alice Smith>Around 40k.\n");
        Plumb.Check(plumb.Run("import", "vtt", "standup.vtt", "--meeting", "standup", "--as", "alice", "--speaker", "Alice Smith=alice", "--speaker", "Bob Jones=bob", "--start", "2026-03-02T15:00:00Z"));
        var real = RealData.Find("webvtt/settings-line.vtt", output.WriteLine);
        if (real is not null)
        {
            Plumb.Check(plumb.Run("import", "vtt", real, "--meeting", "settings-line", "--as", "alice", "--start", "2026-03-02T16:00:00Z"));
        }

        var build = Json(Plumb.Check(plumb.Run("dataset", "build", "dialogue", "--use", "training", "--out", "dlg", "--split", "1", "--dedup", "0", "--json")));

        var lines = Lines(Path.Combine(plumb.Folder, "dlg", "train.jsonl"));
        Assert.Equal(2, lines.Count);
        Assert.Equal("Meeting so far:\nalice: Shall we start? The loss plateaued.\n", lines[0].GetProperty("messages")[1].GetProperty("content").GetString());
        Assert.Equal("bob: At which step?", lines[0].GetProperty("messages")[2].GetProperty("content").GetString());
        Assert.Equal(
            "Meeting so far:\nalice: Shall we start? The loss plateaued.\nbob: At which step?\n[pause 24 s]\n[withheld]\n",
            lines[1].GetProperty("messages")[1].GetProperty("content").GetString());
        Assert.Equal("alice: Around 40k.", lines[1].GetProperty("messages")[2].GetProperty("content").GetString());
        var counters = build.GetProperty("counters");
        Assert.Equal(1, counters.GetProperty("cues withheld at capture (unmapped or unconsenting speakers, pauses)").GetInt64());
        if (real is not null)
        {
            Assert.Equal(2, counters.GetProperty("meetings read").GetInt64());
            Assert.Equal(1, counters.GetProperty("meetings with fewer than two spoken turns (no example)").GetInt64());
        }

        var provenance = Lines(Path.Combine(plumb.Folder, "dlg", "provenance.jsonl"));
        Assert.Equal(3, provenance[0].GetProperty("row_events").GetArrayLength());
        Assert.Equal("meetings", provenance[0].GetProperty("source").GetString());
    }

    [Fact]
    public void Commits_GitRepositoryWithBinaryFile_MessageFromDiff()
    {
        using var plumb = new Plumb();
        Plumb.Check(plumb.Run("contributor", "add", "ada"));
        Plumb.Check(plumb.Run("consent", "set", "ada", "--sources", "code", "--uses", "research,training"));
        var repo = Path.Combine(plumb.Folder, "proj");
        Directory.CreateDirectory(repo);
        Git(repo, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(repo, "train.py"), "lr = 0.1\nsteps = 10\n");
        Git(repo, "add", "-A");
        Commit(repo, "Add training script");
        File.WriteAllText(Path.Combine(repo, "train.py"), "lr = 0.01\nsteps = 10\n");
        File.WriteAllBytes(Path.Combine(repo, "weights.bin"), [0, 1, 2, 0, 255]);
        Git(repo, "add", "-A");
        Commit(repo, "Lower the learning rate; save weights");
        Plumb.Check(plumb.Run("import", "git", repo, "--as", "ada", "--author", "ada@lab.org=ada"));

        var build = Json(Plumb.Check(plumb.Run("dataset", "build", "commits", "--use", "training", "--out", "c", "--format", "completion", "--split", "1", "--json")));

        var lines = Lines(Path.Combine(plumb.Folder, "c", "train.jsonl"));
        Assert.Equal(2, lines.Count);
        Assert.Equal("Diff:\n--- a/train.py\n+++ b/train.py\n@@ -1 +1,3 @@\n+lr = 0.1\n+steps = 10\n \n", lines[0].GetProperty("prompt").GetString());
        Assert.Equal("Add training script", lines[0].GetProperty("completion").GetString());
        Assert.Equal("Diff:\n--- a/train.py\n+++ b/train.py\n@@ -1,3 +1,3 @@\n-lr = 0.1\n+lr = 0.01\n steps = 10\n \nBinary file weights.bin changed\n", lines[1].GetProperty("prompt").GetString());
        Assert.Equal("Lower the learning rate; save weights", lines[1].GetProperty("completion").GetString());
        Assert.Equal(1, build.GetProperty("counters").GetProperty("binary files in commits (named, no diff)").GetInt64());
        var provenance = Lines(Path.Combine(plumb.Folder, "c", "provenance.jsonl"));
        Assert.Equal("proj/train.py", provenance[1].GetProperty("files")[0].GetProperty("document").GetString());
        Assert.Equal(0, plumb.Run("dataset", "verify", "c").ExitCode);
    }

    [Fact]
    public void Verify_AfterConsentNarrowedAndWithdrawal_Exits3AndPrunes()
    {
        using var plumb = new Plumb();
        plumb.Consenting("alice");
        plumb.Consenting("rita");
        File.WriteAllText(Path.Combine(plumb.Folder, "a.json"), """{"txns": [{"time": 1000, "patches": [[0, 0, "alpha\n"]]}, {"time": 9000, "patches": [[6, 0, "beta"]]}]}""");
        File.WriteAllText(Path.Combine(plumb.Folder, "r.json"), """{"txns": [{"time": 1000, "patches": [[0, 0, "rho\n"]]}]}""");
        Plumb.Check(plumb.Run("import", "trace", "a.json", "--as", "alice"));
        Plumb.Check(plumb.Run("import", "trace", "r.json", "--as", "rita"));
        Plumb.Check(plumb.Run("dataset", "build", "next-edit", "--use", "training", "--out", "ne", "--split", "1"));
        Assert.Equal(0, plumb.Run("dataset", "verify", "ne").ExitCode);

        Plumb.Check(plumb.Run("consent", "set", "alice", "--sources", "documents", "--uses", "research"));
        var narrowed = plumb.Run("dataset", "verify", "ne", "--json");
        Plumb.Check(plumb.Run("consent", "set", "alice", "--sources", "documents", "--uses", "research,training"));
        var withdrawn = Json(Plumb.Check(plumb.Run("withdraw", "rita", "--json")));
        var afterWithdrawal = plumb.Run("dataset", "verify", "ne", "--prune", "--json");

        Assert.Equal(3, narrowed.ExitCode);
        Assert.Equal(2, Json(narrowed).GetProperty("by_status").GetProperty("consent").GetInt64());
        Assert.Equal(["r"], withdrawn.GetProperty("documents_deleted").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(Path.Combine(plumb.Folder, "ne"), withdrawn.GetProperty("exports")[0].GetProperty("path").GetString());
        Assert.Equal(3, afterWithdrawal.ExitCode);
        var result = Json(afterWithdrawal);
        Assert.Equal("withdrawn", result.GetProperty("findings")[0].GetProperty("status").GetString());
        Assert.Equal(2, result.GetProperty("passed").GetInt64());
        Assert.Equal(2, File.ReadAllLines(Path.Combine(plumb.Folder, "ne-pruned", "train.jsonl")).Length);
        Assert.Equal(0, plumb.Run("dataset", "verify", "ne-pruned").ExitCode);
    }

    [Fact]
    public void Build_BadInput_Exits2WithTheArgumentNamed()
    {
        using var plumb = new Plumb();

        var kind = plumb.Run("dataset", "build", "poems", "--use", "training", "--out", "x");
        var zeta = plumb.Run("dataset", "build", "dialogue", "--use", "training", "--out", "x", "--format", "zeta");
        var use = plumb.Run("dataset", "build", "next-edit", "--use", "fun", "--out", "x");
        var missing = plumb.Run("dataset", "verify", "nothing-here");

        Assert.Equal((2, "plumb: KIND: 'poems' is not one of next-edit, feedback, dialogue, commits\n"), (kind.ExitCode, kind.Stderr));
        Assert.Equal((2, "plumb: --format zeta is for next-edit only (not dialogue)\n"), (zeta.ExitCode, zeta.Stderr));
        Assert.Equal((2, "plumb: --use: 'fun' is not one of research, training, public\n"), (use.ExitCode, use.Stderr));
        Assert.Equal(2, missing.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(plumb.Folder, "x")));
    }

    [Fact]
    public void WithdrawHelp_SaysItDestroysTheDataKeys()
    {
        using var plumb = new Plumb();

        var help = Plumb.Check(plumb.Run("withdraw", "--help")).Stdout;

        Assert.Contains("Their data keys (of that source, or all) are then destroyed", System.Text.RegularExpressions.Regex.Replace(help, @"\s+", " "), StringComparison.Ordinal);
        Assert.Equal(2, plumb.Run("withdraw", "nobody").ExitCode);
    }

    private static void Commit(string repo, string message) =>
        Git(repo, "-c", "user.email=ada@lab.org", "-c", "user.name=Ada", "commit", "-qm", message);

    private static string Git(string repo, params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = repo, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return stdout;
    }
}
