using Plumbline.Bench.Infrastructure;
using Plumbline.Core.Text;
using Plumbline.Storage;
using Plumbline.Storage.Documents;

namespace Plumbline.Bench.Suites;

/// <summary>
/// Where in-process ingest time goes: the pieces <c>EditIngest</c> and <c>DocumentAppender</c> run, timed
/// one by one over a whole trace with the default layout; the rest of the ingest is SQLite and bookkeeping.
/// </summary>
internal static class IngestBreakdown
{
    public sealed record Step(string Name, double Ms);

    public static List<Step> Measure(TraceFile trace, StoreOptions options, double ingestMs, int runs)
    {
        var samples = new Dictionary<string, List<double>>();
        void Add(string name, double ms) => (samples.TryGetValue(name, out var list) ? list : samples[name] = []).Add(ms);
        for (var run = 0; run < runs; run++)
        {
            var start = Clock.Now();
            var text = new TextBuffer(trace.Trace.StartContent);
            foreach (var txn in trace.Trace.Transactions)
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

            var raw = new List<byte[]>();
            start = Clock.Now();
            foreach (var chunk in trace.Trace.Transactions.Chunk(options.ChunkRevisions))
            {
                raw.Add(RevisionChunkCodec.EncodeRaw(chunk.Select(t => new RevisionChunkCodec.Entry(t.Time, RevisionKind.Edit, t.Patches)).ToList()));
            }

            Add("encode chunk columns", Clock.MillisecondsSince(start));
            start = Clock.Now();
            foreach (var bytes in raw)
            {
                Compression.Compress(bytes, options.CompressionQuality);
            }

            Add($"Brotli q{options.CompressionQuality} chunks", Clock.MillisecondsSince(start));

            Add("snapshots (ToString + Brotli)", SnapshotCost(trace, options));
        }

        var steps = samples.Select(s => new Step(s.Key, Summary.Of(s.Value).Median)).ToList();
        steps.Add(new Step("rest: SQLite inserts + fsync'd commit, bookkeeping", Math.Max(0, ingestMs - steps.Sum(s => s.Ms))));
        return steps;
    }

    private static double SnapshotCost(TraceFile trace, StoreOptions options)
    {
        var text = new TextBuffer(trace.Trace.StartContent);
        long patches = 0, atSnapshot = 0;
        var revision = 0;
        double ms = 0;
        foreach (var txn in trace.Trace.Transactions)
        {
            foreach (var patch in txn.Patches)
            {
                text.Apply(patch);
            }

            patches += txn.Patches.Length;
            if (++revision % options.ChunkRevisions == 0 && patches - atSnapshot >= options.SnapshotEveryPatches)
            {
                var start = Clock.Now();
                Compression.CompressText(text.ToString(), options.CompressionQuality);
                ms += Clock.MillisecondsSince(start);
                atSnapshot = patches;
            }
        }

        return ms;
    }
}
