using System.Net;
using System.Net.Http.Json;
using System.Text;
using Plumbline.Core.Capture;
using Plumbline.Core.Text;
using Plumbline.Storage.Ingest;

namespace Plumbline.Server.Tests;

/// <summary>The "My data" API over a real server and store: summary, withdrawal, review-before-release redaction; exact JSON.</summary>
public sealed class MyDataTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Day2 = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    /// <summary>alice types "abc" on day 1 and "d" on day 2 (one chunk over two days), comments at 12:00 and notes at 13:00 on day 2; bob and alice share a document.</summary>
    internal static async Task<ManualClock> SeedAsync(TestStore store)
    {
        var clock = new ManualClock(Day2.AddHours(3));
        var edits = new EditIngest(store.Store, clock);
        await edits.IngestAsync(Batch("notes", "alice", "", (Day1, new Patch(0, 0, "abc"))), null, default);
        await edits.IngestAsync(Batch("notes", "alice", null, (Day2, new Patch(3, 0, "d"))), null, default);
        await edits.IngestAsync(Batch("shared", "alice", "", (Day1, new Patch(0, 0, "mine "))), null, default);
        await edits.IngestAsync(Batch("shared", "bob", null, (Day1.AddMinutes(1), new Patch(5, 0, "his"))), null, default);
        await new CommentIngest(store.Store, clock).AddAsync("notes", 0, 1, "first letter", "alice", default);
        clock.Advance(TimeSpan.FromHours(1));
        await new NoteIngest(store.Store, clock).AddAsync("a thought about falcons", "alice", null, null, null, default);
        return clock;
    }

    private static EditBatch Batch(string document, string actor, string? start, params (DateTimeOffset Time, Patch Patch)[] transactions) => new()
    {
        Document = document,
        StartContent = start,
        Transactions = transactions.Select(t => new EditTransaction(t.Time.ToUnixTimeMilliseconds(), [t.Patch])).ToList(),
        Actor = actor,
        BatchId = Guid.NewGuid().ToString("N"),
    };

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient http, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Detail(string problem) => (string)System.Text.Json.Nodes.JsonNode.Parse(problem)!["detail"]!;

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Summary_CountsBySourceAndDay_AndShowsThePause(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend, output);
        if (store is null)
        {
            return;
        }

        var clock = await SeedAsync(store);
        await using var server = await ServerHost.StartAsync(store.Store, clock);
        using var alice = server.Http(store.Alice);

        var (status, body) = await SendAsync(alice, HttpMethod.Get, "api/contributors/alice/summary");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            """{"contributor":"alice","paused":false,"sources":[{"source":"documents","events":4,"documents":2,"first":"2026-11-20T10:00:00+00:00","last":"2026-11-21T12:00:00+00:00"},{"source":"commentary","events":1,"documents":0,"first":"2026-11-21T13:00:00+00:00","last":"2026-11-21T13:00:00+00:00"}],"days":[{"day":"2026-11-20","source":"documents","events":2},{"day":"2026-11-21","source":"documents","events":2},{"day":"2026-11-21","source":"commentary","events":1}]}""",
            body);
        await SendAsync(alice, HttpMethod.Post, "api/contributors/alice/pause");
        Assert.Contains("\"paused\":true", (await SendAsync(alice, HttpMethod.Get, "api/contributors/alice/summary")).Body, StringComparison.Ordinal);
        using var bob = server.Http(store.Bob);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(bob, HttpMethod.Get, "api/contributors/alice/summary")).Status);
        using var curator = server.Http(store.Curator);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(curator, HttpMethod.Get, "api/contributors/alice/summary")).Status);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Withdraw_NeedsTheNameAsConfirmation_ThenSaysWhatWasDestroyed(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend, output);
        if (store is null)
        {
            return;
        }

        var clock = await SeedAsync(store);
        await using var server = await ServerHost.StartAsync(store.Store, clock);
        using var alice = server.Http(store.Alice);

        var (status, body) = await SendAsync(alice, HttpMethod.Post, "api/contributors/alice/withdraw", """{"confirm":"Alice"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("$.confirm: must be exactly the contributor's name 'alice' to confirm the withdrawal; nothing was withdrawn", Detail(body));
        (status, body) = await SendAsync(alice, HttpMethod.Post, "api/contributors/alice/withdraw", """{"confirm":"alice","source":"letters"}""");
        Assert.Equal((HttpStatusCode.BadRequest, "$.source: 'letters' is not one of documents, code, meetings, commentary, keystrokes"), (status, Detail(body)));
        using var bob = server.Http(store.Bob);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(bob, HttpMethod.Post, "api/contributors/alice/withdraw", """{"confirm":"alice"}""")).Status);
        using var curator = server.Http(store.Curator);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(curator, HttpMethod.Post, "api/contributors/alice/withdraw", """{"confirm":"alice"}""")).Status); // as for every write to a contributor

        (status, body) = await SendAsync(alice, HttpMethod.Post, "api/contributors/alice/withdraw", """{"confirm":"alice"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            """{"withdrawal":1,"contributor":"alice","source":null,"events":4,"edit_events":3,"row_events":1,"documents_deleted":["notes"],"documents_masked":["shared"],"affected_exports":[],"affected_datasets":[]}""",
            body);
        using var admin = server.Client(store.Admin);
        Assert.Equal("░░░░░his", (await admin.ReplayAsync("shared", null, null, default)).Text);
        Assert.Equal(
            """{"contributor":"alice","paused":false,"sources":[],"days":[]}""",
            (await SendAsync(alice, HttpMethod.Get, "api/contributors/alice/summary")).Body);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Redactions_SpanAndTimeRange_RewriteEveryRevision_AndAreListedWithoutTheirText(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend, output);
        if (store is null)
        {
            return;
        }

        var clock = await SeedAsync(store);
        await using var server = await ServerHost.StartAsync(store.Store, clock);
        using var alice = server.Http(store.Alice);
        using var client = server.Client(store.Alice);

        var (status, body) = await SendAsync(alice, HttpMethod.Post, "api/contributors/alice/redactions", """{"document":"notes","start":1,"end":3}""");
        Assert.Equal((HttpStatusCode.OK, """{"id":1,"events_rewritten":2,"revisions_affected":2,"documents":["notes"]}"""), (status, body));
        Assert.Equal("a[REDACTED]", (await client.ReplayAsync("notes", 1, null, default)).Text);
        Assert.Equal("a[REDACTED]d", (await client.ReplayAsync("notes", 2, null, default)).Text);

        (status, body) = await SendAsync(alice, HttpMethod.Post, "api/contributors/alice/redactions", """{"document":"shared","start":2,"end":7}""");
        Assert.Equal((HttpStatusCode.Forbidden, "--range: code points 5:7 of 'shared' were written by bob, not alice; a contributor can redact only their own text (nothing was changed)"), (status, Detail(body)));
        Assert.Equal("mine his", (await client.ReplayAsync("shared", null, null, default)).Text);

        (status, body) = await SendAsync(alice, HttpMethod.Post, "api/contributors/alice/redactions", """{"from":"2026-11-21T12:30:00Z","to":"2026-11-21T14:00:00Z","source":"commentary"}""");
        Assert.Equal((HttpStatusCode.OK, """{"id":2,"events_rewritten":1,"revisions_affected":0,"documents":[]}"""), (status, body));
        var notes = await client.EventsAsync(null, 0, 100, default);
        Assert.Equal("""{"text":"[REDACTED]","writtenLater":false}""", notes.Events.Single(e => e.Kind == "note").Payload.GetRawText());

        (status, body) = await SendAsync(alice, HttpMethod.Post, "api/contributors/alice/redactions", """{"document":"notes","from":"2026-11-21T12:30:00Z"}""");
        Assert.Equal((HttpStatusCode.BadRequest, "$: give either document, start and end (a span) or from and to (a time range), not both; nothing was changed"), (status, Detail(body)));
        (status, body) = await SendAsync(alice, HttpMethod.Post, "api/contributors/alice/redactions", """{"document":"notes","start":1}""");
        Assert.Equal((HttpStatusCode.BadRequest, "$.end: required for a span (code points at the latest revision); nothing was changed"), (status, Detail(body)));
        using var bob = server.Http(store.Bob);
        (status, _) = await SendAsync(bob, HttpMethod.Post, "api/contributors/bob/redactions", """{"document":"notes","start":0,"end":1}""");
        Assert.Equal(HttpStatusCode.NotFound, status); // bob never wrote in alice's notes: it does not exist for him

        (status, body) = await SendAsync(alice, HttpMethod.Get, "api/contributors/alice/redactions");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            """{"contributor":"alice","redactions":[""" +
            """{"id":1,"kind":"span","document":"notes","revision":2,"start":1,"end":3,"from":null,"to":null,"source":null,"recorded_by":"alice (api token 3)","recorded_at":"2026-11-21T13:00:00+00:00","events_rewritten":2,"revisions_affected":2},""" +
            """{"id":2,"kind":"range","document":null,"revision":null,"start":null,"end":null,"from":"2026-11-21T12:30:00+00:00","to":"2026-11-21T14:00:00+00:00","source":"commentary","recorded_by":"alice (api token 3)","recorded_at":"2026-11-21T13:00:00+00:00","events_rewritten":1,"revisions_affected":0}]}""",
            body);
        Assert.DoesNotContain("falcon", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(bob, HttpMethod.Get, "api/contributors/alice/redactions")).Status);
    }
}
