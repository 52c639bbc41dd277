using Plumbline.Core.Text;
using Plumbline.Storage;
using Plumbline.Storage.Documents;

namespace Plumbline.Bench.Infrastructure;

/// <summary>
/// What <c>DocumentAppender</c> writes for a one-author trace, rebuilt outside the store: chunks cut every
/// ChunkRevisions revisions, and a snapshot at the first chunk end SnapshotEveryPatches patches after the last one.
/// </summary>
internal static class Layout
{
    /// <summary>The raw (uncompressed) chunk encodings, in order.</summary>
    public static List<byte[]> RawChunks(TraceFile trace, StoreOptions options) =>
        trace.Trace.Transactions.Chunk(options.ChunkRevisions)
            .Select(c => RevisionChunkCodec.EncodeRaw(c.Select(t => new RevisionChunkCodec.Entry(t.Time, RevisionKind.Edit, t.Patches)).ToList()))
            .ToList();

    /// <summary>The snapshots the store keeps: revision, patches up to it, and the text then.</summary>
    public static List<(int Revision, long Patches, string Text)> Snapshots(TraceFile trace, StoreOptions options)
    {
        var text = new TextBuffer(trace.Trace.StartContent);
        var result = new List<(int, long, string)>();
        long patches = 0, atSnapshot = 0;
        var revision = 0;
        foreach (var txn in trace.Trace.Transactions)
        {
            foreach (var patch in txn.Patches)
            {
                text.Apply(patch);
            }

            patches += txn.Patches.Length;
            if (++revision % options.ChunkRevisions == 0 && patches - atSnapshot >= options.SnapshotEveryPatches)
            {
                result.Add((revision, patches, text.ToString()));
                atSnapshot = patches;
            }
        }

        return result;
    }
}
