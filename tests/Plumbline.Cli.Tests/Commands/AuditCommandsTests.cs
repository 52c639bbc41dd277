using System.IO.Compression;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Plumbline.Cli.Tests.Commands;

public class AuditCommandsTests
{
    /// <summary>alice (research, training) wrote "notes"; rita consents to research; both consent changes are logged.</summary>
    private static Plumb WithDocument()
    {
        var plumb = new Plumb();
        plumb.Consenting("alice");
        plumb.Consenting("rita", uses: "research");
        File.WriteAllText(Path.Combine(plumb.Folder, "notes.json"), """
            {"startContent": "", "txns": [
              {"time": "2026-01-05T10:00:00Z", "patches": [[0, 0, "Reward hacking is common."]]}]}
            """);
        Plumb.Check(plumb.Run("import", "trace", "notes.json", "--as", "alice"));
        return plumb;
    }

    private static void Sql(Plumb plumb, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={plumb.StorePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public void Audit_ReadsExportsAndConsent_AreListedForTheirOwnerAndVerify()
    {
        using var plumb = WithDocument();
        Plumb.Check(plumb.Run("replay", "notes"));
        using var export = JsonDocument.Parse(Plumb.Check(plumb.Run("export", "traces", "--use", "research", "--out", "out/research.jsonl", "--json")).Stdout);

        using var alice = JsonDocument.Parse(Plumb.Check(plumb.Run("audit", "--as", "alice", "--json")).Stdout);
        using var rita = JsonDocument.Parse(Plumb.Check(plumb.Run("audit", "--as", "rita", "--json")).Stdout);
        var verify = plumb.Run("audit", "verify", "--json");

        var entries = alice.RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["consent", "read", "export"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal([1L, 3, 4], entries.Select(e => e.GetProperty("seq").GetInt64()));
        Assert.Equal("local:" + Environment.UserName, entries[1].GetProperty("actor").GetString());
        Assert.Equal(("notes", "replay"), (entries[1].GetProperty("subject").GetString(), entries[1].GetProperty("detail").GetProperty("what").GetString()));
        Assert.Equal(["consent"], rita.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(0, verify.ExitCode);
        using var verified = JsonDocument.Parse(verify.Stdout);
        var head = verified.RootElement.GetProperty("head");
        Assert.Equal(4, head.GetProperty("count").GetInt64());
        var expected = $"4:{head.GetProperty("hash").GetString()}";
        Assert.Equal(expected, export.RootElement.GetProperty("audit_head").GetString());
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(plumb.Folder, "out", "research.jsonl.manifest.json")));
        Assert.Equal(expected, manifest.RootElement.GetProperty("audit_head").GetString());
        Assert.Equal(0, plumb.Run("audit", "verify", "--expect-head", expected).ExitCode);
        Assert.True(File.Exists(Path.Combine(plumb.Folder, ".plumbline", "plumbline.db.keys", "audit.key")));
        Assert.Equal(expected + "\n", File.ReadAllText(Path.Combine(plumb.Folder, ".plumbline", "plumbline.db.keys", "audit.head")));
    }

    [Fact]
    public void Verify_AlteredEntry_Exits3NamingIt()
    {
        using var plumb = WithDocument();
        Plumb.Check(plumb.Run("replay", "notes"));
        Sql(plumb, "UPDATE audit_log SET actor = 'nobody' WHERE seq = 3");

        var verify = plumb.Run("audit", "verify", "--json");
        var human = plumb.Run("audit", "verify");

        Assert.Equal(3, verify.ExitCode);
        using var json = JsonDocument.Parse(verify.Stdout);
        Assert.Equal(3, json.RootElement.GetProperty("first_bad").GetInt64());
        Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(3, human.ExitCode);
        Assert.StartsWith("The audit log does NOT verify: first bad entry 3: entry 3 does not match its mac", human.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_LastEntriesRemoved_Exits3ByAuditHeadAndByExpectHead()
    {
        using var plumb = WithDocument();
        Plumb.Check(plumb.Run("replay", "notes"));
        var head = JsonDocument.Parse(Plumb.Check(plumb.Run("audit", "verify", "--json")).Stdout).RootElement.GetProperty("head");
        var expected = $"{head.GetProperty("count").GetInt64()}:{head.GetProperty("hash").GetString()}";
        Sql(plumb, "DELETE FROM audit_log WHERE seq = 3");

        var byHeadFile = plumb.Run("audit", "verify", "--json");
        File.Delete(Path.Combine(plumb.Folder, ".plumbline", "plumbline.db.keys", "audit.head"));
        var unanchored = plumb.Run("audit", "verify", "--json");
        var byExpectHead = plumb.Run("audit", "verify", "--expect-head", expected, "--json");

        Assert.Equal(3, byHeadFile.ExitCode);
        Assert.Equal(3, JsonDocument.Parse(byHeadFile.Stdout).RootElement.GetProperty("first_bad").GetInt64());
        Assert.Equal(0, unanchored.ExitCode);
        Assert.Equal(3, byExpectHead.ExitCode);
        Assert.Equal("entries 3 to 3 were removed: --expect-head records 3 entries, the store has 2", JsonDocument.Parse(byExpectHead.Stdout).RootElement.GetProperty("problem").GetString());
    }

    [Fact]
    public void Verify_BadExpectHead_Exits2NamingTheOption()
    {
        using var plumb = WithDocument();

        var run = plumb.Run("audit", "verify", "--expect-head", "3:nothex");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--expect-head: '3:nothex' is not an audit head COUNT:HASH", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Archive_WritesTheZip_AndWithdrawalIsLogged()
    {
        using var plumb = WithDocument();
        Plumb.Check(plumb.Run("comment", "add", "notes", "--range", "0:6", "Which kind?", "--as", "rita"));

        using var result = JsonDocument.Parse(Plumb.Check(plumb.Run("archive", "--as", "alice", "--out", "alice.zip", "--json")).Stdout);
        Plumb.Check(plumb.Run("withdraw", "rita", "--recorded-by", "steward"));
        using var rita = JsonDocument.Parse(Plumb.Check(plumb.Run("audit", "--as", "rita", "--json")).Stdout);

        using var zip = ZipFile.OpenRead(Path.Combine(plumb.Folder, "alice.zip"));
        Assert.Equal(
            ["events.jsonl", "documents/notes/text.txt", "documents/notes/revisions.jsonl", "consent.jsonl", "pauses.jsonl", "terms.json", "withdrawals.jsonl", "audit.jsonl", "manifest.json"],
            zip.Entries.Select(e => e.FullName));
        using (var reader = new StreamReader(zip.GetEntry("documents/notes/text.txt")!.Open()))
        {
            Assert.Equal("Reward hacking is common.", reader.ReadToEnd());
        }

        Assert.Equal(9, result.RootElement.GetProperty("members").GetArrayLength() + 1);
        var actions = rita.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["consent", "withdraw"], actions);
        var withdrawal = rita.RootElement.GetProperty("entries")[1].GetProperty("detail");
        Assert.Equal((1, 0), (withdrawal.GetProperty("row_events").GetInt32(), withdrawal.GetProperty("documents_deleted").GetInt32()));
    }
}
