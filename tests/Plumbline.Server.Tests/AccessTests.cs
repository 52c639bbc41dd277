using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plumbline.Server.Hosting;

namespace Plumbline.Server.Tests;

/// <summary>
/// Every operation the served OpenAPI document lists, tried with no token, a forged token, a revoked token
/// and another contributor's token: every one refused, and nothing of alice's changed.
/// </summary>
public sealed class AccessTests(ITestOutputHelper output)
{
    /// <summary>
    /// What bob (another contributor) gets: 403 (role), 404 (alice's data looks absent), "own" (works, on bob's data only),
    /// or "private" (a new item under the name of one of alice's: created as bob's own, as under a free name).
    /// </summary>
    private static readonly Dictionary<string, (string Bob, string? Body)> Operations = new()
    {
        ["Health"] = ("public", null),
        ["SignIn"] = ("public", null),
        ["SignOut"] = ("public", null),
        ["DocumentHistory"] = ("404", null),
        ["DocumentHistoryTimeline"] = ("404", null),
        ["DocumentHistoryWindow"] = ("404", null),
        ["ListExports"] = ("403", null),
        ["GetMe"] = ("own", null),
        ["ListContributors"] = ("own", null),
        ["AddContributor"] = ("403", """{"name":"mallory"}"""),
        ["GetContributor"] = ("404", null),
        ["SetConsent"] = ("404", """{"sources":["none"],"uses":["none"]}"""),
        ["PauseRecording"] = ("404", null),
        ["ResumeRecording"] = ("404", null),
        ["ListTerms"] = ("404", null),
        ["AddTerms"] = ("404", """{"terms":["falcon"]}"""),
        ["RemoveTerm"] = ("404", null),
        ["GetContributorSummary"] = ("404", null),
        ["Withdraw"] = ("404", """{"confirm":"alice"}"""),
        ["Redact"] = ("404", """{"from":"2000-01-01T00:00:00Z","to":"2100-01-01T00:00:00Z"}"""),
        ["ListRedactions"] = ("404", null),
        ["ListDocuments"] = ("own", null),
        ["GetDocument"] = ("404", null),
        ["ReplayDocument"] = ("404", null),
        ["PostEditBatch"] = ("404", """{"batch_id":"evil","base_revision":1,"transactions":[{"patches":[{"position":0,"delete":5,"insert":"x"}]}]}"""),
        ["ListComments"] = ("404", null),
        ["ListShares"] = ("404", null),
        ["ShareDocument"] = ("404", """{"contributor":"bob","role":"editor"}"""),
        ["RevokeShare"] = ("404", null),
        ["AddComment"] = ("404", """{"start":0,"end":1,"text":"hi"}"""),
        ["ResolveComment"] = ("404", null),
        ["ListEvents"] = ("own", null),
        ["PostTranscript"] = ("private", $$"""{"batch_id":"evil","format":"vtt","content":{{JsonSerializer.Serialize(AliceData.Vtt)}},"start":"2026-03-02T16:00:00Z"}"""),
        ["AddNote"] = ("404", """{"text":"on alice's document","document":"alice-notes"}"""),
        ["ExportTraces"] = ("403", """{"use":"research"}"""),
        ["ListTokens"] = ("403", null),
        ["CreateToken"] = ("403", """{"role":"admin"}"""),
        ["RevokeToken"] = ("403", null),
        ["ListAuditEntries"] = ("404", null),
        ["DownloadArchive"] = ("404", null),
        ["GetGitRepository"] = ("own", null),
        ["PostGitCommits"] = ("private", """{"commits":[{"id":"0123456789abcdef0123456789abcdef01234567","parents":[],"author_email":"a@lab.org","author_time":"2026-03-02T15:00:00Z","message":"start","files":[{"path":"plan.txt","status":"A","text":"a plan"}]}]}"""),
    };

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task EveryOperation_WithoutAValidTokenOrOnAnotherContributorsData_IsRefused(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend, output);
        if (store is null)
        {
            return;
        }

        await using var server = await ServerHost.StartAsync(store.Store);
        using var alice = server.Client(store.Alice);
        var data = await AliceData.CreateAsync(alice);
        await alice.AddTermsAsync("alice", ["falcon"], CancellationToken.None);
        await alice.PostGitCommitsAsync(
            "lab-tools",
            JsonSerializer.Deserialize<Contracts.GitCommitsRequest>("""{"commits":[{"id":"0123456789abcdef0123456789abcdef01234567","parents":[],"author_email":"a@lab.org","author_time":"2026-03-02T15:00:00Z","message":"start","files":[{"path":"plan.txt","status":"A","text":"a plan"}]}]}""".Replace("a plan", "the reward plan", StringComparison.Ordinal), PlumblineServer.Json)!,
            CancellationToken.None);
        // bob held a share of alice's document and it was revoked: he is a stranger to it again.
        await alice.ShareAsync(data.Document, new Contracts.ShareRequest("bob", "editor"), CancellationToken.None);
        await alice.RevokeShareAsync(data.Document, "bob", CancellationToken.None);
        var before = await SnapshotAsync(server, store.Admin, store.Alice);

        using var anonymous = server.Http(null);
        var document = await anonymous.GetFromJsonAsync<JsonObject>("openapi/v1.json");
        var operations = OperationsOf(document!);
        Assert.Equal(Operations.Keys.Order(), operations.Select(o => o.Id).Order());

        var forgedSameId = store.Revoked[..store.Revoked.LastIndexOf('_')] + "_" + new string('A', 43);
        var refusers = new (string Who, string? Token)[]
        {
            ("no token", null),
            ("forged token", forgedSameId),
            ("garbage token", "not-a-token"),
            ("revoked token", store.Revoked),
        };
        using var bob = server.Http(store.Bob);
        var tried = 0;
        foreach (var (id, method, template) in operations)
        {
            var (bobExpects, body) = Operations[id];
            var path = template
                .Replace("/api/contributors/{name}", "/api/contributors/alice", StringComparison.Ordinal)
                .Replace("{term}", "falcon", StringComparison.Ordinal)
                .Replace("/api/meetings/{name}", "/api/meetings/" + data.Meeting, StringComparison.Ordinal)
                .Replace("{name}", data.Document, StringComparison.Ordinal)
                .Replace("{contributor}", "bob", StringComparison.Ordinal)
                .Replace("/api/comments/{id}", $"/api/comments/{data.CommentId}", StringComparison.Ordinal)
                .Replace("/api/tokens/{id}", $"/api/tokens/{store.RevokedId}", StringComparison.Ordinal)
                .Replace("{repo}", "lab-tools", StringComparison.Ordinal)
                .TrimStart('/');
            Assert.DoesNotContain("{", path, StringComparison.Ordinal);
            if (bobExpects == "public")
            {
                continue;
            }

            foreach (var (who, token) in refusers)
            {
                using var http = server.Http(token);
                using var response = await http.SendAsync(Request(method, path, body));
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} with {who}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
                Assert.Equal("unauthorized", (string?)problem!["kind"]);
                tried++;
            }

            using var asBob = await bob.SendAsync(Request(method, path, body));
            var text = await asBob.Content.ReadAsStringAsync();
            switch (bobExpects)
            {
                case "403":
                    Assert.True(asBob.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} as bob: {(int)asBob.StatusCode} {text}");
                    break;
                case "404":
                    Assert.True(asBob.StatusCode == HttpStatusCode.NotFound, $"{method} {path} as bob: {(int)asBob.StatusCode} {text}");
                    break;
                case "private":
                    Assert.True(asBob.IsSuccessStatusCode, $"{method} {path} as bob: {(int)asBob.StatusCode} {text}");
                    Assert.DoesNotContain("reward", text, StringComparison.Ordinal);
                    Assert.DoesNotContain("~", text, StringComparison.Ordinal);
                    break;
                default:
                    Assert.True(asBob.IsSuccessStatusCode, $"{method} {path} as bob: {(int)asBob.StatusCode} {text}");
                    Assert.DoesNotContain("alice", text, StringComparison.Ordinal);
                    Assert.DoesNotContain("reward", text, StringComparison.Ordinal);
                    break;
            }

            tried++;
        }

        output.WriteLine($"{operations.Count} operations in the OpenAPI document; {tried} refused attempts checked");
        Assert.Equal(before, await SnapshotAsync(server, store.Admin, store.Alice));
        Assert.Equal(data.Text, (await alice.ReplayAsync(data.Document, null, null, CancellationToken.None)).Text);
    }

    [Fact]
    public async Task AnotherContributorsDocument_AnswersExactlyAsAMissingOne()
    {
        await using var store = await TestStore.CreateAsync(Backends.Sqlite, output);
        await using var server = await ServerHost.StartAsync(store!.Store);
        using var alice = server.Client(store.Alice);
        await alice.PostBatchAsync("secret-plan", AliceData.Batch("a", 0, "text"), CancellationToken.None);
        using var bob = server.Http(store.Bob);
        foreach (var (method, suffix, body) in new[] { ("GET", "", null), ("GET", "/text", null), ("GET", "/comments", null), ("POST", "/comments", """{"start":0,"end":1,"text":"x"}""") })
        {
            using var existing = await bob.SendAsync(Request(method, $"api/documents/secret-plan{suffix}", body));
            using var missing = await bob.SendAsync(Request(method, $"api/documents/secret-plam{suffix}", body));
            Assert.Equal(HttpStatusCode.NotFound, existing.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal(
                Strip(await missing.Content.ReadAsStringAsync()).Replace("secret-plam", "secret-plan", StringComparison.Ordinal),
                Strip(await existing.Content.ReadAsStringAsync()));
        }

        // Appending to it (base 1) answers as appending to a missing document does.
        const string append = """{"batch_id":"x","base_revision":1,"transactions":[{"patches":[{"position":0,"delete":0,"insert":"x"}]}]}""";
        using var onExisting = await bob.SendAsync(Request("POST", "api/documents/secret-plan/batches", append));
        using var onMissing = await bob.SendAsync(Request("POST", "api/documents/secret-plam/batches", append));
        Assert.Equal(HttpStatusCode.NotFound, onExisting.StatusCode);
        Assert.Equal(
            Strip(await onMissing.Content.ReadAsStringAsync()).Replace("secret-plam", "secret-plan", StringComparison.Ordinal),
            Strip(await onExisting.Content.ReadAsStringAsync()));
        Assert.Equal("text", (await alice.ReplayAsync("secret-plan", null, null, CancellationToken.None)).Text);
    }

    /// <summary>
    /// A new document (or meeting) under a name that another contributor's document already has is created as the
    /// caller's own, answering exactly as under a free name, and from then on the name reaches the caller's document.
    /// </summary>
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task NewDocumentUnderATakenName_AnswersAsUnderAFreeName_AndStaysTheCallersOwn(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend, output);
        if (store is null)
        {
            return;
        }

        await using var server = await ServerHost.StartAsync(store.Store);
        var ct = CancellationToken.None;
        using var alice = server.Client(store.Alice);
        using var admin = server.Client(store.Admin);
        var data = await AliceData.CreateAsync(alice);
        using var bob = server.Http(store.Bob);
        async Task<(HttpStatusCode Status, string Body)> Send(string method, string path, string? body)
        {
            using var response = await bob.SendAsync(Request(method, path, body));
            return (response.StatusCode, Strip(await response.Content.ReadAsStringAsync()));
        }

        // Taken (alice-notes) and free (free-notes): the same answers, request for request.
        var requests = new (string Method, string Suffix, string? Body)[]
        {
            ("POST", "/batches", """{"batch_id":"b1","base_revision":0,"transactions":[{"patches":[{"position":0,"delete":0,"insert":"bob's own text"}]}]}"""),
            ("POST", "/batches", """{"batch_id":"b1","base_revision":0,"transactions":[{"patches":[{"position":0,"delete":0,"insert":"bob's own text"}]}]}"""),
            ("POST", "/batches", """{"batch_id":"b2","base_revision":0,"transactions":[{"patches":[{"position":0,"delete":0,"insert":"stale"}]}]}"""),
            ("POST", "/batches", """{"batch_id":"b3","base_revision":1,"transactions":[{"patches":[{"position":99,"delete":0,"insert":"x"}]}]}"""),
            ("POST", "/batches", """{"batch_id":"b4","base_revision":1,"transactions":[{"patches":[{"position":0,"delete":0,"insert":"> "}]}]}"""),
            ("GET", "", null),
            ("GET", "/text", null),
            ("GET", "/text?revision=9", null),
            ("POST", "/comments", """{"start":0,"end":5,"text":"mine"}"""),
            ("GET", "/comments", null),
        };
        foreach (var (method, suffix, body) in requests)
        {
            var taken = await Send(method, $"api/documents/{data.Document}{suffix}", body?.Replace("\"batch_id\":\"", "\"batch_id\":\"taken-", StringComparison.Ordinal));
            var free = await Send(method, $"api/documents/free-notes{suffix}", body?.Replace("\"batch_id\":\"", "\"batch_id\":\"free-", StringComparison.Ordinal));
            Assert.Equal(free.Status, taken.Status);
            Assert.Equal(
                System.Text.RegularExpressions.Regex.Replace(free.Body.Replace("free-notes", data.Document, StringComparison.Ordinal), "\"(id|created_at|last_time|time)\":[^,}]*", ""),
                System.Text.RegularExpressions.Regex.Replace(taken.Body, "\"(id|created_at|last_time|time)\":[^,}]*", ""));
            output.WriteLine($"{method} {suffix}: {(int)taken.Status} {taken.Body}");
        }

        var meetingBody = $$$"""{"batch_id":"m1","format":"vtt","content":{{{JsonSerializer.Serialize(AliceData.Vtt)}}},"start":"2026-03-02T16:00:00Z","speakers":{"Bob":"bob"}}""";
        var takenMeeting = await Send("POST", $"api/meetings/{data.Meeting}/transcripts", meetingBody);
        var freeMeeting = await Send("POST", "api/meetings/free-meeting/transcripts", meetingBody.Replace("m1", "m2", StringComparison.Ordinal));
        Assert.Equal((HttpStatusCode.OK, freeMeeting.Body.Replace("free-meeting", data.Meeting, StringComparison.Ordinal)), takenMeeting);

        // bob sees his own documents under the names he gave; alice's are untouched; a curator or admin sees the stored names.
        using var bobClient = server.Client(store.Bob);
        Assert.Equal(
            ["alice-meeting", "alice-notes", "free-meeting", "free-notes"],
            (await bobClient.ListDocumentsAsync(ct)).Documents.Select(d => d.Name).Order(StringComparer.Ordinal));
        Assert.Equal("> bob's own text", (await bobClient.ReplayAsync(data.Document, null, null, ct)).Text);
        Assert.Equal(data.Text, (await alice.ReplayAsync(data.Document, null, null, ct)).Text);
        var bobEvents = await bobClient.EventsAsync(null, 0, 1000, ct);
        Assert.NotEmpty(bobEvents.Events);
        Assert.All(bobEvents.Events, e => Assert.True(e.Contributor != "alice" && e.Document?.StartsWith('~') != true, $"{e.Id}: {e.Contributor} {e.Document}"));
        var bobId = (await admin.GetContributorAsync("bob", ct)).Id;
        var stored = (await admin.ListDocumentsAsync(ct)).Documents.Select(d => d.Name).ToHashSet();
        Assert.Contains($"~{bobId}/alice-notes", stored);
        Assert.Contains($"~{bobId}/alice-meeting", stored);
        Assert.Equal("> bob's own text", (await admin.ReplayAsync($"~{bobId}/alice-notes", null, null, ct)).Text);

        // The reserved form is refused for any name, taken or not (which says nothing about what exists).
        var reserved = await Send("POST", "api/documents/~1%2Fx/batches", """{"batch_id":"r","base_revision":0,"transactions":[{"patches":[{"position":0,"delete":0,"insert":"x"}]}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, reserved.Status);
        Assert.Contains("names of the form ~NUMBER/… are reserved", reserved.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CuratorAndAdminTokens_ActForNoContributor_SoWritesAreRefused()
    {
        await using var store = await TestStore.CreateAsync(Backends.Sqlite, output);
        await using var server = await ServerHost.StartAsync(store!.Store);
        foreach (var token in new[] { store.Curator, store.Admin })
        {
            using var http = server.Http(token);
            using var response = await http.SendAsync(Request("POST", "api/documents/d/batches", """{"batch_id":"x","base_revision":0,"transactions":[{"patches":[{"position":0,"delete":0,"insert":"x"}]}]}"""));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using var curator = server.Http(store.Curator);
        using var tokens = await curator.GetAsync("api/tokens");
        Assert.Equal(HttpStatusCode.Forbidden, tokens.StatusCode);
    }

    private static string Strip(string problem) => System.Text.RegularExpressions.Regex.Replace(problem, "\"trace_id\":\"[^\"]*\"", "");

    private static HttpRequestMessage Request(string method, string path, string? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return request;
    }

    private static List<(string Id, string Method, string Path)> OperationsOf(JsonObject document)
    {
        var list = new List<(string, string, string)>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                list.Add(((string)operation!["operationId"]!, method.ToUpperInvariant(), path));
            }
        }

        return list;
    }

    /// <summary>Everything an admin can see, as one string: documents, contributors, tokens, all events.</summary>
    /// <summary>Everything of alice's (as she sees it), and the contributors and tokens.</summary>
    private static async Task<string> SnapshotAsync(ServerHost server, string admin, string alice)
    {
        using var client = server.Client(admin);
        using var owner = server.Client(alice);
        var documents = await owner.ListDocumentsAsync(CancellationToken.None);
        var contributors = await client.ListContributorsAsync(CancellationToken.None);
        var tokens = await client.ListTokensAsync(CancellationToken.None);
        var events = await owner.EventsAsync(null, 0, 100_000, CancellationToken.None);
        var terms = await client.TermsAsync("alice", CancellationToken.None);
        var shares = new List<Contracts.ShareListResponse>();
        foreach (var document in documents.Documents)
        {
            shares.Add(await owner.ListSharesAsync(document.Name, CancellationToken.None));
        }

        return JsonSerializer.Serialize(new { documents, contributors, tokens, events, terms, shares }, PlumblineServer.Json);
    }
}
