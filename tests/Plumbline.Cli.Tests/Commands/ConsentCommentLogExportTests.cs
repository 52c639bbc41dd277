using System.Text.Json;

namespace Plumbline.Cli.Tests.Commands;

public class ConsentCommentLogExportTests
{
    private static Plumb WithDocument()
    {
        var plumb = new Plumb();
        plumb.Consenting("alice");
        plumb.Consenting("rita", uses: "research");
        File.WriteAllText(Path.Combine(plumb.Folder, "notes.json"), """
            {"startContent": "", "txns": [
              {"time": "2026-01-05T10:00:00Z", "patches": [[0, 0, "Reward hacking is common."]]},
              {"time": "2026-01-05T10:00:05Z", "patches": [[0, 0, "We think "], [9, 1, "r"]]}]}
            """);
        Plumb.Check(plumb.Run("import", "trace", "notes.json", "--as", "alice"));
        return plumb;
    }

    [Fact]
    public void ConsentShow_Json_ListsVersionsAndPauses()
    {
        using var plumb = WithDocument();
        Plumb.Check(plumb.Run("consent", "set", "alice", "--sources", "all", "--uses", "research", "--embargo", "2030-01-01", "--recorded-by", "steward"));
        Plumb.Check(plumb.Run("pause", "--as", "alice"));

        using var json = JsonDocument.Parse(Plumb.Check(plumb.Run("consent", "show", "alice", "--json")).Stdout);

        var root = json.RootElement;
        Assert.True(root.GetProperty("paused").GetBoolean());
        Assert.Equal(2, root.GetProperty("consent").GetProperty("version").GetInt32());
        Assert.Equal("2030-01-01", root.GetProperty("consent").GetProperty("embargo").GetString());
        Assert.Equal("steward", root.GetProperty("consent").GetProperty("recorded_by").GetString());
        Assert.Equal(5, root.GetProperty("consent").GetProperty("sources").GetArrayLength());
        Assert.Equal(2, root.GetProperty("history").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("pauses")[0].GetProperty("to").ValueKind);
    }

    [Fact]
    public void Comment_AddListResolve_ThroughTheCli()
    {
        using var plumb = WithDocument();
        Assert.Equal("We think reward hacking is common.", plumb.Run("replay", "notes").Stdout);

        using var added = JsonDocument.Parse(Plumb.Check(plumb.Run("comment", "add", "notes", "--range", "9:23", "Cite a source", "--as", "rita", "--json")).Stdout);
        var id = added.RootElement.GetProperty("id").GetInt64();
        Plumb.Check(plumb.Run("comment", "resolve", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--as", "alice"));
        using var listed = JsonDocument.Parse(Plumb.Check(plumb.Run("comment", "list", "notes", "--json")).Stdout);

        var comment = listed.RootElement.GetProperty("comments")[0];
        Assert.Equal(id, comment.GetProperty("id").GetInt64());
        Assert.Equal("rita", comment.GetProperty("author").GetString());
        Assert.Equal("reward hacking", comment.GetProperty("quote").GetString());
        Assert.True(comment.GetProperty("resolved").GetBoolean());
        Assert.Equal("alice", comment.GetProperty("resolved_by").GetString());
    }

    [Fact]
    public void Log_Json_HasOneEventPerPatchAndRowEvents()
    {
        using var plumb = WithDocument();
        Plumb.Check(plumb.Run("comment", "add", "notes", "--range", "0:2", "Who is we?", "--as", "rita"));

        using var json = JsonDocument.Parse(Plumb.Check(plumb.Run("log", "--doc", "notes", "--json")).Stdout);

        var events = json.RootElement.GetProperty("events");
        Assert.Equal(4, events.GetArrayLength());
        var second = events[1];
        Assert.Equal("edit", second.GetProperty("kind").GetString());
        Assert.Equal("documents", second.GetProperty("source").GetString());
        Assert.Equal("alice", second.GetProperty("contributor").GetString());
        Assert.Equal(2, second.GetProperty("revision").GetInt32());
        Assert.Equal(0, second.GetProperty("patch").GetInt32());
        Assert.Equal("2026-01-05T10:00:05.000Z", second.GetProperty("time").GetString());
        Assert.Equal(1, second.GetProperty("consent_version").GetInt32());
        Assert.Equal("We think ", second.GetProperty("payload").GetProperty("insert").GetString());
        Assert.Equal("comment", events[3].GetProperty("kind").GetString());
        Assert.Equal("Who is we?", events[3].GetProperty("payload").GetProperty("text").GetString());
        Assert.Equal([1L, 2, 3, 4], events.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
    }

    [Fact]
    public void ExportTraces_OnlyWhatConsentReleases_CommentsOfOthersFiltered()
    {
        using var plumb = WithDocument();
        Plumb.Check(plumb.Run("comment", "add", "notes", "--range", "0:2", "Who is we?", "--as", "rita"));

        using var training = JsonDocument.Parse(Plumb.Check(plumb.Run("export", "traces", "--use", "training", "--out", "out/training.jsonl", "--json")).Stdout);
        using var publicUse = JsonDocument.Parse(Plumb.Check(plumb.Run("export", "traces", "--use", "public", "--out", "out/public.jsonl", "--json")).Stdout);

        Assert.Equal(1, training.RootElement.GetProperty("documents").GetInt32());
        Assert.Equal(1, training.RootElement.GetProperty("comments_withheld").GetInt32());
        Assert.Equal(0, publicUse.RootElement.GetProperty("documents").GetInt32());
        Assert.Equal("alice: consent does not cover the use 'public'", publicUse.RootElement.GetProperty("excluded")[0].GetProperty("reasons")[0].GetString());
        var line = Assert.Single(File.ReadAllLines(Path.Combine(plumb.Folder, "out", "training.jsonl")));
        using var doc = JsonDocument.Parse(line);
        Assert.Equal("We think reward hacking is common.", doc.RootElement.GetProperty("endContent").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("comments").GetArrayLength());
        Assert.Equal("", File.ReadAllText(Path.Combine(plumb.Folder, "out", "public.jsonl")));
    }

    [Fact]
    public void Pause_DropsEditsAsAGapUntilResume()
    {
        using var plumb = new Plumb();
        plumb.Consenting("alice");
        Plumb.Check(plumb.Run("pause", "--as", "alice"));
        File.WriteAllText(Path.Combine(plumb.Folder, "now.json"), """{"txns": [{"patches": [[0, 0, "private"]]}]}""");

        using var json = JsonDocument.Parse(Plumb.Check(plumb.Run("import", "trace", "now.json", "--as", "alice", "--json")).Stdout);
        Plumb.Check(plumb.Run("resume", "--as", "alice"));

        Assert.Equal(1, json.RootElement.GetProperty("gaps").GetInt32());
        Assert.Equal("░░░░░░░", plumb.Run("replay", "now").Stdout);
        Assert.DoesNotContain("private", plumb.Run("log", "--json").Stdout, StringComparison.Ordinal);
    }
}
