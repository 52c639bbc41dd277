using System.Text.Json;

namespace Plumbline.Cli.Tests.Commands;

public class KeysBackupCommandsTests
{
    [Fact]
    public void BackupWithdrawRestore_ThroughThePlumbProcess_DropsTheWithdrawnAndKeepsTheRest()
    {
        using var plumb = new Plumb();
        foreach (var name in new[] { "alice", "rita" })
        {
            Plumb.Check(plumb.Run("contributor", "add", name));
            Plumb.Check(plumb.Run("consent", "set", name, "--sources", "documents,commentary", "--uses", "research"));
        }

        Plumb.Check(plumb.Run("note", "alice thinks PANGOLIN-4471", "--as", "alice"));
        Plumb.Check(plumb.Run("note", "rita thinks aloud", "--as", "rita"));
        var masterKey = File.ReadAllText(Path.Combine(plumb.StorePath + ".keys", "master.key")).Trim();

        var status = Plumb.Check(plumb.Run("keys", "status", "--json"));
        Assert.DoesNotContain(masterKey, status.Stdout, StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(status.Stdout))
        {
            Assert.Equal(2, json.RootElement.GetProperty("active_keys").GetInt32()); // alice/commentary, rita/commentary
            Assert.Equal(Path.Combine(plumb.StorePath + ".keys", "master.key"), json.RootElement.GetProperty("master_key").GetString());
        }

        Plumb.Check(plumb.Run("backup", "--out", "data-backup"));
        Plumb.Check(plumb.Run("backup", "--key-store", "--out", "key-backup"));
        Assert.Equal(["backup.json", "plumbline.db"], Directory.GetFiles(Path.Combine(plumb.Folder, "data-backup")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["backup.json", "keys.db"], Directory.GetFiles(Path.Combine(plumb.Folder, "key-backup")).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        Plumb.Check(plumb.Run("withdraw", "alice"));
        var refused = plumb.Run("restore", "data-backup");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"{plumb.StorePath}: the store exists; restoring would replace it (use --force to replace it)", refused.Stderr, StringComparison.Ordinal);

        var restored = Plumb.Check(plumb.Run("restore", "data-backup", "--force", "--json"));
        using (var json = JsonDocument.Parse(restored.Stdout))
        {
            var dropped = json.RootElement.GetProperty("dropped");
            Assert.Equal(1, dropped.GetProperty("events").GetInt32());
            Assert.Equal(1, dropped.GetProperty("withdrawals_known").GetInt32());
        }

        var log = Plumb.Check(plumb.Run("log", "--json"));
        Assert.Contains("rita thinks aloud", log.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("PANGOLIN", log.Stdout, StringComparison.Ordinal);

        var missing = plumb.Run("restore", "nowhere");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains(Path.Combine(plumb.Folder, "nowhere", "backup.json") + ": not a Plumbline backup (no backup.json)", missing.Stderr, StringComparison.Ordinal);

        var rotated = Plumb.Check(plumb.Run("keys", "rotate", "--json"));
        Assert.Contains("\"keys_rewrapped\":1", rotated.Stdout, StringComparison.Ordinal); // rita's; alice's was destroyed
        Assert.NotEqual(masterKey, File.ReadAllText(Path.Combine(plumb.StorePath + ".keys", "master.key")).Trim());
        Assert.Contains("rita thinks aloud", Plumb.Check(plumb.Run("log", "--json")).Stdout, StringComparison.Ordinal);
    }
}
