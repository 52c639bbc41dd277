using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plumbline.Server.Hosting;

namespace Plumbline.Server.Tests;

/// <summary>Malformed JSON, wrong types, huge payloads, invalid UTF-8, out-of-range positions, unknown documents: a clear 4xx naming the field, and nothing stored.</summary>
public sealed class BadInputTests(ITestOutputHelper output)
{
    private const long Limit = 256 * 1024;

    private static readonly byte[] InvalidUtf8 = [.. """{"batch_id":"u","base_revision":1,"transactions":[{"patches":[{"position":0,"delete":0,"insert":"a"""u8, 0xFF, 0xFE, .. "\"}]}]}"u8];

    /// <summary>(what, method, path, body, status, the detail contains).</summary>
    private static IEnumerable<(string What, string Method, string Path, byte[] Body, int Status, string Detail)> Cases()
    {
        const string batches = "api/documents/doc/batches";
        static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
        yield return ("malformed JSON", "POST", batches, B("""{"batch_id": "x", "base_revision": 1,"""), 400, "$: Expected start of a property name or value, but instead reached end of data");
        yield return ("not an object", "POST", batches, B("[1,2]"), 400, "$: ");
        yield return ("base_revision a string", "POST", batches, B("""{"batch_id":"x","base_revision":"1","transactions":[]}"""), 400, "$.base_revision: not a valid value here");
        yield return ("patches a string", "POST", batches, B("""{"batch_id":"x","base_revision":1,"transactions":[{"patches":"0,0,a"}]}"""), 400, "$.transactions[0].patches: not a valid value here");
        yield return ("position a float", "POST", batches, B("""{"batch_id":"x","base_revision":1,"transactions":[{"patches":[{"position":1.5,"delete":0,"insert":"a"}]}]}"""), 400, "$.transactions[0].patches[0].position: ");
        yield return ("insert null", "POST", batches, B("""{"batch_id":"x","base_revision":1,"transactions":[{"patches":[{"position":0,"delete":0,"insert":null}]}]}"""), 400, "$.transactions[0].patches[0].insert: ");
        yield return ("unknown field", "POST", batches, B("""{"batch_id":"x","base_revision":1,"transactions":[],"bogus":1}"""), 400, "$.bogus: unknown property 'bogus'");
        yield return ("missing field", "POST", batches, B("""{"batch_id":"x","base_revision":1}"""), 400, "$: missing required properties: 'transactions'");
        yield return ("invalid UTF-8", "POST", batches, InvalidUtf8, 400, "$.transactions[0].patches[0].insert: ");
        yield return ("lone surrogate", "POST", batches, B("""{"batch_id":"x","base_revision":1,"transactions":[{"patches":[{"position":0,"delete":0,"insert":"\ud800"}]}]}"""), 400, "$.transactions[0].patches[0].insert: ");
        yield return ("position past the end", "POST", batches, B("""{"batch_id":"x","base_revision":1,"transactions":[{"patches":[{"position":6,"delete":0,"insert":"a"}]}]}"""), 400, "$.transactions[0].patches[0]: position 6 is past the end of the document (length 5); nothing was stored");
        yield return ("delete past the end", "POST", batches, B("""{"batch_id":"x","base_revision":1,"transactions":[{"patches":[{"position":0,"delete":1,"insert":""}]},{"patches":[{"position":3,"delete":2,"insert":""}]}]}"""), 400, "$.transactions[1].patches[0]: ");
        yield return ("negative position", "POST", batches, B("""{"batch_id":"x","base_revision":1,"transactions":[{"patches":[{"position":-1,"delete":0,"insert":"a"}]}]}"""), 400, "$.transactions[0].patches[0].position: must be 0 or more (was -1)");
        yield return ("no transactions", "POST", batches, B("""{"batch_id":"x","base_revision":1,"transactions":[]}"""), 400, "$.transactions: a batch has at least one transaction");
        yield return ("empty batch id", "POST", batches, B("""{"batch_id":"","base_revision":1,"transactions":[{"patches":[]}]}"""), 400, "$.batch_id: ");
        yield return ("time in the future", "POST", batches, B("""{"batch_id":"x","base_revision":1,"transactions":[{"time":"2999-01-01T00:00:00Z","patches":[]}]}"""), 400, "$.transactions[0].time: ");
        yield return ("huge payload", "POST", batches, B($$"""{"batch_id":"x","base_revision":1,"transactions":[{"patches":[{"position":0,"delete":0,"insert":"{{new string('a', 300_000)}}"}]}]}"""), 413, "larger than the server accepts");
        yield return ("not JSON", "POST", batches, B("position=0"), 415, "send the body as application/json");
        yield return ("unknown document", "GET", "api/documents/nope/text", [], 404, "document: no document named 'nope'");
        yield return ("append to an unknown document", "POST", "api/documents/nope/batches", B("""{"batch_id":"x","base_revision":3,"transactions":[{"patches":[]}]}"""), 404, "document: no document named 'nope'");
        yield return ("revision out of range", "GET", "api/documents/doc/text?revision=2", [], 400, "revision: document 'doc' has revisions 0 to 1 (asked for 2)");
        yield return ("revision not a number", "GET", "api/documents/doc/text?revision=two", [], 400, "revision: 'two' is not a valid value here");
        yield return ("comment range out of range", "POST", "api/documents/doc/comments", B("""{"start":2,"end":9,"text":"x"}"""), 400, "$.start, $.end: 2:9 is not a range within document 'doc'");
        yield return ("comment on an unknown document", "POST", "api/documents/nope/comments", B("""{"start":0,"end":0,"text":"x"}"""), 404, "document: no document named 'nope'");
        yield return ("resolve an unknown comment", "POST", "api/comments/999999/resolve", [], 404, "id: there is no comment 999999");
        yield return ("empty note", "POST", "api/notes", B("""{"text":"  "}"""), 400, "TEXT: the note is empty");
        yield return ("transcript format", "POST", "api/meetings/m/transcripts", B("""{"batch_id":"t","format":"doc","content":"WEBVTT","start":"2026-01-01T00:00:00Z"}"""), 400, "$.format: 'doc' is not vtt or srt");
        yield return ("transcript not WebVTT", "POST", "api/meetings/m/transcripts", B("""{"batch_id":"t","format":"vtt","content":"hello","start":"2026-01-01T00:00:00Z"}"""), 400, "$.content: line 1: not a WebVTT file");
        yield return ("consent source", "PUT", "api/contributors/alice/consent", B("""{"sources":["dreams"],"uses":["research"]}"""), 400, "$.sources: 'dreams' is not one of");
        yield return ("export use", "POST", "api/exports/traces", B("""{"use":"fun"}"""), 403, "this token's role may not do this");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task BadRequests_GetAClear4xxNamingTheField_AndStoreNothing(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend, output);
        if (store is null)
        {
            return;
        }

        await using var server = await ServerHost.StartAsync(store.Store, maxRequestBytes: Limit);
        using var alice = server.Client(store.Alice);
        await alice.PostBatchAsync("doc", AliceData.Batch("seed", 0, "hello"), CancellationToken.None);
        var before = await SnapshotAsync(server, store.Admin);
        using var http = server.Http(store.Alice);
        var failures = new List<string>();
        foreach (var (what, method, path, body, status, detail) in Cases())
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body.Length > 0 || method != "GET")
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new(what == "not JSON" ? "application/x-www-form-urlencoded" : "application/json");
            }

            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            output.WriteLine($"{what}: {(int)response.StatusCode} {text}");
            if ((int)response.StatusCode != status)
            {
                failures.Add($"{what}: expected {status}, got {(int)response.StatusCode}: {text}");
                continue;
            }

            if (text.Length > 0)
            {
                var problem = JsonNode.Parse(text)!.AsObject();
                Assert.Equal(status, (int)problem["status"]!);
                var actual = (string?)problem["detail"] ?? "";
                if (!actual.Contains(detail, StringComparison.Ordinal))
                {
                    failures.Add($"{what}: the detail '{actual}' does not contain '{detail}'");
                }
            }
            else if (detail.Length > 0)
            {
                failures.Add($"{what}: no ProblemDetails body");
            }
        }

        Assert.Empty(failures);
        Assert.Equal(before, await SnapshotAsync(server, store.Admin));
        Assert.Equal("hello", (await alice.ReplayAsync("doc", null, null, CancellationToken.None)).Text);
    }

    private static async Task<string> SnapshotAsync(ServerHost server, string admin)
    {
        using var client = server.Client(admin);
        var documents = await client.ListDocumentsAsync(CancellationToken.None);
        var contributors = await client.ListContributorsAsync(CancellationToken.None);
        var events = await client.EventsAsync(null, 0, 100_000, CancellationToken.None);
        return JsonSerializer.Serialize(new { documents, contributors, events }, PlumblineServer.Json);
    }
}
