using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Capture.Traces;
using Plumbline.Core.Text;
using Plumbline.Storage.Documents;
using static Plumbline.Storage.Tests.StoreEnvironment;

namespace Plumbline.Storage.Tests.Ingest;

public class EditIngestTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Traces => Backends.Cross("automerge-paper", "seph-blog1", "rustcode", "sveltecomponent");

    [Theory]
    [MemberData(nameof(Traces))]
    public async Task Ingest_RealTrace_EverySampledRevisionReplaysExactly(string backend, string name)
    {
        if (RealData.Find($"editing-traces/{name}.json.gz", output.WriteLine) is not { } path)
        {
            return;
        }

        // Small chunks and frequent snapshots, so that sampled revisions fall mid-chunk, on chunk edges and on
        // snapshots. Redaction is off here: this is about the store replaying exactly what it was given.
        await using var env = await StoreEnvironment.CreateAsync(backend, output, new StoreOptions { ChunkRevisions = 1000, SnapshotEveryPatches = 20_000, Redact = false });
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        var trace = EditingTraceReader.Parse(await File.ReadAllBytesAsync(path), name, 0);
        var batch = new EditBatch
        {
            Document = name,
            StartContent = trace.StartContent,
            Transactions = trace.Transactions,
            Actor = "alice",
            BatchId = name,
            ExpectedEnd = trace.EndContent,
        };

        var result = await env.Edits.IngestAsync(batch, null, default);

        Assert.Equal(trace.Transactions.Count, result.StoredRevisions);
        Assert.Equal(trace.PatchCount, result.Patches);
        var random = new Random(11);
        var sample = Enumerable.Range(0, 60).Select(_ => random.Next(trace.Transactions.Count + 1))
            .Concat([0, 1, 999, 1000, 1001, trace.Transactions.Count]).Order().ToList();
        var expected = new Dictionary<int, string>();
        var reference = new TextBuffer(trace.StartContent);
        for (var r = 0; r <= trace.Transactions.Count; r++)
        {
            if (r > 0)
            {
                foreach (var patch in trace.Transactions[r - 1].Patches)
                {
                    reference.Apply(patch);
                }
            }

            if (sample.Contains(r))
            {
                expected[r] = reference.ToString();
            }
        }

        foreach (var r in sample)
        {
            Assert.Equal(expected[r], await env.ReplayAsync(name, r));
        }

        Assert.Equal(trace.EndContent, await env.ReplayAsync(name));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Ingest_SameBatchTwice_SecondIsNoOp(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        var batch = Batch("d", "alice", "", Txn(1, (0, 0, "hi")));

        var first = await env.Edits.IngestAsync(batch, null, default);
        var second = await env.Edits.IngestAsync(batch, null, default);

        Assert.False(first.AlreadyStored);
        Assert.True(second.AlreadyStored);
        Assert.Equal(1, (await env.DocumentAsync("d"))!.Revisions);
        Assert.Equal("hi", await env.ReplayAsync("d"));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Ingest_PatchPastEndMidBatch_StoresNothingAndNamesThePlace(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        var batch = Batch("d", "alice", "", Txn(1, (0, 0, "abc")), Txn(2, (1, 5, ""))) with { Locate = (t, p) => $"f.json: $.txns[{t}].patches[{p}]" };

        var error = await Assert.ThrowsAsync<PlumblineException>(() => env.Edits.IngestAsync(batch, null, default));

        Assert.Equal(FailureKind.BadInput, error.Kind);
        Assert.Equal("f.json: $.txns[1].patches[0]: deleting 5 at position 1 runs past the end of the document (length 3); nothing was stored", error.Message);
        Assert.Null(await env.DocumentAsync("d"));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Ingest_ActorWithoutConsent_IsRefusedAndStoresNothing(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.Contributors.AddAsync("bob", default);

        var error = await Assert.ThrowsAsync<PlumblineException>(() => env.Edits.IngestAsync(Batch("d", "bob", "", Txn(1, (0, 0, "x"))), null, default));

        Assert.Equal(FailureKind.Refused, error.Kind);
        Assert.Null(await env.DocumentAsync("d"));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Ingest_ActorConsentingToOtherSources_IsRefused(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("carol", sources: "code,meetings");

        var error = await Assert.ThrowsAsync<PlumblineException>(() => env.Edits.IngestAsync(Batch("d", "carol", "", Txn(1, (0, 0, "x"))), null, default));

        Assert.Equal("consent refused: carol's consent (version 1) does not cover the source 'documents'; nothing was stored", error.Message);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Ingest_EditsInsideAPause_BecomeOneMaskedGap(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        var pausedAt = env.Clock.NowMs;
        await env.Contributors.PauseAsync("alice", default);
        env.Clock.Advance(TimeSpan.FromMinutes(5));
        await env.Contributors.ResumeAsync("alice", default);
        var batch = Batch(
            "d",
            "alice",
            "",
            Txn(pausedAt - 10, (0, 0, "Dear ")),
            Txn(pausedAt + 10, (5, 0, "secret")),
            Txn(pausedAt + 20, (11, 0, "!!"), (5, 1, "S")),
            Txn(pausedAt + 400_000, (13, 0, " bye")));

        var result = await env.Edits.IngestAsync(batch, null, default);

        Assert.Equal(2, result.StoredRevisions);
        Assert.Equal(1, result.GapRevisions);
        Assert.Equal(2, result.WithheldTransactions);
        Assert.Equal("Dear ░░░░░░░░ bye", await env.ReplayAsync("d"));
        Assert.Equal("Dear ░░░░░░░░", await env.ReplayAsync("d", 2));
        var log = await env.ReadAsync(async s => await EventLog.ReadAsync(s, null, default).ToListAsync());
        Assert.DoesNotContain(log, e => e.Patch?.Insert.Contains("secret", StringComparison.Ordinal) == true);
        var gaps = log.Where(e => e.Kind == EventKind.Gap).ToList();
        Assert.Equal(3, gaps.Count); // the pause itself, the masked revision, and the import's gap record
        Assert.Contains(gaps, g => g.Payload == $$"""{"reason":"paused","from":{{pausedAt + 10}},"to":{{pausedAt + 20}},"transactions":2}""");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Ingest_UnmappedAndUnconsentingAuthors_BecomeGapsWhileMappedAuthorsAreStored(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        await env.Contributors.AddAsync("dave", default); // mapped but never consented
        var batch = Batch(
            "pad",
            "alice",
            "\n",
            new EditTransaction(1, [new Patch(0, 0, "Hello ")], "a.alice"),
            new EditTransaction(2, [new Patch(6, 0, "from Eve ")], "a.eve"),
            new EditTransaction(3, [new Patch(15, 0, "and Dave")], "a.dave"),
            new EditTransaction(4, [new Patch(0, 5, "Hi")], null)) with
        {
            AuthorMap = new Dictionary<string, string> { ["a.alice"] = "alice", ["a.dave"] = "dave" },
        };

        var result = await env.Edits.IngestAsync(batch, null, default);

        Assert.Equal(2, result.StoredRevisions);
        Assert.Equal(1, result.GapRevisions);
        Assert.Equal("Hi ░░░░░░░░░░░░░░░░░\n", await env.ReplayAsync("pad"));
        var revisions = await env.ReadAsync(async s => await DocumentReader.RevisionsAsync(s, (await s.FindDocumentAsync("pad", default))!, 1, 3, default).ToListAsync());
        Assert.Equal([RevisionKind.Edit, RevisionKind.Gap, RevisionKind.Edit], revisions.Select(r => r.Kind));
        Assert.Null(revisions[1].ContributorId);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Ingest_ManySmallBatches_ExtendTheLastChunkAndReplayExactly(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output, new StoreOptions { ChunkRevisions = 64, SnapshotEveryPatches = 100 });
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        var text = "";
        for (var i = 0; i < 300; i++)
        {
            var insert = ((char)('a' + (i % 26))).ToString();
            await env.Edits.IngestAsync(Batch("d", "alice", text, Txn(i, (text.Length, 0, insert))), null, default);
            text += insert;
        }

        var chunks = await env.ReadAsync(async s => await s.ChunksAsync((await s.FindDocumentAsync("d", default))!.Id, 1, 300, default));
        Assert.Equal(5, chunks.Count); // ceil(300 / 64)
        Assert.Equal(Enumerable.Range(0, 5).Select(i => i * 64 + 1), chunks.Select(c => c.FirstRevision));
        Assert.Equal(text, await env.ReplayAsync("d"));
        Assert.Equal(text[..150], await env.ReplayAsync("d", 150));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Ingest_ContinuationWithDifferentStart_IsRejected(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        await env.Edits.IngestAsync(Batch("d", "alice", "", Txn(1, (0, 0, "abc"))), null, default);

        var error = await Assert.ThrowsAsync<PlumblineException>(() => env.Edits.IngestAsync(Batch("d", "alice", "xyz", Txn(2, (0, 0, "q"))), null, default));

        Assert.Equal("--doc: document 'd' exists (revision 1) and its current text is not the start content of this input; import into a new document", error.Message);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Ingest_WrongEndContent_IsRejected(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        var batch = Batch("d", "alice", "", Txn(1, (0, 0, "abc"))) with { ExpectedEnd = "abd", Locate = (t, p) => t < 0 ? "f.json: $.endContent" : "?" };

        var error = await Assert.ThrowsAsync<PlumblineException>(() => env.Edits.IngestAsync(batch, null, default));

        Assert.Equal("f.json: $.endContent: replaying the transactions does not give the end content (first difference at code point 2: replay has 3 code points, the file says 3); nothing was stored", error.Message);
        Assert.Null(await env.DocumentAsync("d"));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task RevisionAtTime_PicksTheLatestRevisionAtOrBeforeTheTime(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output, new StoreOptions { ChunkRevisions = 2 });
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        await env.Edits.IngestAsync(Batch("d", "alice", "", Txn(100, (0, 0, "a")), Txn(200, (1, 0, "b")), Txn(300, (2, 0, "c")), Txn(400, (3, 0, "d"))), null, default);

        var found = await env.ReadAsync(async s =>
        {
            var doc = (await s.FindDocumentAsync("d", default))!;
            var revisions = new List<int>();
            foreach (var time in new[] { 50L, 100, 250, 300, 399, 10_000 })
            {
                revisions.Add(await DocumentReader.RevisionAtTimeAsync(s, doc, time, default));
            }

            return revisions;
        });

        Assert.Equal([0, 1, 2, 3, 3, 4], found);
    }
}
