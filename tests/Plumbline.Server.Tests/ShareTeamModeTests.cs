using System.Diagnostics;
using System.Text.Json.Nodes;
using Plumbline.Server.Contracts;

namespace Plumbline.Server.Tests;

/// <summary><c>plumb share</c> in team mode: the owner's token shares; the grantee replays and comments under <c>~OWNER/NAME</c>.</summary>
public sealed class ShareTeamModeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ShareListRevoke_ThroughTheApi_AndTheGranteeUsesTheSharedName()
    {
        await using var store = (await TestStore.CreateAsync(Backends.Sqlite, output))!;
        await using var server = await ServerHost.StartAsync(store.Store);
        using var folder = new TempDirectory();
        using var alice = server.Client(store.Alice);
        var data = await AliceData.CreateAsync(alice);

        async Task<(int Code, string Out, string Err)> Plumb(string token, params string[] args)
        {
            var info = new ProcessStartInfo("dotnet") { WorkingDirectory = folder.Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in (string[])["exec", ServeProcess.Dll, .. args, "--server", server.Address.ToString(), "--token", token])
            {
                info.ArgumentList.Add(arg);
            }

            foreach (var name in new[] { "PLUMBLINE_STORE", "PLUMBLINE_SERVER", "PLUMBLINE_TOKEN" })
            {
                info.Environment.Remove(name);
            }

            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            output.WriteLine($"plumb {string.Join(' ', args)} → {process.ExitCode}");
            return (process.ExitCode, await stdout, await stderr);
        }

        async Task<JsonObject> Json(string token, params string[] args)
        {
            var (code, stdout, stderr) = await Plumb(token, [.. args, "--json"]);
            Assert.True(code == 0, $"plumb {string.Join(' ', args)} exited {code}: {stderr}");
            return JsonNode.Parse(stdout)!.AsObject();
        }

        var granted = await Json(store.Alice, "share", data.Document, "--with", "bob", "--role", "reviewer");
        Assert.Equal(("bob", "reviewer", "alice"), ((string?)granted["contributor"], (string?)granted["role"], (string?)granted["owner"]));
        Assert.Equal("bob", (string?)(await Json(store.Alice, "share", "list", data.Document))["shares"]![0]!["contributor"]);

        var (code, text, _) = await Plumb(store.Bob, "replay", "~alice/alice-notes");
        Assert.Equal((0, data.Text), (code, text));
        Assert.True((bool)(await Json(store.Bob, "comment", "add", "~alice/alice-notes", "--range", "0:7", "Private?"))["stored"]!);
        var bobShares = await Plumb(store.Bob, "share", "list", "~alice/alice-notes");
        Assert.Equal(3, bobShares.Code);
        var withAs = await Plumb(store.Alice, "share", data.Document, "--with", "bob", "--as", "alice");
        Assert.Equal(2, withAs.Code);

        Assert.Equal("alice", (string?)(await Json(store.Alice, "share", "revoke", data.Document, "--with", "bob"))["revoked_by"]);
        var gone = await Plumb(store.Bob, "replay", "~alice/alice-notes");
        Assert.Equal(2, gone.Code);
        Assert.Contains("no document named '~alice/alice-notes'", gone.Err, StringComparison.Ordinal);
        Assert.Equal("bob", (await alice.ListCommentsAsync(data.Document, null, CancellationToken.None)).Comments.Single(c => c.Text == "Private?").Author);
    }
}
