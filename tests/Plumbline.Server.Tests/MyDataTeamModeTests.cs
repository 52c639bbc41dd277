using System.Diagnostics;

namespace Plumbline.Server.Tests;

/// <summary>The real <c>plumb redact span|range|list</c> and <c>plumb withdraw</c> in team mode against the real server (SQLite; the API itself is tested on both backends).</summary>
public sealed class MyDataTeamModeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RedactAndWithdraw_WithServerAndToken_GoThroughTheApi_WithTheLocalExitCodes()
    {
        await using var store = (await TestStore.CreateAsync(Backends.Sqlite, output))!;
        var clock = await MyDataTests.SeedAsync(store);
        await using var server = await ServerHost.StartAsync(store.Store, clock);
        using var folder = new TempDirectory();
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
            output.WriteLine($"plumb {string.Join(' ', args)} → {process.ExitCode} {await stderr}");
            return (process.ExitCode, await stdout, await stderr);
        }

        Assert.Equal(
            (0, """{"redaction":1,"contributor":"alice","events_rewritten":2,"revisions_affected":2,"documents":["notes"]}""" + "\n", ""),
            await Plumb(store.Alice, "redact", "span", "notes", "--range", "1:3", "--json"));
        using var admin = server.Client(store.Admin);
        Assert.Equal("a[REDACTED]d", (await admin.ReplayAsync("notes", null, null, default)).Text);

        Assert.Equal(
            (3, "", "plumb: --range: code points 5:7 of 'shared' were written by bob, not alice; a contributor can redact only their own text (nothing was changed)\n"),
            await Plumb(store.Alice, "redact", "span", "shared", "--range", "2:7"));
        Assert.Equal(2, (await Plumb(store.Alice, "redact", "span", "notes", "--range", "1:3", "--as", "alice")).Code);
        Assert.Equal(2, (await Plumb(store.Alice, "redact", "span", "notes", "--range", "three")).Code);

        Assert.Equal(
            (0, """{"redaction":2,"contributor":"alice","events_rewritten":1,"revisions_affected":0,"documents":[]}""" + "\n", ""),
            await Plumb(store.Alice, "redact", "range", "--from", "2026-11-21T12:30:00Z", "--to", "2026-11-21T14:00:00Z", "--source", "commentary", "--json"));
        var listed = await Plumb(store.Alice, "redact", "list");
        Assert.Equal(
            "Redactions of alice:\n" +
            "     1  2026-11-21T13:00:00Z  span 1:3 of 'notes' (revision 2): 2 event(s) in 2 revision(s), by alice (api token 3)\n" +
            "     2  2026-11-21T13:00:00Z  range 2026-11-21T12:30:00Z – 2026-11-21T14:00:00Z (commentary): 1 event(s) in 0 revision(s), by alice (api token 3)\n",
            listed.Out);

        Assert.Equal(2, (await Plumb(store.Bob, "withdraw", "alice")).Code); // another contributor: as if there were no alice
        Assert.Equal(
            (0, """{"withdrawal":1,"contributor":"alice","source":null,"edit_events":3,"row_events":1,"documents_deleted":["notes"],"documents_masked":["shared"],"exports":[]}""" + "\n", ""),
            await Plumb(store.Alice, "withdraw", "alice", "--json"));
        Assert.Equal("░░░░░his", (await admin.ReplayAsync("shared", null, null, default)).Text);
    }
}
