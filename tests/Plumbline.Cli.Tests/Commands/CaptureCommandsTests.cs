using System.Diagnostics;
using System.Text.Json;

namespace Plumbline.Cli.Tests.Commands;

public class CaptureCommandsTests(ITestOutputHelper output)
{
    [Fact]
    public void ImportVtt_TestSuiteFile_ReportsCuesAndSkippedBlocks()
    {
        if (RealData.Find("webvtt/timings-garbage.vtt", output.WriteLine) is not { } path)
        {
            return;
        }

        using var plumb = new Plumb();
        Plumb.Check(plumb.Run("contributor", "add", "alice"));
        Plumb.Check(plumb.Run("consent", "set", "alice", "--sources", "meetings", "--uses", "research"));

        using var json = JsonDocument.Parse(Plumb.Check(plumb.Run("import", "vtt", path, "--meeting", "m1", "--as", "alice", "--start", "2026-01-01T10:00:00Z", "--json")).Stdout);

        var root = json.RootElement;
        Assert.Equal(0, root.GetProperty("cues").GetInt32()); // every block of this file has a malformed timing line
        Assert.True(root.GetProperty("skipped").GetArrayLength() > 0);
        Assert.True(root.GetProperty("skipped")[0].GetProperty("line").GetInt32() > 1);
        Assert.Equal("m1", root.GetProperty("documents")[0].GetString());
    }

    [Fact]
    public void ImportVtt_BadSignature_Exits2AndStoresNothing()
    {
        using var plumb = new Plumb();
        Plumb.Check(plumb.Run("contributor", "add", "alice"));
        Plumb.Check(plumb.Run("consent", "set", "alice", "--sources", "meetings", "--uses", "research"));
        File.WriteAllText(Path.Combine(plumb.Folder, "bad.vtt"), "WEBVTTX\n\n00:00.000 --> 00:01.000\nhi\n");

        var run = plumb.Run("import", "vtt", "bad.vtt", "--meeting", "m", "--as", "alice");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("plumb: bad.vtt: line 1: not a WebVTT file", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("""{"documents":[]}""" + "\n", plumb.Run("docs", "--json").Stdout);
    }

    [Fact]
    public void ImportSrt_ZoomStyleSpeakers_AndReplayOfTheMeeting()
    {
        using var plumb = new Plumb();
        foreach (var name in new[] { "alice", "bob" })
        {
            Plumb.Check(plumb.Run("contributor", "add", name));
            Plumb.Check(plumb.Run("consent", "set", name, "--sources", "meetings", "--uses", "research"));
        }

        File.WriteAllText(Path.Combine(plumb.Folder, "zoom.srt"), "1\r\n00:00:01,000 --> 00:00:03,500\r\nAlice Smith: Shall we start?\r\n\r\n2\r\n00:00:04,000 --> 00:0x:06,000\r\nBroken: timing\r\n\r\n3\r\n00:00:06,000 --> 00:00:08,000\r\nBob: Yes.\r\n\r\n4\r\n00:00:09,000 --> 00:00:10,000\r\nEve: Not me.\r\n");

        using var json = JsonDocument.Parse(Plumb.Check(plumb.Run("import", "srt", "zoom.srt", "--meeting", "weekly", "--as", "alice", "--speaker", "Alice Smith=alice", "--speaker", "Bob=bob", "--start", "2026-01-01T10:00:00Z", "--json")).Stdout);
        var replay = Plumb.Check(plumb.Run("replay", "weekly")).Stdout;

        Assert.Equal(3, json.RootElement.GetProperty("cues").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("stored_cues").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("gaps").GetInt32());
        Assert.Equal(6, json.RootElement.GetProperty("skipped")[0].GetProperty("line").GetInt32()); // the broken timing line
        Assert.Equal("Eve", json.RootElement.GetProperty("unmapped_speakers")[0].GetString());
        Assert.Equal(
            "[00:00:01.000 → 00:00:03.500] alice: Shall we start?\n[00:00:06.000 → 00:00:08.000] bob: Yes.\n[00:00:09.000 → 00:00:10.000] (withheld: unmapped)\n",
            replay);
    }

    [Fact]
    public void Note_AtAnEarlierTimeAndAttachedToARevision()
    {
        using var plumb = new Plumb();
        Plumb.Check(plumb.Run("contributor", "add", "alice"));
        Plumb.Check(plumb.Run("consent", "set", "alice", "--sources", "documents,commentary", "--uses", "research"));
        File.WriteAllText(Path.Combine(plumb.Folder, "t.json"), """{"txns": [{"time": "2026-01-05T10:00:00Z", "patches": [[0, 0, "a"]]}, {"time": "2026-01-05T11:00:00Z", "patches": [[1, 0, "b"]]}]}""");
        Plumb.Check(plumb.Run("import", "trace", "t.json", "--as", "alice"));

        using var note = JsonDocument.Parse(Plumb.Check(plumb.Run("note", "Tried the second idea here", "--as", "alice", "--at", "2026-01-05T10:30:00Z", "--doc", "t", "--json")).Stdout);
        using var log = JsonDocument.Parse(Plumb.Check(plumb.Run("log", "--doc", "t", "--json")).Stdout);

        Assert.Equal(1, note.RootElement.GetProperty("revision").GetInt32());
        var entry = log.RootElement.GetProperty("events")[2];
        Assert.Equal("note", entry.GetProperty("kind").GetString());
        Assert.Equal("commentary", entry.GetProperty("source").GetString());
        Assert.Equal("2026-01-05T10:30:00.000Z", entry.GetProperty("time").GetString());
        Assert.Equal("Tried the second idea here", entry.GetProperty("payload").GetProperty("text").GetString());
        Assert.Equal(0, plumb.Run("note", "x", "--as", "alice").ExitCode);
    }

    [Fact]
    public void ImportGit_ReplayAtACommitId()
    {
        using var plumb = new Plumb();
        Plumb.Check(plumb.Run("contributor", "add", "ada"));
        Plumb.Check(plumb.Run("consent", "set", "ada", "--sources", "code", "--uses", "research"));
        var repo = Path.Combine(plumb.Folder, "proj");
        Directory.CreateDirectory(repo);
        Git(repo, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(repo, "README.md"), "v1\n");
        Git(repo, "add", "-A");
        Git(repo, "-c", "user.email=ada@lab.org", "-c", "user.name=Ada", "commit", "-qm", "one");
        var first = Git(repo, "rev-parse", "HEAD").Trim();
        File.WriteAllText(Path.Combine(repo, "README.md"), "v2\n");
        Git(repo, "-c", "user.email=ada@lab.org", "-c", "user.name=Ada", "commit", "-qam", "two");

        using var json = JsonDocument.Parse(Plumb.Check(plumb.Run("import", "git", repo, "--as", "ada", "--author", "ada@lab.org=ada", "--json")).Stdout);

        Assert.Equal(2, json.RootElement.GetProperty("commits").GetInt32());
        Assert.Equal("proj/README.md", json.RootElement.GetProperty("documents")[0].GetString());
        Assert.Equal("v1\n", plumb.Run("replay", "proj/README.md", "--rev", first[..7]).Stdout);
        Assert.Equal("v2\n", plumb.Run("replay", "proj/README.md").Stdout);
        var bad = plumb.Run("replay", "proj/README.md", "--rev", "deadbeef");
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("plumb: --rev: 'deadbeef' is neither a revision number nor an imported commit of proj\n", bad.Stderr);
        Assert.Equal(2, plumb.Run("import", "git", plumb.Folder + "/nope", "--as", "ada").ExitCode);
    }

    [Fact]
    public void Terms_AddedByAContributor_AreRedactedWhenTheyImport()
    {
        using var plumb = new Plumb();
        plumb.Consenting("alice");
        using var added = JsonDocument.Parse(Plumb.Check(plumb.Run("terms", "add", "alice", "Falcon", "Dr. Mallory", "--json")).Stdout);
        File.WriteAllText(Path.Combine(plumb.Folder, "t.json"), """{"txns": [{"patches": [[0, 0, "Falcon results, per Dr. Mallory."]]}]}""");

        Plumb.Check(plumb.Run("import", "trace", "t.json", "--as", "alice"));

        Assert.Equal(["Dr. Mallory", "Falcon"], added.RootElement.GetProperty("terms").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("[TERM] results, per [TERM].", plumb.Run("replay", "t").Stdout);
    }

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
