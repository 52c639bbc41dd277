using Plumbline.Core;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Ingest;
using static Plumbline.Storage.Tests.StoreEnvironment;

namespace Plumbline.Storage.Tests.Ingest;

/// <summary>Several writers, each with its own store connection, into one shared document and their own documents at once.</summary>
public class ConcurrentIngestTests(ITestOutputHelper output)
{
    private const int Writers = 4;
    private const int Appends = 12;

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Ingest_WritersAppendingAtOnce_LoseAndInterleaveNothing(string backend)
    {
        await using var env = await CreateAsync(backend, output, new StoreOptions { ChunkRevisions = 8 });
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");

        // Each writer prepends its markers to "shared" (valid against any current text: continuations with
        // no start content) and appends them to its own document; the first batches race to create "shared".
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            await using var store = env.OpenStore();
            var ingest = new EditIngest(store, env.Clock, env.Options);
            var own = 0;
            for (var i = 0; i < Appends; i++)
            {
                var marker = Marker(w, i);
                await ingest.IngestAsync(Batch("shared", "alice", null, Txn(i, (0, 0, marker))), null, default);
                await ingest.IngestAsync(Batch($"own-{w}", "alice", null, Txn(i, (own, 0, marker))), null, default);
                own += marker.Length;
            }
        })));

        var (revisions, texts) = await env.ReadAsync(async s =>
        {
            var doc = (await s.FindDocumentAsync("shared", default))!;
            var stored = await DocumentReader.RevisionsAsync(s, doc, 1, doc.Revisions, default).ToListAsync();
            var states = new List<string>();
            for (var r = 0; r <= doc.Revisions; r++)
            {
                states.Add((await DocumentReader.LoadAsync(s, doc, r, default)).ToString());
            }

            return (stored, states);
        });

        Assert.Equal(Writers * Appends, revisions.Count);
        var markers = revisions.Select(r => Assert.Single(r.Patches)).Select(p => (p.Position, p.Delete, p.Insert)).ToList();
        Assert.All(markers, m => Assert.Equal((0, 0), (m.Position, m.Delete)));
        var expected = Enumerable.Range(0, Writers).SelectMany(w => Enumerable.Range(0, Appends).Select(i => Marker(w, i)));
        Assert.Equal(expected.Order(StringComparer.Ordinal), markers.Select(m => m.Insert).Order(StringComparer.Ordinal));
        for (var w = 0; w < Writers; w++)
        {
            var mine = markers.Select(m => m.Insert).Where(m => m.StartsWith($"<{w}.", StringComparison.Ordinal));
            Assert.Equal(Enumerable.Range(0, Appends).Select(i => Marker(w, i)), mine);
        }

        Assert.Equal("", texts[0]);
        for (var r = 1; r < texts.Count; r++)
        {
            Assert.Equal(markers[r - 1].Insert + texts[r - 1], texts[r]);
        }

        Assert.True(revisions.Zip(revisions.Skip(1)).All(p => p.First.FirstSeq < p.Second.FirstSeq), "event ids must increase with the revision");
        var seqs = new List<long>(revisions.Select(r => r.FirstSeq));
        for (var w = 0; w < Writers; w++)
        {
            Assert.Equal(string.Concat(Enumerable.Range(0, Appends).Select(i => Marker(w, i))), await env.ReplayAsync($"own-{w}"));
            seqs.AddRange(await env.ReadAsync(async s =>
                await DocumentReader.RevisionsAsync(s, (await s.FindDocumentAsync($"own-{w}", default))!, 1, Appends, default).Select(r => r.FirstSeq).ToListAsync()));
        }

        Assert.Equal(seqs.Count, seqs.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Ingest_SameBatchFromWritersAtOnce_IsStoredOnce(string backend)
    {
        await using var env = await CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        await env.Edits.IngestAsync(Batch("d", "alice", "", Txn(0, (0, 0, "x"))), null, default);
        var batch = Batch("d", "alice", "x", Enumerable.Range(1, 20_000).Select(i => Txn(i, (i, 0, "y"))).ToArray());

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            await using var store = env.OpenStore();
            return await new EditIngest(store, env.Clock, env.Options).IngestAsync(batch, null, default);
        })));

        Assert.Equal([false, true, true], results.Select(r => r.AlreadyStored).Order());
        Assert.All(results, r => Assert.Equal((2, 20_001), (r.FirstRevision, r.LastRevision)));
        Assert.Equal("x" + new string('y', 20_000), await env.ReplayAsync("d"));
    }

    [Fact]
    public async Task Postgres_WriterHoldingADocument_BlocksThatDocumentOnly()
    {
        await using var env = await CreateAsync(Backends.Postgres, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        await env.Edits.IngestAsync(Batch("a", "alice", "", Txn(1, (0, 0, "a"))), null, default);
        await env.Edits.IngestAsync(Batch("b", "alice", "", Txn(1, (0, 0, "b"))), null, default);

        Task sameDocument;
        await using (var holder = await env.Store.OpenAsync(write: true, default))
        {
            Assert.NotNull(await holder.FindDocumentAsync("a", default));
            await holder.AllocateSeqAsync(10, default);
            sameDocument = env.Edits.IngestAsync(Batch("a", "alice", null, Txn(2, (1, 0, "!"))), null, default);

            await env.Edits.IngestAsync(Batch("b", "alice", null, Txn(2, (1, 0, "!"))), null, default).WaitAsync(TimeSpan.FromSeconds(30));
            await Task.Delay(500);

            Assert.False(sameDocument.IsCompleted, "a writer of a locked document must wait for the lock");
        }

        await sameDocument.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("a!", await env.ReplayAsync("a"));
        Assert.Equal("b!", await env.ReplayAsync("b"));
    }

    [Fact]
    public async Task Postgres_SessionsLockingInOppositeOrder_OneFailsTransientlyAndTheOtherGoesOn()
    {
        await using var env = await CreateAsync(Backends.Postgres, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        await env.Edits.IngestAsync(Batch("a", "alice", "", Txn(1, (0, 0, "a"))), null, default);
        await env.Edits.IngestAsync(Batch("b", "alice", "", Txn(1, (0, 0, "b"))), null, default);
        var first = await env.Store.OpenAsync(write: true, default);
        var second = await env.Store.OpenAsync(write: true, default);
        try
        {
            await first.FindDocumentAsync("a", default);
            await second.FindDocumentAsync("b", default);
            var firstWaits = first.FindDocumentAsync("b", default);
            var secondWaits = second.FindDocumentAsync("a", default);

            // The server aborts one (its locks go at once) and the other gets the document it waited for.
            var outcomes = await Task.WhenAll(OutcomeAsync(firstWaits), OutcomeAsync(secondWaits)).WaitAsync(TimeSpan.FromSeconds(30));

            var error = Assert.IsType<PlumblineException>(Assert.Single(outcomes, o => o.Error is not null).Error);
            var winner = Assert.Single(outcomes, o => o.Error is null).Document;
            Assert.True(error.IsTransient);
            Assert.Equal($"{env.Store.Description}: deadlock detected (SQLSTATE 40P01); retry", error.Message);
            Assert.Equal(outcomes[0].Error is null ? "b" : "a", winner!.Name);
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
        }
    }

    private static async Task<(DocumentInfo? Document, Exception? Error)> OutcomeAsync(Task<DocumentInfo?> lookup)
    {
        try
        {
            return (await lookup, null);
        }
        catch (PlumblineException e)
        {
            return (null, e);
        }
    }

    private static string Marker(int writer, int index) => $"<{writer}.{index}>";
}
