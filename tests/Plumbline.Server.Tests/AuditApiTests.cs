using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Plumbline.Core;
using Plumbline.Server.Contracts;
using Plumbline.Storage.Audit;

namespace Plumbline.Server.Tests;

/// <summary>Reads of others' data logged through the one read path, the audit and archive endpoints, and the curator release policy.</summary>
public sealed class AuditApiTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task CuratorReads_AreLoggedAboutTheOwner_WhoSeesThemAndNobodyElseDoes(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend, output);
        if (store is null)
        {
            return;
        }

        await using var server = await ServerHost.StartAsync(store.Store);
        using var alice = server.Client(store.Alice);
        using var bob = server.Client(store.Bob);
        using var curator = server.Client(store.Curator);
        using var admin = server.Client(store.Admin);
        var data = await AliceData.CreateAsync(alice);
        await alice.ReplayAsync(data.Document, null, null, CancellationToken.None); // her own read: not logged
        var before = await alice.AuditAsync("alice", CancellationToken.None);

        var replay = await curator.ReplayAsync(data.Document, null, null, CancellationToken.None);
        await curator.ListCommentsAsync(data.Document, null, CancellationToken.None);
        await bob.PostBatchAsync("bob-doc", AliceData.Batch("b-1", 0, "bob's"), CancellationToken.None);
        await curator.ReplayAsync("bob-doc", null, null, CancellationToken.None);

        Assert.Equal(data.Text, replay.Text);
        Assert.Empty(before.Entries);
        var after = await alice.AuditAsync("alice", CancellationToken.None);
        Assert.Equal(
            [("read", data.Document, """{"what":"replay","revision":1}"""), ("read", data.Document, """{"what":"comments","revision":1}""")],
            after.Entries.Select(e => (e.Action, e.Subject, e.Detail.GetRawText())));
        Assert.All(after.Entries, e => Assert.Matches(@"^curator \(api token \d+\)$", e.Actor));
        Assert.All(after.Entries, e => Assert.Equal("alice", e.Contributor));
        Assert.Equal(3, after.Head.Count);
        var bobs = await bob.AuditAsync("bob", CancellationToken.None);
        Assert.Equal([("bob", "bob-doc")], bobs.Entries.Select(e => (e.Contributor!, e.Subject!)));
        Assert.Equal(FailureKind.NotFound, (await Assert.ThrowsAsync<PlumblineException>(() => bob.AuditAsync("alice", CancellationToken.None))).Kind);
        Assert.Equal(FailureKind.NotFound, (await Assert.ThrowsAsync<PlumblineException>(() => curator.AuditAsync("alice", CancellationToken.None))).Kind);
        Assert.Equal(2, (await admin.AuditAsync("alice", CancellationToken.None)).Entries.Count);
        var verification = await new AuditLog(store.Store, server.Keys, TimeProvider.System).VerifyAsync(new AuditHead(after.Head.Count, after.Head.Hash), CancellationToken.None);
        Assert.True(verification.Ok, verification.Problem);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task CuratorReads_FollowCurrentConsentForResearch_AndAreRefusedAsAbsent(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend, output);
        if (store is null)
        {
            return;
        }

        var clock = new ManualClock(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));
        await using var server = await ServerHost.StartAsync(store.Store, clock);
        using var alice = server.Client(store.Alice);
        using var curator = server.Client(store.Curator);
        using var admin = server.Client(store.Admin);
        var data = await AliceData.CreateAsync(alice);
        Assert.Equal(data.Text, (await curator.ReplayAsync(data.Document, null, null, CancellationToken.None)).Text);

        await alice.SetConsentAsync("alice", new ConsentRequest(["all"], ["training"]), CancellationToken.None);
        var noResearch = await Assert.ThrowsAsync<PlumblineException>(() => curator.ReplayAsync(data.Document, null, null, CancellationToken.None));
        var events = await curator.EventsAsync(null, 0, 1000, CancellationToken.None);

        await alice.SetConsentAsync("alice", new ConsentRequest(["all"], ["research"], new DateOnly(2026, 12, 1)), CancellationToken.None);
        var embargoed = await Assert.ThrowsAsync<PlumblineException>(() => curator.GetDocumentAsync(data.Document, CancellationToken.None));
        clock.Advance(TimeSpan.FromDays(30));
        var released = await curator.GetDocumentAsync(data.Document, CancellationToken.None);

        Assert.Equal((FailureKind.NotFound, $"document: no document named '{data.Document}'"), (noResearch.Kind, noResearch.Message));
        Assert.DoesNotContain(events.Events, e => e.Contributor == "alice"); // her note outside documents too
        Assert.Equal(FailureKind.NotFound, embargoed.Kind);
        Assert.Equal(data.Document, released.Name);
        Assert.Equal(data.Text, (await admin.ReplayAsync(data.Document, null, null, CancellationToken.None)).Text);
        var audit = await alice.AuditAsync("alice", CancellationToken.None);
        Assert.Equal(
            ["read", "consent", "consent", "read", "read"],
            audit.Entries.Select(e => e.Action));
        Assert.Equal((2, "training", "alice"), (audit.Entries[1].Detail.GetProperty("version").GetInt32(), audit.Entries[1].Detail.GetProperty("uses")[0].GetString(), audit.Entries[1].Contributor));
        Assert.StartsWith("alice (api token", audit.Entries[1].Actor, StringComparison.Ordinal);
        Assert.StartsWith("admin (api token", audit.Entries[^1].Actor, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Archive_SelfGetsTheZip_OthersGet404(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend, output);
        if (store is null)
        {
            return;
        }

        await using var server = await ServerHost.StartAsync(store.Store);
        using var alice = server.Client(store.Alice);
        using var bob = server.Client(store.Bob);
        using var curator = server.Client(store.Curator);
        var data = await AliceData.CreateAsync(alice);
        using var http = server.Http(store.Alice);

        using var response = await http.GetAsync(new Uri("api/contributors/alice/archive", UriKind.Relative));
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);
        using var zip = new ZipArchive(new MemoryStream(bytes));
        Assert.Equal(
            ["events.jsonl", "documents/alice-notes/text.txt", "documents/alice-notes/revisions.jsonl", "consent.jsonl", "pauses.jsonl", "terms.json", "withdrawals.jsonl", "audit.jsonl", "manifest.json"],
            zip.Entries.Select(e => e.FullName));
        using (var reader = new StreamReader(zip.GetEntry("documents/alice-notes/text.txt")!.Open()))
        {
            Assert.Equal(data.Text, await reader.ReadToEndAsync());
        }

        using (var reader = new StreamReader(zip.GetEntry("events.jsonl")!.Open()))
        {
            var kinds = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("kind").GetString());
            Assert.Equal(["edit", "comment", "cue", "note"], kinds);
        }

        var audit = await alice.AuditAsync("alice", CancellationToken.None);
        Assert.Equal("archive", Assert.Single(audit.Entries).Action);
        Assert.Equal(FailureKind.NotFound, (await Assert.ThrowsAsync<PlumblineException>(() => bob.ArchiveAsync("alice", new MemoryStream(), CancellationToken.None))).Kind);
        Assert.Equal(FailureKind.NotFound, (await Assert.ThrowsAsync<PlumblineException>(() => curator.ArchiveAsync("alice", new MemoryStream(), CancellationToken.None))).Kind);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ApiExport_IsLoggedAndAnswersTheHead(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend, output);
        if (store is null)
        {
            return;
        }

        await using var server = await ServerHost.StartAsync(store.Store);
        using var alice = server.Client(store.Alice);
        using var curator = server.Client(store.Curator);
        await AliceData.CreateAsync(alice);

        var export = await curator.ExportTracesAsync("research", CancellationToken.None);

        var audit = await alice.AuditAsync("alice", CancellationToken.None);
        var entry = Assert.Single(audit.Entries);
        Assert.Equal("export", entry.Action);
        Assert.Equal($"{audit.Head.Count}:{audit.Head.Hash}", export.AuditHead);
    }
}
