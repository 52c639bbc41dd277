using Plumbline.Storage.Documents;

namespace Plumbline.Storage.History;

/// <summary>
/// Walks the columns of a stored chunk (see <see cref="RevisionChunkCodec"/>) without building patches or
/// strings: what a timeline or an authorship replay needs is positions and lengths, never the inserted text.
/// </summary>
internal static class ChunkColumns
{
    /// <summary>One patch of a revision: its kind, position, deleted and inserted lengths (code points).</summary>
    public delegate void PatchVisitor(RevisionKind kind, int position, int delete, int insertLength);

    /// <summary>One revision: its number, time, and the code points its patches inserted and deleted.</summary>
    public delegate void RevisionVisitor(int revision, long time, long inserted, long deleted);

    /// <summary>Visits every patch of the chunk's revisions up to <paramref name="last"/>, in order.</summary>
    public static void Walk(byte[] stored, int chunkFirstRevision, int last, PatchVisitor visit)
    {
        ReadOnlySpan<byte> span = Compression.Decompress(stored);
        var layout = RevisionChunkCodec.Columns.Of(span);
        var count = layout.Count;
        int hi = layout.Heads, pi = layout.Positions, di = layout.Deletes, li = layout.Lengths;
        long cursor = 0;
        for (var r = 0; r < count && chunkFirstRevision + r <= last; r++)
        {
            var head = Varint.Read(span, ref hi);
            var kind = (RevisionKind)(head & 1);
            var patches = (int)(head >> 1);
            for (var k = 0; k < patches; k++)
            {
                var position = checked((int)(cursor + Varint.ReadSigned(span, ref pi)));
                var delete = Varint.ReadInt(span, ref di);
                var length = Varint.ReadInt(span, ref li);
                visit(kind, position, delete, length);
                cursor = position + length;
            }
        }
    }

    /// <summary>Visits every revision of the chunk up to <paramref name="last"/> with its time and sizes.</summary>
    public static void WalkRevisions(byte[] stored, int chunkFirstRevision, int last, RevisionVisitor visit)
    {
        ReadOnlySpan<byte> span = Compression.Decompress(stored);
        var layout = RevisionChunkCodec.Columns.Of(span);
        var count = layout.Count;
        int ti = layout.Times, hi = layout.Heads, di = layout.Deletes, li = layout.Lengths;
        long time = 0;
        for (var r = 0; r < count && chunkFirstRevision + r <= last; r++)
        {
            time += Varint.ReadSigned(span, ref ti);
            var patches = (int)(Varint.Read(span, ref hi) >> 1);
            long inserted = 0, deleted = 0;
            for (var k = 0; k < patches; k++)
            {
                deleted += Varint.ReadInt(span, ref di);
                inserted += Varint.ReadInt(span, ref li);
            }

            visit(chunkFirstRevision + r, time, inserted, deleted);
        }
    }
}
