using System.Text.Json;

namespace Plumbline.Cli.Tests.Commands;

/// <summary><c>plumb share</c> on a local store: the owner (<c>--as</c>) shares, lists and revokes.</summary>
public class ShareCommandsTests
{
    private static Plumb WithDocument()
    {
        var plumb = new Plumb();
        plumb.Consenting("alice");
        plumb.Consenting("rita");
        File.WriteAllText(Path.Combine(plumb.Folder, "notes.json"), """
            {"startContent": "", "txns": [{"time": "2026-01-05T10:00:00Z", "patches": [[0, 0, "Reward hacking is common."]]}]}
            """);
        Plumb.Check(plumb.Run("import", "trace", "notes.json", "--as", "alice"));
        return plumb;
    }

    private static JsonElement Json(PlumbRun run)
    {
        using var json = JsonDocument.Parse(Plumb.Check(run).Stdout);
        return json.RootElement.Clone();
    }

    [Fact]
    public void Share_ListRevoke_Json_ShowTheShareAndItsEnd()
    {
        using var plumb = WithDocument();

        var granted = Json(plumb.Run("share", "notes", "--with", "rita", "--as", "alice", "--json"));
        Assert.Equal(
            ("notes", "rita", "reviewer", "alice", "alice", 0),
            (granted.GetProperty("document").GetString(), granted.GetProperty("contributor").GetString(), granted.GetProperty("role").GetString(),
                granted.GetProperty("owner").GetString(), granted.GetProperty("granted_by").GetString(), granted.GetProperty("withheld_by").GetArrayLength()));
        Assert.Equal(JsonValueKind.Null, granted.GetProperty("revoked_at").ValueKind);
        Assert.Equal("editor", Json(plumb.Run("share", "notes", "--with", "rita", "--role", "editor", "--as", "alice", "--json")).GetProperty("role").GetString());

        var list = Json(plumb.Run("share", "list", "notes", "--json"));
        Assert.Equal(("notes", "alice"), (list.GetProperty("document").GetString(), list.GetProperty("owner").GetString()));
        var only = Assert.Single(list.GetProperty("shares").EnumerateArray().ToList());
        Assert.Equal(("rita", "editor"), (only.GetProperty("contributor").GetString(), only.GetProperty("role").GetString()));

        var human = Plumb.Check(plumb.Run("share", "list", "notes"));
        Assert.Contains("'notes' (owner alice):", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("active", human.Stdout, StringComparison.Ordinal);

        var revoked = Json(plumb.Run("share", "revoke", "notes", "--with", "rita", "--as", "alice", "--json"));
        Assert.Equal("alice", revoked.GetProperty("revoked_by").GetString());
        Assert.Equal(JsonValueKind.String, revoked.GetProperty("revoked_at").ValueKind);
        Assert.Contains("revoked", Plumb.Check(plumb.Run("share", "list", "notes")).Stdout, StringComparison.Ordinal);

        var again = plumb.Run("share", "revoke", "notes", "--with", "rita", "--as", "alice");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("contributor: 'rita' holds no share of document 'notes'", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Share_ByANonOwner_IsRefused_AndBadInputNamesTheOption_NothingStored()
    {
        using var plumb = WithDocument();

        var notOwner = plumb.Run("share", "notes", "--with", "alice", "--as", "rita");
        Assert.Equal(3, notOwner.ExitCode);
        Assert.Contains("document 'notes': only its owner (the contributor who created it) or an admin shares it", notOwner.Stderr, StringComparison.Ordinal);

        var badRole = plumb.Run("share", "notes", "--with", "rita", "--role", "owner", "--as", "alice");
        Assert.Equal(2, badRole.ExitCode);
        Assert.Contains("--role: 'owner' is not a share role (reviewer or editor)", badRole.Stderr, StringComparison.Ordinal);

        var noAs = plumb.Run("share", "notes", "--with", "rita");
        Assert.Equal(2, noAs.ExitCode);
        Assert.Contains("--as: required on a local store", noAs.Stderr, StringComparison.Ordinal);

        var missing = plumb.Run("share", "nope", "--with", "rita", "--as", "alice");
        Assert.Equal(2, missing.ExitCode);

        Assert.Equal(0, Json(plumb.Run("share", "list", "notes", "--json")).GetProperty("shares").GetArrayLength());
    }
}
