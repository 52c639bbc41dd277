using System.Security.Cryptography;
using System.Text.Json;

namespace Plumbline.Cli.Tests.Commands;

public class ImportAndReplayTests(ITestOutputHelper output)
{
    [Fact]
    public void ImportTrace_RealTrace_JsonContractAndExactReplay()
    {
        if (RealData.Find("editing-traces/sveltecomponent.json.gz", output.WriteLine) is not { } path)
        {
            return;
        }

        using var plumb = new Plumb();
        plumb.Consenting("alice");

        var import = Plumb.Check(plumb.Run("import", "trace", path, "--as", "alice", "--json"));
        var replay = Plumb.Check(plumb.Run("replay", "sveltecomponent"));
        var again = Plumb.Check(plumb.Run("import", "trace", path, "--as", "alice", "--json"));

        using var json = JsonDocument.Parse(import.Stdout);
        Assert.Equal(19749, json.RootElement.GetProperty("events").GetInt32());
        Assert.Equal("sveltecomponent", json.RootElement.GetProperty("documents")[0].GetString());
        Assert.Equal(18335, json.RootElement.GetProperty("revisions").GetInt32());
        Assert.Equal("d8bb93b7cf87b4c3a0394fddc028284a093d90d5794a213d1ccb0794eb4ede8f", Convert.ToHexStringLower(SHA256.HashData(replay.StdoutBytes)));
        using var second = JsonDocument.Parse(again.Stdout);
        Assert.Equal(0, second.RootElement.GetProperty("events").GetInt32());
        Assert.True(second.RootElement.GetProperty("already_stored").GetBoolean());
    }

    [Fact]
    public void ImportTrace_BeyondBmp_ReplaysEveryRevisionByteForByte()
    {
        using var plumb = new Plumb();
        plumb.Consenting("alice");
        File.WriteAllText(Path.Combine(plumb.Folder, "astral.json"), """
            {"startContent": "a😀", "endContent": "𝔘😀b🎉",
             "txns": [{"time": "2025-01-01T00:00:00Z", "patches": [[0, 1, "𝔘"]]},
                      {"time": "2025-01-01T00:00:01Z", "patches": [[2, 0, "b🎉"]]}]}
            """);

        Plumb.Check(plumb.Run("import", "trace", "astral.json", "--as", "alice"));

        Assert.Equal("a😀", plumb.Run("replay", "astral", "--rev", "0").Stdout);
        Assert.Equal("𝔘😀", plumb.Run("replay", "astral", "--rev", "1").Stdout);
        Assert.Equal("𝔘😀b🎉", plumb.Run("replay", "astral").Stdout);
        Assert.Equal("𝔘😀", plumb.Run("replay", "astral", "--time", "2025-01-01T00:00:00.500Z").Stdout);
    }

    [Fact]
    public void ImportTrace_WithoutConsent_Exits3AndStoresNothing()
    {
        using var plumb = new Plumb();
        Plumb.Check(plumb.Run("contributor", "add", "bob"));
        File.WriteAllText(Path.Combine(plumb.Folder, "t.json"), """{"txns": [{"patches": [[0, 0, "x"]]}]}""");

        var run = plumb.Run("import", "trace", "t.json", "--as", "bob", "--json");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Equal("plumb: consent refused: bob has not given consent to record anything; nothing was stored (plumb consent set bob --sources documents --uses ...)\n", run.Stderr);
        Assert.Equal("""{"documents":[]}""" + "\n", plumb.Run("docs", "--json").Stdout);
    }

    [Fact]
    public void ImportTrace_Malformed_Exits2NamingFileAndPathAndStoresNothing()
    {
        using var plumb = new Plumb();
        plumb.Consenting("alice");
        File.WriteAllText(Path.Combine(plumb.Folder, "bad.json"), """{"txns": [{"patches": [[0, 0, "abc"]]}, {"patches": [[2, 0, "x"], [9, 0, "y"]]}]}""");

        var run = plumb.Run("import", "trace", "bad.json", "--as", "alice");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("plumb: bad.json: $.txns[1].patches[1]: position 9 is past the end of the document (length 4); nothing was stored\n", run.Stderr);
        Assert.Equal("""{"documents":[]}""" + "\n", plumb.Run("docs", "--json").Stdout);
    }

    [Theory]
    [InlineData(new[] { "import", "trace", "missing.json", "--as", "alice" }, "plumb: FILE: ")]
    [InlineData(new[] { "replay", "nope" }, "plumb: DOC: there is no document named 'nope' (plumb docs lists them)")]
    [InlineData(new[] { "import", "trace", "x.json" }, "plumb: --as: required on a local store: name the contributor acting")]
    [InlineData(new[] { "frobnicate" }, "plumb: Unrecognized command or argument 'frobnicate'.")]
    [InlineData(new[] { "consent", "set", "alice", "--sources", "email", "--uses", "all" }, "plumb: --sources: 'email' is not one of documents, code, meetings, commentary, keystrokes (or all, none)")]
    public void BadUsage_Exits2WithAMessageNamingTheArgument(string[] args, string expectedStart)
    {
        using var plumb = new Plumb();
        plumb.Consenting("alice");

        var run = plumb.Run(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expectedStart, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportEtherpad_RealExport_ReplaysEveryPadRevision()
    {
        if (RealData.Find("etherpad/test.etherpad", output.WriteLine) is not { } path)
        {
            return;
        }

        using var plumb = new Plumb();
        plumb.Consenting("alice");

        var import = Plumb.Check(plumb.Run("import", "etherpad", path, "--as", "alice", "--author", "a.ElbBWNTxmtRrfFqn=alice", "--json"));

        using var json = JsonDocument.Parse(import.Stdout);
        Assert.Equal(6, json.RootElement.GetProperty("revisions").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("gaps").GetInt32());
        Assert.Equal("\n", plumb.Run("replay", "test", "--rev", "0").Stdout);
        var welcome = plumb.Run("replay", "test", "--rev", "1").Stdout;
        Assert.Equal(416, welcome.Length);
        Assert.StartsWith("Welcome to Etherpad!\n\n", welcome, StringComparison.Ordinal);
        Assert.Equal("\n", plumb.Run("replay", "test", "--rev", "2").Stdout);
        Assert.Equal("*\n", plumb.Run("replay", "test", "--rev", "3").Stdout);
        Assert.Equal("*\n", plumb.Run("replay", "test", "--rev", "4").Stdout);
        Assert.Equal("*he\n", plumb.Run("replay", "test", "--rev", "5").Stdout);
        Assert.Equal("*hello\n", plumb.Run("replay", "test").Stdout);
    }

    [Fact]
    public void ImportEtherpad_UnmappedAuthor_IsStoredAsAGap()
    {
        if (RealData.Find("etherpad/test.etherpad", output.WriteLine) is not { } path)
        {
            return;
        }

        using var plumb = new Plumb();
        plumb.Consenting("alice");

        var import = Plumb.Check(plumb.Run("import", "etherpad", path, "--as", "alice", "--json"));

        using var json = JsonDocument.Parse(import.Stdout);
        Assert.Equal(2, json.RootElement.GetProperty("revisions").GetInt32()); // the authorless welcome text, then one gap
        Assert.Equal(5, json.RootElement.GetProperty("withheld_transactions").GetInt32());
        Assert.Equal("░░░░░░\n", plumb.Run("replay", "test").Stdout);
    }
}
