using Plumbline.Server.Client;
using Plumbline.Server.Contracts;
using Plumbline.Storage.Documents;

namespace Plumbline.Server.Tests;

/// <summary>The event log through the API: keyset pages on seq, complete, in order, one request per page.</summary>
public sealed class LogPagingTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ManyEvents_ComeBackComplete_InOrder_InOneRequestPerPage(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend, output);
        if (store is null)
        {
            return;
        }

        await using var server = await ServerHost.StartAsync(store.Store);
        var ct = CancellationToken.None;
        using var alice = server.Client(store.Alice);
        using var bob = server.Client(store.Bob);

        // alice: two documents of 1,200 one-keystroke transactions each (many chunks), comments and notes between;
        // bob: a document and a note of his own, interleaved, which alice must not see.
        var revision = new Dictionary<string, int> { ["a1"] = 0, ["a2"] = 0, ["b1"] = 0 };
        for (var round = 0; round < 4; round++)
        {
            foreach (var (client, document) in new[] { (alice, "a1"), (alice, "a2"), (bob, "b1") })
            {
                var transactions = Enumerable.Range(0, document == "b1" ? 50 : 300)
                    .Select(i => new TransactionDto([new PatchDto(0, 0, ((char)('a' + (i % 26))).ToString())]))
                    .ToList();
                var result = await client.PostBatchAsync(document, new EditBatchRequest($"{document}-{round}", revision[document], transactions), ct);
                revision[document] = result.Revision;
            }

            await alice.AddCommentAsync("a1", new CommentRequest(0, 3, $"comment {round}"), ct);
            await alice.AddNoteAsync(new NoteRequest($"note {round}"), ct);
            await bob.AddNoteAsync(new NoteRequest($"bob's note {round}"), ct);
        }

        // What alice may see, read from the store directly: her two documents' events and her own notes.
        List<LogEntry> all;
        await using (var session = await store.Store.OpenAsync(write: false, ct))
        {
            all = await EventLog.ReadAsync(session, null, ct).ToListAsync(ct);
        }

        var aliceId = all.First(e => e.Document == "a1").ContributorId;
        var expected = all.Where(e => e.Document is "a1" or "a2" || (e.Document is null && e.ContributorId == aliceId)).Select(e => e.Id).ToList();
        Assert.Equal(2 * 4 * 300 + 4 + 4, expected.Count);
        Assert.Equal(expected.Order(), expected);

        foreach (var pageSize in new[] { 97, 1000 })
        {
            var counting = new CountingHandler { InnerHandler = new HttpClientHandler() };
            using var http = new HttpClient(counting) { BaseAddress = server.Address };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", store.Alice);
            using var paged = new PlumblineClient(http);
            var got = new List<EventDto>();
            long after = 0;
            while (true)
            {
                var page = await paged.EventsAsync(null, after, pageSize, ct);
                Assert.True(page.Events.Count <= pageSize);
                got.AddRange(page.Events);
                if (page.Next is not { } next)
                {
                    break;
                }

                Assert.Equal(page.Events[^1].Id, next);
                after = next;
            }

            Assert.Equal(expected, got.Select(e => e.Id).ToList());
            Assert.All(got, e => Assert.Equal("alice", e.Contributor));
            Assert.Equal((expected.Count + pageSize - 1) / pageSize, counting.Requests);
            output.WriteLine($"{backend}: {got.Count} events in {counting.Requests} pages of {pageSize}");
        }

        // The same through the opaque cursor (what plumb log in team mode uses): on a store nobody writes to, the
        // same events in the same order, in as many requests.
        foreach (var pageSize in new[] { 97, 1000 })
        {
            var counting = new CountingHandler { InnerHandler = new HttpClientHandler() };
            using var http = new HttpClient(counting) { BaseAddress = server.Address };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", store.Alice);
            using var paged = new PlumblineClient(http);
            var got = new List<long>();
            string? cursor = null;
            while (true)
            {
                var page = await paged.EventPageAsync(null, cursor, pageSize, ct);
                got.AddRange(page.Events.Select(e => e.Id));
                cursor = page.Cursor;
                if (!page.More)
                {
                    break;
                }
            }

            Assert.Equal(expected, got);
            Assert.Equal((expected.Count + pageSize - 1) / pageSize, counting.Requests);
        }

        // One document's log, from the middle of a chunk on: the rest of it exactly.
        var a2 = all.Where(e => e.Document == "a2").Select(e => e.Id).ToList();
        var from = a2[777];
        var rest = new List<long>();
        for (var after = from; ;)
        {
            var page = await alice.EventsAsync("a2", after, 250, ct);
            rest.AddRange(page.Events.Select(e => e.Id));
            if (page.Next is not { } next)
            {
                break;
            }

            after = next;
        }

        Assert.Equal(a2.Skip(778).ToList(), rest);
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
