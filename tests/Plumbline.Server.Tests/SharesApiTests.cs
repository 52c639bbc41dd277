using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Plumbline.Core;
using Plumbline.Core.Consent;
using Plumbline.Server.Contracts;
using Plumbline.Storage;
using Plumbline.Storage.Access;
using Plumbline.Storage.Consent;

namespace Plumbline.Server.Tests;

/// <summary>Sharing a document with a reviewer or an editor through the API (Documents/SharesApi, DataReads visibility).</summary>
public sealed class SharesApiTests(ITestOutputHelper output)
{
    private const string Shared = "~alice/alice-notes";
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Reviewer_ReadsAndComments_CannotEdit_AndRevocationEndsAccessAtOnce(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend, output);
        if (store is null)
        {
            return;
        }

        await using var server = await ServerHost.StartAsync(store.Store);
        using var alice = server.Client(store.Alice);
        using var bob = server.Client(store.Bob);
        var data = await AliceData.CreateAsync(alice);
        await bob.PostBatchAsync("alice-notes", AliceData.Batch("bob-own", 0, "bob's own notes"), Ct); // bob's own document under the same name

        var granted = await alice.ShareAsync(data.Document, new ShareRequest("bob"), Ct);
        Assert.Equal(("bob", "reviewer", "alice", "alice", (string?)null), (granted.Contributor, granted.Role, granted.Owner, granted.GrantedBy, granted.RevokedBy));
        Assert.Empty(granted.WithheldBy);

        // bob sees both documents, each under a name he can use; the shared one says whose it is and his role.
        var listed = (await bob.ListDocumentsAsync(Ct)).Documents;
        Assert.Equal(["alice-notes", Shared], listed.Select(d => d.Name).Order(StringComparer.Ordinal));
        Assert.Equal(new SharedWithMeDto("alice", "reviewer"), listed.Single(d => d.Name == Shared).Shared);
        Assert.Null(listed.Single(d => d.Name == "alice-notes").Shared);
        Assert.Equal("bob's own notes", (await bob.ReplayAsync("alice-notes", null, null, Ct)).Text);
        var replay = await bob.ReplayAsync(Shared, null, null, Ct);
        Assert.Equal((Shared, data.Text), (replay.Document, replay.Text));
        Assert.Equal("cite this", Assert.Single((await bob.ListCommentsAsync(Shared, null, Ct)).Comments).Text);
        using var http = server.Http(store.Bob);
        var history = await http.GetFromJsonAsync<JsonObject>($"api/documents/{Uri.EscapeDataString(Shared)}/history");
        Assert.Equal(Shared, (string?)history!["document"]);
        Assert.All((await bob.EventsAsync(Shared, 0, 1000, Ct)).Events, e => Assert.Equal(Shared, e.Document));

        // Comment: yes. Edit: 403, nothing stored.
        var comment = await bob.AddCommentAsync(Shared, new CommentRequest(0, 7, "Is this still private?"), Ct);
        Assert.True(comment.Stored);
        var edit = await Assert.ThrowsAsync<PlumblineException>(() => bob.PostBatchAsync(Shared, AliceData.Batch("bob-edit", 1, "x"), Ct));
        Assert.Equal(FailureKind.Refused, edit.Kind);
        Assert.Contains($"document '{Shared}': it is shared with you as a reviewer, who reads and comments but does not edit", edit.Message, StringComparison.Ordinal);
        Assert.Equal(data.Text, (await alice.ReplayAsync(data.Document, null, null, Ct)).Text);

        // Resolving is the owner's (or an editor's): bob's is 403, nothing stored. alice sees his comment and resolves it.
        var notYours = await Assert.ThrowsAsync<PlumblineException>(() => bob.ResolveCommentAsync(comment.Id!.Value, Ct));
        Assert.Equal(
            (FailureKind.Refused, $"comment {comment.Id}: its document is shared with you as a reviewer, who comments but does not resolve (its owner or an editor does)"),
            (notYours.Kind, notYours.Message));
        Assert.Null((await alice.ListCommentsAsync(data.Document, null, Ct)).Comments.Single(c => c.Id == comment.Id).ResolvedBy);
        var theirs = (await alice.ListCommentsAsync(data.Document, null, Ct)).Comments.Single(c => c.Author == "bob");
        Assert.Equal(("Is this still private?", "Private", 1), (theirs.Text, theirs.Quote, theirs.CreatedRevision));
        Assert.True((await alice.ResolveCommentAsync(theirs.Id, Ct)).Stored);
        Assert.Equal("alice", (await bob.ListCommentsAsync(Shared, null, Ct)).Comments.Single(c => c.Id == theirs.Id).ResolvedBy);

        // Every read of bob's is in alice's audit log; so are the grant and (below) the revocation.
        var audit = (await alice.AuditAsync("alice", Ct)).Entries;
        var reads = audit.Where(e => e.Action == "read" && e.Actor.StartsWith("bob (api token", StringComparison.Ordinal)).ToList();
        Assert.Equal(["comments", "comments", "events", "history", "replay"], reads.Select(e => e.Detail.GetProperty("what").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(reads, e => Assert.Equal(("alice", "alice-notes"), (e.Contributor, e.Subject)));
        Assert.Single(audit, e => e.Action == "share" && e.Detail.GetProperty("what").GetString() == "granted");

        var revoked = await alice.RevokeShareAsync(data.Document, "bob", Ct);
        Assert.Equal("alice", revoked.RevokedBy);
        Assert.Equal(["alice-notes"], (await bob.ListDocumentsAsync(Ct)).Documents.Select(d => d.Name));
        await AssertAnswersAsMissingAsync(server.Http(store.Bob), Shared, "~alice/no-such-notes");
        var resolve = await Assert.ThrowsAsync<PlumblineException>(() => bob.ResolveCommentAsync(comment.Id!.Value, Ct));
        Assert.Equal(FailureKind.NotFound, resolve.Kind);
        Assert.Equal(["granted", "revoked"], (await bob.AuditAsync("bob", Ct)).Entries.Where(e => e.Action == "share").Select(e => e.Detail.GetProperty("what").GetString()));
    }

    /// <summary>An editor edits; once revoked, the text they wrote keeps the document closed to the other grantees (their consent covered the share).</summary>
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Editor_Edits_AndARevokedEditorsText_ClosesTheDocumentToOtherGrantees(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend, output);
        if (store is null)
        {
            return;
        }

        await using var server = await ServerHost.StartAsync(store.Store);
        var carolToken = await AddContributorAsync(store, "carol");
        using var alice = server.Client(store.Alice);
        using var bob = server.Client(store.Bob);
        using var carol = server.Client(carolToken);
        var data = await AliceData.CreateAsync(alice);

        Assert.Equal("editor", (await alice.ShareAsync(data.Document, new ShareRequest("bob", "editor"), Ct)).Role);
        var edited = await bob.PostBatchAsync(Shared, AliceData.Batch("bob-1", 1, "Edited by bob. "), Ct);
        Assert.Equal((Shared, 2), (edited.Document, edited.Revision));
        Assert.Equal("Edited by bob. " + data.Text, (await alice.ReplayAsync(data.Document, null, null, Ct)).Text);

        // An editor also resolves comments (alice's, on the shared document).
        var aliceComment = (await alice.ListCommentsAsync(data.Document, null, Ct)).Comments.Single();
        Assert.True((await bob.ResolveCommentAsync(aliceComment.Id, Ct)).Stored);
        Assert.Equal("bob", (await alice.ListCommentsAsync(data.Document, null, Ct)).Comments.Single().ResolvedBy);

        await alice.ShareAsync(data.Document, new ShareRequest("carol"), Ct);
        Assert.Equal("Edited by bob. " + data.Text, (await carol.ReplayAsync(Shared, null, null, Ct)).Text);

        await alice.RevokeShareAsync(data.Document, "bob", Ct);
        var shares = await alice.ListSharesAsync(data.Document, Ct);
        Assert.Equal(("alice-notes", "alice"), (shares.Document, shares.Owner));
        Assert.Equal(["carol", "bob"], shares.Shares.Select(s => s.Contributor));
        Assert.Equal(["bob"], shares.Shares[0].WithheldBy);
        Assert.NotNull(shares.Shares[1].RevokedAt);
        await AssertAnswersAsMissingAsync(server.Http(carolToken), Shared, "~alice/no-such-notes");
        await AssertAnswersAsMissingAsync(server.Http(store.Bob), Shared, "~alice/no-such-notes");

        // Shared with bob again: both see it.
        await alice.ShareAsync(data.Document, new ShareRequest("bob", "reviewer"), Ct);
        Assert.Equal("Edited by bob. " + data.Text, (await carol.ReplayAsync(Shared, null, null, Ct)).Text);
        Assert.Equal("Edited by bob. " + data.Text, (await bob.ReplayAsync(Shared, null, null, Ct)).Text);
    }

    /// <summary>A meeting shared with an editor takes their transcripts under its shared name; a reviewer's is 403, nothing stored.</summary>
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Editor_PostsATranscriptToASharedMeeting_AReviewerCannot(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend, output);
        if (store is null)
        {
            return;
        }

        await using var server = await ServerHost.StartAsync(store.Store);
        var carolToken = await AddContributorAsync(store, "carol");
        using var alice = server.Client(store.Alice);
        using var bob = server.Client(store.Bob);
        using var carol = server.Client(carolToken);
        var data = await AliceData.CreateAsync(alice);
        await alice.ShareAsync(data.Meeting, new ShareRequest("bob", "editor"), Ct);
        await alice.ShareAsync(data.Meeting, new ShareRequest("carol", "reviewer"), Ct);
        const string Meeting = "~alice/alice-meeting";
        const string Vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Bob>The follow-up: rewards look stable now.\n";
        var request = new TranscriptRequest("bob-vtt", "vtt", Vtt, DateTimeOffset.Parse("2026-03-03T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture), new Dictionary<string, string> { ["Bob"] = "bob" });

        var posted = await bob.PostTranscriptAsync(Meeting, request, Ct);
        Assert.Equal((Meeting, 1, 1, false), (posted.Meeting, posted.Cues, posted.StoredCues, posted.AlreadyStored));
        Assert.True((await bob.PostTranscriptAsync(Meeting, request, Ct)).AlreadyStored);
        var text = (await alice.ReplayAsync(data.Meeting, null, null, Ct)).Text;
        Assert.Contains("We should log the reward per step.", text, StringComparison.Ordinal);
        Assert.Contains("The follow-up: rewards look stable now.", text, StringComparison.Ordinal);

        var refused = await Assert.ThrowsAsync<PlumblineException>(() => carol.PostTranscriptAsync(Meeting, request with { BatchId = "carol-vtt", Speakers = null }, Ct));
        Assert.Equal(FailureKind.Refused, refused.Kind);
        Assert.Contains($"document '{Meeting}': it is shared with you as a reviewer, who reads and comments but does not edit", refused.Message, StringComparison.Ordinal);
        Assert.Equal(text, (await alice.ReplayAsync(data.Meeting, null, null, Ct)).Text);
        Assert.DoesNotContain((await carol.ListDocumentsAsync(Ct)).Documents, d => d.Name == "alice-meeting");
    }

    /// <summary>
    /// A stranger cannot tell that a document exists or is shared with others: every document and share endpoint
    /// answers as for a missing document. The grantee may not manage shares (403), nor may a curator.
    /// </summary>
    [Fact]
    public async Task Stranger_CannotTellASharedDocumentExists_AndOnlyTheOwnerOrAdminManagesShares()
    {
        await using var store = await TestStore.CreateAsync(Backends.Sqlite, output);
        await using var server = await ServerHost.StartAsync(store!.Store);
        var carolToken = await AddContributorAsync(store, "carol");
        using var alice = server.Client(store.Alice);
        var data = await AliceData.CreateAsync(alice);
        await alice.ShareAsync(data.Document, new ShareRequest("carol"), Ct);

        await AssertAnswersAsMissingAsync(server.Http(store.Bob), data.Document, "alice-nothing");
        await AssertAnswersAsMissingAsync(server.Http(store.Bob), Shared, "~alice/alice-nothing");
        Assert.DoesNotContain("alice", await server.Http(store.Bob).GetStringAsync("api/documents"), StringComparison.Ordinal);

        using var carol = server.Http(carolToken);
        foreach (var (method, path, body) in new[]
        {
            ("GET", "shares", null),
            ("POST", "shares", """{"contributor":"bob","role":"reviewer"}"""),
            ("DELETE", "shares/carol", null),
        })
        {
            using var asCarol = await carol.SendAsync(Request(method, $"api/documents/{Uri.EscapeDataString(Shared)}/{path}", body));
            Assert.Equal(HttpStatusCode.Forbidden, asCarol.StatusCode);
            using var asCurator = await server.Http(store.Curator).SendAsync(Request(method, $"api/documents/{data.Document}/{path}", body));
            Assert.Equal(HttpStatusCode.Forbidden, asCurator.StatusCode);
        }

        // An admin shares for the owner; bad input names the field.
        using var admin = server.Client(store.Admin);
        var byAdmin = await admin.ShareAsync(data.Document, new ShareRequest("bob", "editor"), Ct);
        Assert.Equal(("alice", "editor"), (byAdmin.Owner, byAdmin.Role));
        Assert.StartsWith("admin (api token", byAdmin.GrantedBy, StringComparison.Ordinal);
        var badRole = await Assert.ThrowsAsync<PlumblineException>(() => alice.ShareAsync(data.Document, new ShareRequest("bob", "owner"), Ct));
        Assert.Equal((FailureKind.BadInput, "$.role: 'owner' is not a share role (reviewer or editor)"), (badRole.Kind, badRole.Message));
        var self = await Assert.ThrowsAsync<PlumblineException>(() => alice.ShareAsync(data.Document, new ShareRequest("alice"), Ct));
        Assert.Equal((FailureKind.BadInput, "contributor: 'alice' owns document 'alice-notes'; an owner needs no share"), (self.Kind, self.Message));
        var nobody = await Assert.ThrowsAsync<PlumblineException>(() => alice.RevokeShareAsync(data.Document, "nobody", Ct));
        Assert.Equal((FailureKind.NotFound, "contributor: 'nobody' holds no share of document 'alice-notes'"), (nobody.Kind, nobody.Message));
    }

    /// <summary>Each document request for <paramref name="name"/> answers exactly as for the missing <paramref name="missing"/>.</summary>
    private static async Task AssertAnswersAsMissingAsync(HttpClient http, string name, string missing)
    {
        using var _ = http;
        foreach (var (method, suffix, body) in new[]
        {
            ("GET", "", null),
            ("GET", "/text", null),
            ("GET", "/comments", null),
            ("GET", "/history", null),
            ("GET", "/shares", null),
            ("POST", "/comments", """{"start":0,"end":1,"text":"x"}"""),
            ("POST", "/shares", """{"contributor":"bob"}"""),
            ("DELETE", "/shares/bob", null),
            ("POST", "/batches", """{"batch_id":"x","base_revision":1,"transactions":[{"patches":[{"position":0,"delete":0,"insert":"x"}]}]}"""),
        })
        {
            using var existing = await http.SendAsync(Request(method, $"api/documents/{Uri.EscapeDataString(name)}{suffix}", body));
            using var absent = await http.SendAsync(Request(method, $"api/documents/{Uri.EscapeDataString(missing)}{suffix}", body));
            var text = Strip(await existing.Content.ReadAsStringAsync());
            // Writing a batch under a reserved ~X/… name that is not an active share is refused as bad input, whatever exists.
            var expected = suffix == "/batches" && name.StartsWith('~') ? HttpStatusCode.BadRequest : HttpStatusCode.NotFound;
            Assert.True(existing.StatusCode == expected, $"{method} {name}{suffix}: {(int)existing.StatusCode} {text}");
            Assert.Equal(expected, absent.StatusCode);
            Assert.Equal(Strip(await absent.Content.ReadAsStringAsync()).Replace(missing, name, StringComparison.Ordinal), text);
        }
    }

    private static async Task<string> AddContributorAsync(TestStore store, string name)
    {
        var contributors = new ContributorService(store.Store, TimeProvider.System);
        await contributors.AddAsync(name, Ct);
        await contributors.SetConsentAsync(name, new ConsentTerms(ConsentTerms.ParseSources("all", "sources"), ConsentTerms.ParseUses("all", "uses"), null), null, "test", Ct);
        return (await new TokenService(store.Store, TimeProvider.System).CreateAsync(ApiRole.Contributor, name, "test " + name, "test", Ct)).Secret;
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
}
