using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Plumbline.Core.Capture.Traces;

namespace Plumbline.Server.Tests;

/// <summary>
/// The real <c>plumb</c> in team mode (<c>--server</c>, <c>--token</c>) against the real server: every core verb goes
/// through the API. The CLI only talks HTTP here, so this runs on one backend (SQLite); the API itself is
/// tested on both.
/// </summary>
public sealed class TeamModeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task CoreVerbs_WithServerAndToken_GoThroughTheApi_AndNeverOpenALocalStore()
    {
        await using var store = (await TestStore.CreateAsync(Backends.Sqlite, output))!;

        await using var server = await ServerHost.StartAsync(store.Store);
        using var folder = new TempDirectory();
        var url = server.Address.ToString();
        async Task<(int Code, string Out, string Err)> Plumb(string? token, params string[] args)
        {
            var full = new List<string>(args) { "--server", url };
            if (token is not null)
            {
                full.AddRange(["--token", token]);
            }

            var watch = Stopwatch.StartNew();
            var result = await RunAsync(folder.Path, full, null);
            output.WriteLine($"{watch.ElapsedMilliseconds,6} ms  plumb {string.Join(' ', args)} → {result.Code}");
            return result;
        }

        async Task<JsonObject> Json(string? token, params string[] args)
        {
            var (code, stdout, stderr) = await Plumb(token, [.. args, "--json"]);
            Assert.True(code == 0, $"plumb {string.Join(' ', args)} exited {code}: {stderr}");
            return JsonNode.Parse(stdout)!.AsObject();
        }

        // An admin adds a contributor, records consent and gives them a token.
        Assert.Equal("carol", (string?)(await Json(store.Admin, "contributor", "add", "carol"))["name"]);
        await Json(store.Admin, "consent", "set", "carol", "--sources", "documents,meetings,commentary", "--uses", "research");
        var carol = (string)(await Json(store.Admin, "token", "create", "--role", "contributor", "--contributor", "carol", "--label", "laptop"))["token"]!;
        Assert.StartsWith("plb_", carol, StringComparison.Ordinal);

        // A real keystroke trace, replayed exactly to the file's own end text.
        var trace = RealData.Find("editing-traces/sveltecomponent.json.gz", output.WriteLine);
        if (trace is not null)
        {
            var imported = await Json(carol, "import", "trace", trace);
            Assert.Equal((19749, false), ((int)imported["events"]!, (bool)imported["already_stored"]!));
            Assert.True((bool)(await Json(carol, "import", "trace", trace))["already_stored"]!);
            var expected = EditingTraceReader.Parse(await File.ReadAllBytesAsync(trace), "sveltecomponent.json.gz", 0).EndContent;
            var (code, replayed, _) = await Plumb(carol, "replay", "sveltecomponent");
            Assert.Equal(0, code);
            Assert.Equal(expected, replayed);
            Assert.Equal(5, ((JsonArray)(await Json(carol, "log", "--doc", "sveltecomponent", "--limit", "5"))["events"]!).Count);
        }
        else
        {
            await File.WriteAllTextAsync(Path.Combine(folder.Path, "sveltecomponent.json"), """{"startContent":"","endContent":"hello","txns":[{"time":"2026-01-01T00:00:00Z","patches":[[0,0,"hello"]]}]}""");
            await Json(carol, "import", "trace", "sveltecomponent.json");
        }

        // --as is refused in team mode: the token decides who you are.
        var (asCode, _, asErr) = await Plumb(carol, "note", "hi", "--as", "alice");
        Assert.Equal(2, asCode);
        Assert.Contains("--as: not used with --server; the token decides who you are", asErr, StringComparison.Ordinal);

        var comment = await Json(carol, "comment", "add", "sveltecomponent", "--range", "0:5", "Why this import?");
        var id = (long)comment["id"]!;
        var comments = await Json(carol, "comment", "list", "sveltecomponent");
        Assert.Equal("Why this import?", (string?)comments["comments"]![0]!["text"]);
        Assert.Equal("carol", (string?)comments["comments"]![0]!["author"]);
        await Json(carol, "comment", "resolve", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True((bool)(await Json(carol, "note", "The loss plateaued here", "--doc", "sveltecomponent"))["stored"]!);

        await File.WriteAllTextAsync(Path.Combine(folder.Path, "standup.vtt"), AliceData.Vtt);
        var cues = await Json(carol, "import", "vtt", "standup.vtt", "--meeting", "standup", "--speaker", "Alice=carol", "--start", "2026-03-02T15:00:00Z");
        Assert.Equal((2, 1, 1), ((int)cues["cues"]!, (int)cues["stored_cues"]!, (int)cues["gaps"]!));
        Assert.Equal("Bob", (string?)cues["unmapped_speakers"]![0]);

        var pad = RealData.Find("etherpad/test.etherpad", output.WriteLine);
        if (pad is not null)
        {
            var etherpad = await Json(carol, "import", "etherpad", pad, "--author", "a.ElbBWNTxmtRrfFqn=carol");
            Assert.False((bool)etherpad["already_stored"]!);
        }

        var documents = ((JsonArray)(await Json(carol, "docs"))["documents"]!).Select(d => (string)d!["name"]!).Order().ToList();
        Assert.Equal(pad is null ? ["standup", "sveltecomponent"] : ["standup", "sveltecomponent", "test"], documents);

        Assert.True((bool)(await Json(carol, "pause"))["paused"]!);
        Assert.False((bool)(await Json(carol, "resume"))["paused"]!);
        var shown = await Json(store.Admin, "consent", "show", "carol");
        Assert.Equal((1, 1, false), (shown["history"]!.AsArray().Count, shown["pauses"]!.AsArray().Count, (bool)shown["paused"]!));

        // Exports need a curator or admin; a contributor is refused (exit 3) and no file appears.
        var (exportCode, _, exportErr) = await Plumb(carol, "export", "traces", "--use", "research", "--out", "research.jsonl");
        Assert.Equal(3, exportCode);
        Assert.Contains("--token: this token's role may not do this", exportErr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder.Path, "research.jsonl")));
        var export = await Json(store.Curator, "export", "traces", "--use", "research", "--out", "research.jsonl");
        Assert.Equal(File.ReadAllLines(Path.Combine(folder.Path, "research.jsonl")).Length, (int)export["documents"]!);

        // Verbs that need the store itself fail clearly, never falling back to a local store.
        foreach (var local in new[] { new[] { "store", "stats" }, ["demo"] })
        {
            var (code, _, err) = await Plumb(carol, local);
            Assert.True(code == 2, $"plumb {string.Join(' ', local)}: exit {code}: {err}");
            Assert.Contains("not available with --server", err, StringComparison.Ordinal);
        }

        // import git works in team mode (GitImportTests); here the folder is no repository.
        var (gitCode, _, gitErr) = await Plumb(carol, "import", "git", ".");
        Assert.True(gitCode == 2, $"plumb import git .: exit {gitCode}: {gitErr}");
        Assert.Contains("not a git repository", gitErr, StringComparison.Ordinal);

        // The environment variables work as the options do; a revoked token is refused at once.
        var (envCode, envOut, _) = await RunAsync(folder.Path, ["docs", "--json"], new() { ["PLUMBLINE_SERVER"] = url, ["PLUMBLINE_TOKEN"] = carol });
        Assert.Equal(0, envCode);
        Assert.Contains("sveltecomponent", envOut, StringComparison.Ordinal);
        var tokens = (JsonArray)(await Json(store.Admin, "token", "list"))["tokens"]!;
        var carolId = (long)tokens.Single(t => (string?)t!["label"] == "laptop")!["id"]!;
        await Json(store.Admin, "token", "revoke", carolId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (revokedCode, _, revokedErr) = await Plumb(carol, "docs");
        Assert.Equal(3, revokedCode);
        Assert.Contains("--token: a valid token is required", revokedErr, StringComparison.Ordinal);

        Assert.False(Directory.Exists(Path.Combine(folder.Path, ".plumbline")), "team mode created a local store");
    }

    /// <summary>
    /// <c>plumb watch</c> and <c>plumb terms</c> in team mode: saves go to the server as whole-text batches (diffed there,
    /// redacted with the contributor's own terms), a name another contributor already uses stays theirs, and the
    /// terms verbs add, list and remove through the API.
    /// </summary>
    [Fact]
    public async Task WatchAndTerms_WithServerAndToken_GoThroughTheApi()
    {
        await using var store = (await TestStore.CreateAsync(Backends.Sqlite, output))!;
        await using var server = await ServerHost.StartAsync(store.Store);
        using var folder = new TempDirectory();
        var url = server.Address.ToString();
        async Task<JsonObject> Json(string token, params string[] args)
        {
            var (code, stdout, stderr) = await RunAsync(folder.Path, [.. args, "--server", url, "--token", token, "--json"], null);
            output.WriteLine($"plumb {string.Join(' ', args)} → {code}");
            Assert.True(code == 0, $"plumb {string.Join(' ', args)} exited {code}: {stderr}");
            return JsonNode.Parse(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1])!.AsObject();
        }

        // Terms: bob's own, through the API; alice's are not his to see (the same 404 as nobody's: exit 1 not found).
        Assert.Equal(["falcon", "osprey"], (await Json(store.Bob, "terms", "add", "bob", "falcon", "osprey"))["terms"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(["falcon", "osprey"], (await Json(store.Bob, "terms", "list", "bob"))["terms"]!.AsArray().Select(t => (string)t!));
        var (aliceCode, _, aliceErr) = await RunAsync(folder.Path, ["terms", "list", "alice", "--server", url, "--token", store.Bob], null);
        Assert.NotEqual(0, aliceCode);
        Assert.Contains("no contributor named 'alice'", aliceErr, StringComparison.Ordinal);

        // alice already has a document notes/plan.md; bob's folder "notes" has one of the same name.
        using (var alice = server.Client(store.Alice))
        {
            await alice.PostBatchAsync("notes/plan.md", AliceData.Batch("a", 0, "alice's plan"), CancellationToken.None);
        }

        var notes = Directory.CreateDirectory(Path.Combine(folder.Path, "notes")).FullName;
        await File.WriteAllTextAsync(Path.Combine(notes, "plan.md"), "Plan: ask falcon about the reward 😀 model.\n");
        await File.WriteAllTextAsync(Path.Combine(notes, "todo.txt"), "- nothing yet\n");
        var first = await Json(store.Bob, "watch", notes, "--once");
        Assert.Equal(["notes/plan.md", "notes/todo.txt"], first["stored"]!.AsArray().Select(d => (string)d!).Order(StringComparer.Ordinal));

        // A save: one new revision, diffed by the server from the previous text; the term is redacted there.
        await File.WriteAllTextAsync(Path.Combine(notes, "plan.md"), "Plan: ask falcon about the reward 😀 model today.\n");
        var second = await Json(store.Bob, "watch", notes, "--once");
        Assert.Equal(["notes/plan.md"], second["stored"]!.AsArray().Select(d => (string)d!));
        Assert.True((int)second["patches"]! >= 1);

        using var bob = server.Client(store.Bob);
        var plan = await bob.GetDocumentAsync("notes/plan.md", CancellationToken.None);
        Assert.Equal(("notes/plan.md", 2), (plan.Name, plan.Revisions));
        Assert.Equal("Plan: ask [TERM] about the reward 😀 model today.\n", (await bob.ReplayAsync("notes/plan.md", null, null, CancellationToken.None)).Text);
        Assert.Equal("Plan: ask [TERM] about the reward 😀 model.\n", (await bob.ReplayAsync("notes/plan.md", 1, null, CancellationToken.None)).Text);
        using (var alice = server.Client(store.Alice))
        {
            Assert.Equal("alice's plan", (await alice.ReplayAsync("notes/plan.md", null, null, CancellationToken.None)).Text);
        }

        // todo.txt did not change: nothing more of it was sent.
        Assert.Equal(1, (await bob.GetDocumentAsync("notes/todo.txt", CancellationToken.None)).Revisions);
        Assert.Equal("- nothing yet\n", (await bob.ReplayAsync("notes/todo.txt", null, null, CancellationToken.None)).Text);

        Assert.Equal(["osprey"], (await Json(store.Bob, "terms", "remove", "bob", "falcon"))["terms"]!.AsArray().Select(t => (string)t!));
        Assert.False(Directory.Exists(Path.Combine(folder.Path, ".plumbline")), "team mode created a local store");
    }

    [Fact]
    public async Task Serve_OnTheSample_LoadsItOnce_PrintsTokensThatWork_AndStopsGracefullyOnSigterm()
    {
        using var folder = new TempDirectory();
        var store = Path.Combine(folder.Path, "sample.db");
        using (var first = await StartServeAsync(folder.Path, store, "--sample", "--realdata", Path.Combine(folder.Path, "none")))
        {
            Assert.Contains("sample    loaded now: research-note, weekly-check-in", first.Stdout.ToString(), StringComparison.Ordinal);

            // Beside the store: a next-edit dataset of the sample (recorded as an export) and the offline diff report of samples/diff.
            var sample = Path.Combine(folder.Path, "sample");
            var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(sample, "dataset-next-edit", "manifest.json")))!;
            Assert.Equal("next-edit", (string?)manifest["kind"]);
            Assert.Equal("zeta", (string?)manifest["format"]);
            var diff = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(sample, "diff-report", "report.json")))!;
            Assert.Equal(600, (int)diff["summary"]!["before_samples"]!);
            Assert.Equal(0, (int)diff["null_check"]!["significant_clusters"]!);
            Assert.True(File.Exists(Path.Combine(sample, "diff-report", "report.html")));
            var alice = first.Token("alice");
            using var http = new HttpClient { BaseAddress = first.Address };
            http.DefaultRequestHeaders.Authorization = new("Bearer", alice);
            var note = JsonNode.Parse(await http.GetStringAsync("api/documents/research-note/comments"))!;
            Assert.Equal("Define this, and cite where it was first observed.", (string?)note["comments"]![0]!["text"]);
            Assert.Equal(0, await first.TerminateAsync());
        }

        using var second = await StartServeAsync(folder.Path, store, "--sample", "--realdata", Path.Combine(folder.Path, "none"));
        Assert.Contains("sample    loaded on an earlier run", second.Stdout.ToString(), StringComparison.Ordinal);
        var (code, stdout, _) = await RunAsync(folder.Path, ["--server", second.Address.ToString(), "--token", second.Token("alice"), "replay", "research-note", "--json"], null);
        Assert.Equal(0, code);
        Assert.Contains("\"document\":\"research-note\"", stdout, StringComparison.Ordinal);
        var (meetingCode, meeting, _) = await RunAsync(folder.Path, ["--server", second.Address.ToString(), "--token", second.Token("alice"), "replay", "weekly-check-in"], null);
        Assert.Equal(0, meetingCode);
        Assert.Contains("[00:00:01.000 → 00:00:06.500] alice: I rewrote the reward hacking section of the note after your comment.", meeting, StringComparison.Ordinal);
        Assert.Contains("[00:00:19.500 → 00:00:24.000] (withheld: unmapped)", meeting, StringComparison.Ordinal);
        Assert.DoesNotContain("specification gaming", meeting, StringComparison.Ordinal);
        Assert.Equal(0, await second.TerminateAsync());
    }

    private static async Task<ServeRun> StartServeAsync(string folder, string store, params string[] args)
    {
        var info = Info(folder, ["serve", "--store", store, "--urls", "http://127.0.0.1:0", .. args], null);
        var process = Process.Start(info)!;
        process.BeginErrorReadLine();
        var stdout = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            stdout.AppendLine(line);
            if (line.StartsWith("Listening on ", StringComparison.Ordinal))
            {
                return new ServeRun(process, new Uri(line["Listening on ".Length..].Split(' ')[0] + "/"), stdout);
            }
        }

        throw new InvalidOperationException($"plumb serve exited before listening: {stdout}");
    }

    private sealed record ServeRun(Process Process, Uri Address, StringBuilder Stdout) : IDisposable
    {
        public string Token(string who) =>
            Stdout.ToString().Split('\n').Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)).First(p => p.Length >= 2 && p[0] == who)[1];

        public async Task<int> TerminateAsync()
        {
            using var kill = Process.Start("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await Process.WaitForExitAsync(timeout.Token);
            return Process.ExitCode;
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
            }

            Process.Dispose();
        }
    }

    private static ProcessStartInfo Info(string folder, IEnumerable<string> args, Dictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(ServeProcess.Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "PLUMBLINE_STORE", "PLUMBLINE_SERVER", "PLUMBLINE_TOKEN" })
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? [])
        {
            info.Environment[name] = value;
        }

        return info;
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(string folder, IEnumerable<string> args, Dictionary<string, string>? environment)
    {
        using var process = Process.Start(Info(folder, args, environment))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
