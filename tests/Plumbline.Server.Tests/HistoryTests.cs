using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Plumbline.Core.Capture;
using Plumbline.Core.Capture.Traces;
using Plumbline.Core.Text;
using Plumbline.Server.Contracts;
using Plumbline.Server.Hosting;
using Plumbline.Storage;
using Plumbline.Storage.Ingest;

namespace Plumbline.Server.Tests;

/// <summary>
/// The windowed history (/history/timeline and /history/revisions) over a real keystroke trace stored with small
/// chunks and frequent snapshots, so windows start inside chunks, on chunk and snapshot boundaries, and far from
/// any snapshot. The text of every window is checked against the trace file replayed independently.
/// </summary>
public sealed class HistoryTests(ITestOutputHelper output)
{
    /// <summary>sveltecomponent.json.gz, as published in realdata/MANIFEST.md.</summary>
    private const int Transactions = 18335;
    private const long CharsInserted = 93984;
    private const long CharsDeleted = 75533;
    private const int EndLength = 18451;

    /// <summary>Alice types the first 6000 transactions, bob the next 6000, alice the rest.</summary>
    private static string AuthorOf(int transaction) => transaction < 6000 || transaction >= 12000 ? "alice" : "bob";

    private static readonly StoreOptions SmallChunks = new() { ChunkRevisions = 700, SnapshotEveryPatches = 4000 };

    private sealed record Trace(EditingTrace Parsed, string Document);

    /// <summary>The trace stored as document "svelte" by alice and bob; null (reported skipped) without the real data or PostgreSQL.</summary>
    private async Task<(TestStore Store, Trace Trace)?> SeedAsync(string backend)
    {
        var path = RealData.Find("editing-traces/sveltecomponent.json.gz", output.WriteLine);
        if (path is null)
        {
            return null;
        }

        var store = await TestStore.CreateAsync(backend, output);
        if (store is null)
        {
            return null;
        }

        var parsed = EditingTraceReader.Parse(await File.ReadAllBytesAsync(path), "sveltecomponent.json.gz", 0);
        var transactions = parsed.Transactions.Select((t, i) => t with { Author = AuthorOf(i) }).ToList();
        await new EditIngest(store.Store, TimeProvider.System, SmallChunks).IngestAsync(
            new EditBatch
            {
                Document = "svelte",
                StartContent = parsed.StartContent,
                Transactions = transactions,
                Actor = "alice",
                AuthorMap = new Dictionary<string, string> { ["alice"] = "alice", ["bob"] = "bob" },
                BatchId = "history-test",
                ExpectedEnd = parsed.EndContent,
            },
            null,
            CancellationToken.None);
        return (store, new Trace(parsed with { Transactions = transactions }, "svelte"));
    }

    /// <summary>The trace file replayed to <paramref name="revision"/>, with who typed each code point (independent of the store).</summary>
    private static (string Text, string?[] Authors) Replay(EditingTrace trace, int revision)
    {
        var text = new TextBuffer(trace.StartContent);
        var authors = new List<string?>(Enumerable.Repeat<string?>(null, CodePoints.Count(trace.StartContent)));
        foreach (var t in trace.Transactions.Take(revision))
        {
            foreach (var p in t.Patches)
            {
                text.Apply(p);
                authors.RemoveRange(p.Position, p.Delete);
                authors.InsertRange(p.Position, Enumerable.Repeat(t.Author, CodePoints.Count(p.Insert)));
            }
        }

        return (text.ToString(), authors.ToArray());
    }

    private static string?[] Expand(IReadOnlyList<HistoryAuthorRunDto> runs) =>
        runs.SelectMany(r => Enumerable.Repeat(r.Contributor, r.Length)).ToArray();

    private static Task<HistoryWindowResponse?> WindowAsync(HttpClient http, string document, int from, int count) =>
        http.GetFromJsonAsync<HistoryWindowResponse>($"api/documents/{document}/history/revisions?from={from}&count={count}", PlumblineServer.Json);

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Windows_start_from_the_exact_text_and_authors_at_their_base_and_replay_to_the_trace(string backend)
    {
        if (await SeedAsync(backend) is not var (store, trace))
        {
            return;
        }

        await using var _ = store;
        await using var server = await ServerHost.StartAsync(store.Store);
        using var http = server.Http(store.Alice);
        // 0: the start; 700/701: a chunk boundary; 5999/6000/6001: the change of author; 4000-ish: snapshots; the end.
        int[] bases = [0, 1, 699, 700, 701, 3999, 4000, 5999, 6000, 6001, 9876, 12000, 17777, Transactions - 1];
        foreach (var at in bases)
        {
            var window = (await WindowAsync(http, trace.Document, at + 1, 300))!;
            var expected = Replay(trace.Parsed, at);
            Assert.Equal((at, at + 1, Math.Min(at + 300, Transactions)), (window.BaseRevision, window.From, window.To));
            Assert.Equal(expected.Text, window.Text);
            Assert.Equal(expected.Authors, Expand(window.Authors));
            var replay = await http.GetFromJsonAsync<ReplayResponse>($"api/documents/{trace.Document}/text?revision={at}", PlumblineServer.Json);
            Assert.Equal(replay!.Text, window.Text);

            // The window's own patches carry the text to its last revision exactly.
            var text = new TextBuffer(window.Text);
            Assert.Equal(Enumerable.Range(window.From, window.To - window.From + 1), window.History.Select(r => r.Revision));
            foreach (var r in window.History)
            {
                Assert.Equal(AuthorOf(r.Revision - 1), r.Contributor);
                foreach (var p in r.Patches)
                {
                    text.Apply(new Patch(p.Position, p.Delete, p.Insert));
                }
            }

            Assert.Equal(Replay(trace.Parsed, window.To).Text, text.ToString());
        }

        output.WriteLine($"{bases.Length} windows checked against the trace replayed independently ({backend})");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Window_boundaries_and_the_maximum_count_are_exact_and_out_of_range_asks_name_the_field(string backend)
    {
        if (await SeedAsync(backend) is not var (store, trace))
        {
            return;
        }

        await using var _ = store;
        await using var server = await ServerHost.StartAsync(store.Store);
        using var http = server.Http(store.Alice);

        var max = (await WindowAsync(http, trace.Document, 1, 5000))!;
        Assert.Equal((1, 5000, 5000), (max.From, max.To, max.History.Count));
        Assert.Equal("", max.Text);
        var next = (await WindowAsync(http, trace.Document, 5001, 5000))!;
        Assert.Equal((5001, 10000), (next.History[0].Revision, next.History[^1].Revision));

        var tail = (await WindowAsync(http, trace.Document, Transactions - 9, 1000))!;
        Assert.Equal((Transactions - 9, Transactions, 10), (tail.From, tail.To, tail.History.Count));
        var end = (await WindowAsync(http, trace.Document, Transactions + 1, 1000))!;
        Assert.Equal((Transactions, Transactions + 1, Transactions, 0), (end.BaseRevision, end.From, end.To, end.History.Count));
        Assert.Equal(trace.Parsed.EndContent, end.Text);
        Assert.Equal(EndLength, end.Authors.Sum(a => a.Length));
        var empty = (await WindowAsync(http, trace.Document, 42, 0))!;
        Assert.Equal((41, 42, 41, 0), (empty.BaseRevision, empty.From, empty.To, empty.History.Count));
        Assert.Equal(Replay(trace.Parsed, 41).Text, empty.Text);
        var byDefault = (await http.GetFromJsonAsync<HistoryWindowResponse>($"api/documents/{trace.Document}/history/revisions", PlumblineServer.Json))!;
        Assert.Equal((0, 1, 1000), (byDefault.BaseRevision, byDefault.From, byDefault.To));

        foreach (var (query, field, message) in new[]
        {
            ("from=1&count=5001", "count", "count: a window holds 0 to 5000 revisions (asked for 5001)"),
            ("from=1&count=-1", "count", "count: a window holds 0 to 5000 revisions (asked for -1)"),
            ("from=0&count=10", "from", $"from: document 'svelte' has revisions 1 to {Transactions}; a window starts at 1 to {Transactions + 1} (asked for 0)"),
            ($"from={Transactions + 2}", "from", $"from: document 'svelte' has revisions 1 to {Transactions}; a window starts at 1 to {Transactions + 1} (asked for {Transactions + 2})"),
        })
        {
            using var response = await http.GetAsync($"api/documents/{trace.Document}/history/revisions?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(message, problem.GetProperty("detail").GetString());
            Assert.StartsWith(field + ":", message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task The_timeline_covers_the_whole_history_with_the_published_totals_author_bands_and_comments_quoted_as_made(string backend)
    {
        if (await SeedAsync(backend) is not var (store, trace))
        {
            return;
        }

        await using var _ = store;
        await using var server = await ServerHost.StartAsync(store.Store);
        using var http = server.Http(store.Alice);
        using var bob = server.Client(store.Bob);
        var atComment = Replay(trace.Parsed, Transactions).Text;
        var quote = atComment.IndexOf("<script", StringComparison.Ordinal);
        Assert.True(quote >= 0);
        // Bob typed part of svelte, so he may comment on it; alice resolves it after one more edit.
        var comment = await bob.AddCommentAsync(trace.Document, new CommentRequest(quote, quote + 7, "why a script tag here?"), CancellationToken.None);
        using var alice = server.Client(store.Alice);
        await alice.PostBatchAsync(trace.Document, new EditBatchRequest("after", Transactions, [new TransactionDto([new PatchDto(0, 0, "<!-- reviewed -->\n")])]), CancellationToken.None);
        await alice.ResolveCommentAsync(comment.Id!.Value, CancellationToken.None);

        var timeline = (await http.GetFromJsonAsync<HistoryTimelineResponse>($"api/documents/{trace.Document}/history/timeline", PlumblineServer.Json))!;
        var total = Transactions + 1;
        Assert.Equal((total, EndLength + 18, 5000), (timeline.Revisions, timeline.Length, timeline.MaxWindow));
        Assert.Equal(["alice", "bob"], timeline.Contributors);
        Assert.Equal(
            [new HistoryBandDto(1, 6000, "alice"), new HistoryBandDto(6001, 12000, "bob"), new HistoryBandDto(12001, total, "alice")],
            timeline.Bands);
        Assert.Equal((CharsInserted + 18, CharsDeleted), (timeline.Activity.Sum(a => a.Inserted), timeline.Activity.Sum(a => a.Deleted)));
        Assert.True(timeline.Activity.Count <= 400);
        Assert.Equal(1, timeline.Activity[0].From);
        Assert.Equal(total, timeline.Activity[^1].To);
        Assert.All(timeline.Activity.Zip(timeline.Activity.Skip(1)), p => Assert.Equal(p.First.To + 1, p.Second.From));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(trace.Parsed.Transactions[0].Time), timeline.FirstTime);
        Assert.Equal(timeline.Activity[0].FirstTime, timeline.FirstTime);
        Assert.Equal(timeline.Activity[^1].LastTime, timeline.LastTime);

        var c = Assert.Single(timeline.Comments);
        Assert.Equal(
            ("bob", "why a script tag here?", Transactions, quote, quote + 7, "<script", true, "alice", total),
            (c.Author, c.Text, c.CreatedRevision, c.CreatedStart, c.CreatedEnd, c.Quote, c.Resolved, c.ResolvedBy, c.ResolvedAtRevision));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task History_windows_follow_the_access_rules_of_every_document_read(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend, output);
        if (store is null)
        {
            return;
        }

        await using var server = await ServerHost.StartAsync(store.Store);
        using var alice = server.Client(store.Alice);
        using var curator = server.Client(store.Curator);
        var data = await AliceData.CreateAsync(alice);
        using var bob = server.Http(store.Bob);
        using var anonymous = server.Http(null);
        using var curatorHttp = server.Http(store.Curator);
        using var aliceHttp = server.Http(store.Alice);
        string[] paths = [$"api/documents/{data.Document}/history/timeline", $"api/documents/{data.Document}/history/revisions?from=1&count=10"];

        // Alice's own reads are not audited; the curator's are, about alice; bob and nobody get nothing.
        foreach (var path in paths)
        {
            Assert.Equal(HttpStatusCode.OK, (await aliceHttp.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
            using var asBob = await bob.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, asBob.StatusCode);
            Assert.Equal($"document: no document named '{data.Document}'", (await asBob.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
            Assert.Equal(HttpStatusCode.OK, (await curatorHttp.GetAsync(path)).StatusCode);
        }

        // A window past the end is refused the same as a missing document for bob: 404 before any range check.
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"api/documents/{data.Document}/history/revisions?from=999")).StatusCode);
        var audit = await alice.AuditAsync("alice", CancellationToken.None);
        Assert.Equal(
            [("read", data.Document, """{"what":"history timeline"}"""), ("read", data.Document, """{"what":"history","from":1,"to":1}""")],
            audit.Entries.Select(e => (e.Action, e.Subject!, e.Detail.GetRawText())));

        // Without consent to research use, the curator no longer sees it: the same 404 as for a missing document.
        await alice.SetConsentAsync("alice", new ConsentRequest(["all"], ["training"]), CancellationToken.None);
        foreach (var path in paths)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await curatorHttp.GetAsync(path)).StatusCode);
        }

        var window = (await aliceHttp.GetFromJsonAsync<HistoryWindowResponse>(paths[1], PlumblineServer.Json))!;
        Assert.Equal(("", 1, data.Text), (window.Text, window.History.Count, window.History[0].Patches[0].Insert));
        Assert.Empty(window.Authors);
    }
}
