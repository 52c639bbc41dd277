using Plumbline.Bench.Infrastructure;
using Plumbline.Core.Capture;
using Plumbline.Core.Text;
using Plumbline.Storage;
using Plumbline.Storage.Documents;

namespace Plumbline.Bench.Suites;

/// <summary>
/// Where in-process ingest time goes: the pieces <c>EditIngest</c> and <c>DocumentAppender</c> run, timed
/// one by one over a whole trace with the given layout, plus the GC pauses seen during the real ingest.
/// </summary>
internal static class IngestBreakdown
{
    public sealed record Step(string Name, double Ms);

    public static async Task<List<Step>> MeasureAsync(
        BenchContext bench,
        TraceFile trace,
        StoreOptions options,
        double ingestMs,
        GcDelta ingestGc,
        int runs,
        CancellationToken cancellationToken)
    {
        var samples = new Dictionary<string, List<double>>();
        void Add(string name, double ms) => (samples.TryGetValue(name, out var list) ? list : samples[name] = []).Add(ms);
        var transactions = trace.Trace.Transactions;
        for (var run = 0; run < runs; run++)
        {
            var start = Clock.Now();
            var text = new TextBuffer(trace.Trace.StartContent);
            foreach (var txn in transactions)
            {
                foreach (var patch in txn.Patches)
                {
                    if (text.Check(patch) is not null)
                    {
                        throw new InvalidOperationException($"{trace.Name} does not replay");
                    }

                    text.Apply(patch);
                }
            }

            Add("validate + apply every patch to a text buffer (done twice: EditIngest, then DocumentAppender)", 2 * Clock.MillisecondsSince(start));

            start = Clock.Now();
            var raw = Layout.RawChunks(trace, options);
            Add("encode chunk columns", Clock.MillisecondsSince(start));
            var blobs = new List<byte[]>();
            start = Clock.Now();
            foreach (var bytes in raw)
            {
                blobs.Add(Compression.Compress(bytes, options.CompressionQuality));
            }

            Add($"Brotli q{options.CompressionQuality} chunks", Clock.MillisecondsSince(start));
            var texts = Layout.Snapshots(trace, options);
            start = Clock.Now();
            var snapshots = texts.Select(t => new SnapshotRow(0, t.Revision, t.Patches, Compression.CompressText(t.Text, options.CompressionQuality))).ToList();
            Add($"Brotli q{options.CompressionQuality} snapshots", Clock.MillisecondsSince(start));
            Add("SQLite: the same chunk and snapshot rows inserted, one fsync'd commit", await WriteRowsAsync(bench, trace, options, blobs, snapshots, cancellationToken));
        }

        var steps = samples.Select(s => new Step(s.Key, Summary.Of(s.Value).Median)).ToList();
        steps.Add(new Step("GC pauses during the real ingest", ingestGc.PauseMs));
        steps.Add(new Step("rest: per-revision bookkeeping (records, LINQ, consent gate), not isolated", Math.Max(0, ingestMs - steps.Sum(s => s.Ms))));
        return steps;
    }

    private static async Task<double> WriteRowsAsync(
        BenchContext bench,
        TraceFile trace,
        StoreOptions options,
        List<byte[]> chunks,
        List<SnapshotRow> snapshots,
        CancellationToken cancellationToken)
    {
        var path = await BenchStore.CreateEmptyAsync(Path.Combine(bench.NewFolder("ingest-sqlite"), "store.db"), cancellationToken);
        await using var store = TraceStores.Open(path);
        var start = Clock.Now();
        await using (var session = await store.OpenAsync(write: true, cancellationToken))
        {
            var contributor = await session.FindContributorAsync(PlumbCli.Contributor, cancellationToken)
                ?? throw new InvalidOperationException("the contributor is missing");
            var document = await session.CreateDocumentAsync(trace.Name, SourceKind.Documents, trace.Trace.StartContent, 0, cancellationToken);
            var seq = await session.AllocateSeqAsync(trace.PatchCount, cancellationToken);
            var transactions = trace.Trace.Transactions;
            for (var c = 0; c < chunks.Count; c++)
            {
                var first = c * options.ChunkRevisions;
                var last = Math.Min(transactions.Count, first + options.ChunkRevisions) - 1;
                var patches = 0;
                for (var t = first; t <= last; t++)
                {
                    patches += transactions[t].Patches.Length;
                }

                await session.InsertChunkAsync(
                    new ChunkRow(document.Id, first + 1, last + 1, contributor.Id, 1, seq, patches, transactions[first].Time, transactions[last].Time, chunks[c]),
                    cancellationToken);
                seq += patches;
            }

            foreach (var snapshot in snapshots)
            {
                await session.InsertSnapshotAsync(snapshot with { DocumentId = document.Id }, cancellationToken);
            }

            await session.UpdateDocumentAsync(document with { Revisions = transactions.Count, Patches = trace.PatchCount }, cancellationToken);
            await session.RecordBatchAsync(new BatchRecord($"bench:{trace.Name}", document.Id, 0, "{}"), cancellationToken);
            await session.CommitAsync(cancellationToken);
        }

        return Clock.MillisecondsSince(start);
    }
}
