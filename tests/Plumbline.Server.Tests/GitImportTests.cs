using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plumbline.Capture.Git;
using Plumbline.Capture.Tests.Git;
using Plumbline.Server.Contracts;
using Plumbline.Storage;
using Plumbline.Storage.Documents;

namespace Plumbline.Server.Tests;

/// <summary>
/// <c>plumb import git --server</c>: the real CLI reads a real repository (built with git) and sends it to the real
/// server over loopback HTTP; what the server stores is compared, revision by revision and commit by commit, with
/// what the local import (<see cref="GitImporter"/>) stores for the same repository in a store of the same backend.
/// </summary>
public sealed class GitImportTests(ITestOutputHelper output)
{
    private const string Ada = "ada@lab.org";

    /// <summary>
    /// A history with what a git import meets: added, changed, renamed (with an edit), deleted and binary files,
    /// a non-ASCII path and text, a merge of a side branch, and a commit by an author nobody mapped (a gap).
    /// </summary>
    private static GitFixture BuildRepository()
    {
        var repo = new GitFixture("lab-notes");
        repo.Write("README.md", "# Lab notes\n\nReward model experiments.\n");
        repo.Write("src/train.py", "lr = 0.1\nsteps = 100\n");
        repo.Commit("Start the notes");
        repo.Write("src/train.py", "lr = 0.01\nsteps = 100\nseed = 7\n");
        repo.Write("données/résumé.txt", "Première ligne 😀\n");
        repo.Commit("Lower the learning rate");
        repo.Git("checkout", "-q", "-b", "side");
        repo.Write("side.txt", "from the side branch\n");
        repo.Commit("Side work");
        repo.Git("checkout", "-q", "main");
        repo.Write("README.md", "# Lab notes\n\nReward model experiments, week 2.\n");
        repo.Commit("Week 2");
        repo.Git(["-c", $"user.email={Ada}", "-c", "user.name=Ada", "merge", "-q", "--no-ff", "side", "-m", "Merge side"], ("GIT_AUTHOR_DATE", "2025-05-01T10:00:00Z"), ("GIT_COMMITTER_DATE", "2025-05-01T10:00:00Z"));
        repo.Write("src/train.py", "lr = 0.01\nsteps = 200\nseed = 7\n# tuned by someone else\n");
        repo.Commit("Tune steps", "eve@elsewhere.org", "Eve");
        repo.Write("src/train.py", "lr = 0.01\nsteps = 200\nseed = 8\n# tuned by someone else\n");
        repo.Commit("Another seed");
        repo.Git("mv", "src/train.py", "src/training.py");
        repo.Write("src/training.py", "lr = 0.01\nsteps = 200\nseed = 8\n# tuned by someone else\nepochs = 3\n");
        repo.WriteBytes("plot.png", [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 13, 1, 2, 3]);
        repo.Commit("Rename the script; add a plot");
        File.Delete(Path.Combine(repo.Path, "side.txt"));
        repo.Write("données/résumé.txt", "Première ligne 😀\nDeuxième ligne\n");
        repo.Commit("Drop the side file");
        return repo;
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task TeamImport_StoresExactlyWhatTheLocalImportStores_AndARerunSendsNothingNew(string backend)
    {
        await using var team = await TestStore.CreateAsync(backend, output);
        await using var local = await TestStore.CreateAsync(backend, output);
        if (team is null || local is null)
        {
            return;
        }

        using var repo = BuildRepository();
        await using var server = await ServerHost.StartAsync(team.Store);
        var options = new GitImportOptions { Actor = "alice", Authors = new Dictionary<string, string> { [Ada] = "alice" } };
        var expected = await new GitImporter(local.Store, TimeProvider.System).ImportAsync(repo.Path, options, null, default);
        Assert.Equal((9, 1), (expected.Commits, expected.WithheldCommits));

        // Small requests: the history crosses several of them, so diffs must continue from texts stored by earlier ones.
        var imported = await PlumbJsonAsync(server, team.Alice, repo.Path, "--author", $"{Ada}=alice", "--batch-commits", "2");
        AssertSameResult(expected, imported);
        Assert.Equal(["lab-notes/README.md", "lab-notes/données/résumé.txt", "lab-notes/side.txt", "lab-notes/src/train.py", "lab-notes/src/training.py"], Strings(imported["documents"]));
        var aliceId = await ContributorIdAsync(team.Store, "alice");
        await AssertSameStoreAsync(local.Store, "lab-notes", team.Store, $"~{aliceId}/lab-notes");

        // What alice reaches through the API: her names, the exact texts.
        using (var alice = server.Client(team.Alice))
        {
            var training = await alice.ReplayAsync("lab-notes/src/training.py", null, null, default);
            Assert.Equal(("lab-notes/src/training.py", "lr = 0.01\nsteps = 200\nseed = 8\n# tuned by someone else\nepochs = 3\n"), (training.Document, training.Text));
            Assert.Equal("Première ligne 😀\nDeuxième ligne\n", (await alice.ReplayAsync("lab-notes/données/résumé.txt", null, null, default)).Text);
            Assert.Equal(9, (await alice.GitRepositoryAsync("lab-notes", default)).Commits.Count);
        }

        // Run again: nothing new is sent or stored.
        var events = await CountEventsAsync(team.Store);
        var again = await PlumbJsonAsync(server, team.Alice, repo.Path, "--author", $"{Ada}=alice");
        Assert.Equal((0, 9, 0L), ((int)again["commits"]!, (int)again["already_imported"]!, (long)again["events"]!));
        Assert.Equal(events, await CountEventsAsync(team.Store));

        // A new commit: only it is sent, and it continues from the stored history exactly as the local import does.
        repo.Write("src/training.py", "lr = 0.02\nsteps = 200\nseed = 8\n# tuned by someone else\nepochs = 3\n");
        repo.Commit("Raise the rate");
        var expectedNext = await new GitImporter(local.Store, TimeProvider.System).ImportAsync(repo.Path, options, null, default);
        var next = await PlumbJsonAsync(server, team.Alice, repo.Path, "--author", $"{Ada}=alice");
        AssertSameResult(expectedNext, next);
        Assert.Equal((1, 9), ((int)next["commits"]!, (int)next["already_imported"]!));
        await AssertSameStoreAsync(local.Store, "lab-notes", team.Store, $"~{aliceId}/lab-notes");
    }

    [Fact]
    public async Task KillingTheClientMidImport_ThenRunningAgain_CompletesWithoutDuplicates()
    {
        await using var team = (await TestStore.CreateAsync(Backends.Sqlite, output))!;
        await using var local = (await TestStore.CreateAsync(Backends.Sqlite, output))!;
        using var repo = new GitFixture("long-history");
        const int total = 60;
        for (var i = 0; i < total; i++)
        {
            repo.Write($"notes/{i % 7}.md", $"entry {i}\n" + string.Concat(Enumerable.Range(0, i).Select(n => $"line {n}\n")));
            repo.Commit($"Entry {i}");
        }

        await using var server = await ServerHost.StartAsync(team.Store);
        using var alice = server.Client(team.Alice);
        using var folder = new TempDirectory();
        var info = Info(server, team.Alice, folder.Path, [repo.Path, "--author", $"{Ada}=alice", "--batch-commits", "1", "--json"]);
        int storedAtKill;
        using (var process = Process.Start(info)!)
        {
            while ((storedAtKill = (await alice.GitRepositoryAsync("long-history", default)).Commits.Count) < 5 && !process.HasExited)
            {
                await Task.Delay(10);
            }

            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        storedAtKill = (await alice.GitRepositoryAsync("long-history", default)).Commits.Count;
        output.WriteLine($"killed the client with {storedAtKill} of {total} commits stored");
        Assert.InRange(storedAtKill, 5, total - 1);

        var rest = await PlumbJsonAsync(server, team.Alice, repo.Path, "--author", $"{Ada}=alice", "--batch-commits", "7");
        Assert.Equal((total - storedAtKill, storedAtKill), ((int)rest["commits"]!, (int)rest["already_imported"]!));

        await new GitImporter(local.Store, TimeProvider.System).ImportAsync(
            repo.Path, new GitImportOptions { Actor = "alice", Authors = new Dictionary<string, string> { [Ada] = "alice" } }, null, default);
        var aliceId = await ContributorIdAsync(team.Store, "alice");
        await AssertSameStoreAsync(local.Store, "long-history", team.Store, $"~{aliceId}/long-history");
        await using var session = await team.Store.OpenAsync(write: false, default);
        Assert.Equal(total, (await session.EventsAsync(null, default)).Count(e => e.Kind == Core.Capture.EventKind.Commit));
    }

    [Fact]
    public async Task TwoContributors_ImportingTheSameRepository_EachSeeOnlyTheirOwn()
    {
        await using var team = (await TestStore.CreateAsync(Backends.Sqlite, output))!;
        using var repo = BuildRepository();
        await using var server = await ServerHost.StartAsync(team.Store);
        await PlumbJsonAsync(server, team.Alice, repo.Path, "--author", $"{Ada}=alice");

        // bob asks what the server has of "lab-notes": nothing of his, and nothing tells him alice imported it.
        using var bob = server.Client(team.Bob);
        var before = await bob.GitRepositoryAsync("lab-notes", default);
        Assert.Equal(("lab-notes", 0, 0), (before.Repository, before.Commits.Count, before.LastFiles.Count));
        Assert.Empty((await bob.ListDocumentsAsync(default)).Documents);

        var bobs = await PlumbJsonAsync(server, team.Bob, repo.Path, "--author", $"{Ada}=bob");
        Assert.Equal((9, 0), ((int)bobs["commits"]!, (int)bobs["already_imported"]!));
        var names = (await bob.ListDocumentsAsync(default)).Documents.Select(d => d.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["lab-notes/README.md", "lab-notes/données/résumé.txt", "lab-notes/side.txt", "lab-notes/src/train.py", "lab-notes/src/training.py"], names);

        // Each one's revisions are their own; the admin sees both imports under their stored names.
        using var admin = server.Client(team.Admin);
        var all = (await admin.ListDocumentsAsync(default)).Documents.Select(d => d.Name).ToList();
        var (aliceId, bobId) = (await ContributorIdAsync(team.Store, "alice"), await ContributorIdAsync(team.Store, "bob"));
        Assert.Contains($"~{aliceId}/lab-notes/README.md", all);
        Assert.Contains($"~{bobId}/lab-notes/README.md", all);
        await using (var session = await team.Store.OpenAsync(write: false, default))
        {
            foreach (var (id, other) in new[] { (aliceId, bobId), (bobId, aliceId) })
            {
                var document = (await session.FindDocumentAsync($"~{id}/lab-notes/README.md", default))!;
                var contributors = await session.DocumentContributorsAsync(document.Id, default);
                Assert.Contains(id, contributors);
                Assert.DoesNotContain(other, contributors);
            }
        }

        Assert.Equal(9, (await bob.GitRepositoryAsync("lab-notes", default)).Commits.Count);
        var bobsRepo = await bob.GitRepositoryAsync("lab-notes", default);
        Assert.All(bobsRepo.LastFiles, f => Assert.StartsWith("lab-notes/", f.Document, StringComparison.Ordinal));
        var text = JsonSerializer.Serialize(bobsRepo) + JsonSerializer.Serialize(await bob.ListDocumentsAsync(default)) + JsonSerializer.Serialize(await bob.EventsAsync(null, 0, 1000, default));
        Assert.DoesNotContain("alice", text, StringComparison.Ordinal);
        Assert.DoesNotContain("~", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostCommits_BadInput_IsA400NamingTheField_AndStoresNothing()
    {
        await using var team = (await TestStore.CreateAsync(Backends.Sqlite, output))!;
        await using var server = await ServerHost.StartAsync(team.Store);
        using var http = server.Http(team.Alice);
        var events = await CountEventsAsync(team.Store);
        const string id = "0123456789abcdef0123456789abcdef01234567";
        static string Commit(string id = id, string parents = "[]", string files = """[{"path":"a.txt","status":"A","text":"hi"}]""") =>
            $$"""{"id":"{{id}}","parents":{{parents}},"author_email":"ada@lab.org","author_time":"2025-05-01T09:00:00Z","message":"m","files":{{files}}}""";
        static string Body(params string[] commits) => $$"""{"commits":[{{string.Join(',', commits)}}]}""";

        var cases = new (string Body, string Field)[]
        {
            (Body(Commit(id: "12345")), "$.commits[0].id: '12345' is not a full commit id"),
            (Body(Commit(id: id.ToUpperInvariant())), "$.commits[0].id"),
            (Body(Commit(), Commit()), "$.commits[1].id: commit " + id + " is in this request twice"),
            (Body(Commit(parents: """["89abcdef0123456789abcdef0123456789abcdef"]""")), "$.commits[0].parents[0]: parent 89abcdef0123456789abcdef0123456789abcdef is neither stored nor earlier in this request"),
            (Body(Commit(files: """[{"path":"../outside.txt","status":"A","text":"x"}]""")), "$.commits[0].files[0].path: '../outside.txt' is not a path inside the repository"),
            (Body(Commit(files: """[{"path":"/etc/passwd","status":"A","text":"x"}]""")), "$.commits[0].files[0].path"),
            (Body(Commit(files: """[{"path":".git/config","status":"A","text":"x"}]""")), "$.commits[0].files[0].path"),
            (Body(Commit(files: """[{"path":"a.txt","status":"X","text":"x"}]""")), "$.commits[0].files[0].status: 'X' is not one of A, M, D, R, C, T"),
            (Body(Commit(files: """[{"path":"a.txt","status":"R","text":"x"}]""")), "$.commits[0].files[0].old_path: required for status R"),
            (Body(Commit(files: """[{"path":"a.txt","status":"A"}]""")), "$.commits[0].files[0].text: required"),
            (Body(Commit(files: """[{"path":"a.txt","status":"D","text":"x"}]""")), "$.commits[0].files[0].text: a deleted, binary or submodule file has no text"),
            (Body(Commit(files: """[{"path":"a.txt","status":"A","text":"bad \ud800 half"}]""")), "$.commits[0].files[0].text"),
            (Body(Commit(files: """[{"path":"a.txt","status":"A","text":5}]""")), "$.commits[0].files[0].text"),
            ("""{"commits":[]}""", "$.commits: send at least one commit"),
            ("""{"commits":[""", "nothing was stored"),
        };
        foreach (var (body, field) in cases)
        {
            using var response = await http.PostAsync("api/git/repositories/lab-notes/commits", new StringContent(body, Encoding.UTF8, "application/json"));
            var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
            output.WriteLine($"{(int)response.StatusCode} {problem?["detail"]}");
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body}: {(int)response.StatusCode} {problem}");
            Assert.Equal("bad_input", (string?)problem!["kind"]);
            Assert.Contains(field, (string?)problem["detail"], StringComparison.Ordinal);
        }

        // Invalid UTF-8 in the body.
        var bytes = Encoding.UTF8.GetBytes(Body(Commit(files: """[{"path":"a.txt","status":"A","text":"XX"}]""")));
        var at = Array.IndexOf(bytes, (byte)'X');
        (bytes[at], bytes[at + 1]) = (0xC3, 0x28);
        using (var invalid = await http.PostAsync("api/git/repositories/lab-notes/commits", new ByteArrayContent(bytes) { Headers = { ContentType = new("application/json") } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
            output.WriteLine((string?)(await invalid.Content.ReadFromJsonAsync<JsonObject>())!["detail"]);
        }

        // A repository name that is not a folder name, or has the reserved ~ID form.
        foreach (var name in new[] { "~1", "..", "a%2Fb" })
        {
            using var response = await http.PostAsync($"api/git/repositories/{name}/commits", new StringContent(Body(Commit()), Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest || response.StatusCode == HttpStatusCode.NotFound, $"{name}: {(int)response.StatusCode}");
        }

        // Too many commits in one request: 413.
        var many = Body(Enumerable.Range(0, 1001).Select(i => Commit(id: i.ToString("x40", System.Globalization.CultureInfo.InvariantCulture), files: "[]")).ToArray());
        using (var large = await http.PostAsync("api/git/repositories/lab-notes/commits", new StringContent(many, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
            var problem = (await large.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal("too_large", (string?)problem["kind"]);
            Assert.Contains("$.commits: 1001 commits in one request; at most 1000", (string?)problem["detail"], StringComparison.Ordinal);
        }

        // Curators and admins import nothing: 403.
        using (var curator = server.Http(team.Curator))
        using (var refused = await curator.PostAsync("api/git/repositories/lab-notes/commits", new StringContent(Body(Commit()), Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        Assert.Equal(events, await CountEventsAsync(team.Store));
        using var alice = server.Client(team.Alice);
        Assert.Empty((await alice.GitRepositoryAsync("lab-notes", default)).Commits);

        // A good commit is stored once; the same request again is a no-op reported as such.
        var request = JsonSerializer.Deserialize<GitCommitsRequest>(Body(Commit()), Hosting.PlumblineServer.Json)! with { Authors = new Dictionary<string, string> { [Ada] = "alice" } };
        var first = await alice.PostGitCommitsAsync("lab-notes", request, default);
        Assert.Equal((1, 0, 1L), (first.Commits, first.AlreadyStored, first.Patches));
        Assert.Equal(["lab-notes/a.txt"], first.Documents);
        var stored = await CountEventsAsync(team.Store);
        var second = await alice.PostGitCommitsAsync("lab-notes", request, default);
        Assert.Equal((0, 1, 0L), (second.Commits, second.AlreadyStored, second.Patches));
        Assert.Empty(second.Documents);
        Assert.Equal("hi", (await alice.ReplayAsync("lab-notes/a.txt", null, null, default)).Text);
        Assert.Equal(stored, await CountEventsAsync(team.Store));
        Assert.Equal([id], (await alice.GitRepositoryAsync("lab-notes", default)).Commits);
    }

    private static void AssertSameResult(GitImportResult expected, JsonObject actual)
    {
        Assert.Equal(
            (expected.Repository, expected.Commits, expected.AlreadyImported, expected.FileChanges, expected.BinaryOrLargeFiles, expected.WithheldCommits, expected.Patches + expected.Commits),
            ((string)actual["repository"]!, (int)actual["commits"]!, (int)actual["already_imported"]!, (int)actual["file_changes"]!, (int)actual["binary_or_large"]!, (int)actual["withheld_commits"]!, (long)actual["events"]!));
        Assert.Equal(expected.Documents.Order(StringComparer.Ordinal), Strings(actual["documents"]));
    }

    /// <summary>Every document and commit of repository key <paramref name="expectedKey"/> in one store equals its counterpart under <paramref name="actualKey"/> in the other.</summary>
    private async Task AssertSameStoreAsync(ITraceStore expectedStore, string expectedKey, ITraceStore actualStore, string actualKey)
    {
        await using var expected = await expectedStore.OpenAsync(write: false, default);
        await using var actual = await actualStore.OpenAsync(write: false, default);
        var (expectedIds, actualIds) = (await ContributorIdsAsync(expected), await ContributorIdsAsync(actual));
        var documents = (await expected.ListDocumentsAsync(default)).Where(d => d.Name.StartsWith(expectedKey + "/", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            documents.Select(d => d.Name[expectedKey.Length..]).Order(StringComparer.Ordinal),
            (await actual.ListDocumentsAsync(default)).Where(d => d.Name.StartsWith(actualKey + "/", StringComparison.Ordinal)).Select(d => d.Name[actualKey.Length..]).Order(StringComparer.Ordinal));
        var revisions = 0;
        foreach (var document in documents)
        {
            var other = (await actual.FindDocumentAsync(actualKey + document.Name[expectedKey.Length..], default))!;
            Assert.Equal((document.Revisions, document.Length), (other.Revisions, other.Length));
            var mine = await RevisionsAsync(expected, document, expectedIds);
            var theirs = await RevisionsAsync(actual, other, actualIds);
            Assert.Equal(mine, theirs);
            for (var r = 0; r <= document.Revisions; r++)
            {
                var text = (await DocumentReader.LoadAsync(expected, document, r, default)).ToString();
                Assert.True(text == (await DocumentReader.LoadAsync(actual, other, r, default)).ToString(), $"{document.Name} differs at revision {r}");
                revisions++;
            }
        }

        var expectedCommits = await GitCommitIndex.CommitsAsync(expected, expectedKey, default);
        var actualCommits = await GitCommitIndex.CommitsAsync(actual, actualKey, default);
        Assert.Equal(expectedCommits.Keys.Order(StringComparer.Ordinal), actualCommits.Keys.Order(StringComparer.Ordinal));
        foreach (var (id, commit) in expectedCommits)
        {
            Assert.Equal(Canonical(commit, expectedKey), Canonical(actualCommits[id], actualKey));
        }

        output.WriteLine($"{documents.Count} documents, {revisions} revision texts and {expectedCommits.Count} commits compared");
    }

    private static string Canonical(GitCommitPayload commit, string key)
    {
        string? Strip(string? document) => document is null ? null : "REPO" + document[key.Length..];
        var files = commit.Files.Select(f => f with { Document = Strip(f.Document), OldDocument = Strip(f.OldDocument) }).ToList();
        return JsonSerializer.Serialize(commit with { Repo = "REPO", Files = files }, GitCommitIndex.Json);
    }

    private static async Task<List<string>> RevisionsAsync(IStoreSession session, DocumentInfo document, Dictionary<long, string> names)
    {
        var list = new List<string>();
        await foreach (var r in DocumentReader.RevisionsAsync(session, document, 1, document.Revisions, default))
        {
            list.Add($"{r.Revision} {r.Time} {(r.ContributorId is { } c ? names[c] : "-")} {r.ConsentVersion} {r.Kind}");
        }

        return list;
    }

    private static async Task<Dictionary<long, string>> ContributorIdsAsync(IStoreSession session) =>
        (await session.ListContributorsAsync(default)).ToDictionary(c => c.Id, c => c.Name);

    private static async Task<long> ContributorIdAsync(ITraceStore store, string name)
    {
        await using var session = await store.OpenAsync(write: false, default);
        return (await session.FindContributorAsync(name, default))!.Id;
    }

    private static async Task<int> CountEventsAsync(ITraceStore store)
    {
        await using var session = await store.OpenAsync(write: false, default);
        return (await session.EventsAsync(null, default)).Count;
    }

    private static List<string> Strings(JsonNode? array) => array!.AsArray().Select(n => (string)n!).Order(StringComparer.Ordinal).ToList();

    private async Task<JsonObject> PlumbJsonAsync(ServerHost server, string token, string repo, params string[] args)
    {
        using var folder = new TempDirectory();
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(Info(server, token, folder.Path, [repo, .. args, "--json"]))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        output.WriteLine($"{watch.ElapsedMilliseconds,6} ms  plumb import git {string.Join(' ', args)} → {process.ExitCode}");
        Assert.True(process.ExitCode == 0, $"plumb import git exited {process.ExitCode}: {await stderr}");
        Assert.False(Directory.Exists(Path.Combine(folder.Path, ".plumbline")), "team mode created a local store");
        return JsonNode.Parse(await stdout)!.AsObject();
    }

    private static ProcessStartInfo Info(ServerHost server, string token, string folder, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["exec", ServeProcess.Dll, "import", "git", .. args, "--server", server.Address.ToString(), "--token", token])
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "PLUMBLINE_STORE", "PLUMBLINE_SERVER", "PLUMBLINE_TOKEN" })
        {
            info.Environment.Remove(name);
        }

        return info;
    }
}
