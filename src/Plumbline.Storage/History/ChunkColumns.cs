using Plumbline.Storage.Documents;

namespace Plumbline.Storage.History;

/// <summary>
/// Walks the columns of a stored chunk (see <see cref="RevisionChunkCodec"/>) without building patches or
/// strings: what a timeline or an authorship replay needs is positions and lengths, never the inserted text.
/// </summary>
internal static class ChunkColumns
{
    private const byte FormatVersion = 1;

    /// <summary>One patch of a revision: its kind, position, deleted and inserted lengths (code points).</summary>
    public delegate void PatchVisitor(RevisionKind kind, int position, int delete, int insertLength);

    /// <summary>One revision: its number, time, and the code points its patches inserted and deleted.</summary>
    public delegate void RevisionVisitor(int revision, long time, long inserted, long deleted);

    /// <summary>Visits every patch of the chunk's revisions up to <paramref name="last"/>, in order.</summary>
    public static void Walk(byte[] stored, int chunkFirstRevision, int last, PatchVisitor visit)
    {
        var raw = Compression.Decompress(stored);
        ReadOnlySpan<byte> span = raw;
        var offset = Header(span, out var count);
        _ = Column(span, ref offset);
        var heads = Column(span, ref offset);
        var positions = Column(span, ref offset);
        var deletes = Column(span, ref offset);
        var lengths = Column(span, ref offset);
        int hi = heads, pi = positions, di = deletes, li = lengths;
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
        var raw = Compression.Decompress(stored);
        ReadOnlySpan<byte> span = raw;
        var offset = Header(span, out var count);
        var times = Column(span, ref offset);
        var heads = Column(span, ref offset);
        _ = Column(span, ref offset);
        var deletes = Column(span, ref offset);
        var lengths = Column(span, ref offset);
        int ti = times, hi = heads, di = deletes, li = lengths;
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

    private static int Header(ReadOnlySpan<byte> raw, out int count)
    {
        var offset = 0;
        if (raw.Length == 0 || raw[offset++] != FormatVersion)
        {
            throw new InvalidDataException("unknown chunk format");
        }

        count = Varint.ReadInt(raw, ref offset);
        return offset;
    }

    /// <summary>The start of the next column; moves <paramref name="offset"/> past it.</summary>
    private static int Column(ReadOnlySpan<byte> raw, ref int offset)
    {
        var length = Varint.ReadInt(raw, ref offset);
        var start = offset;
        offset += length;
        if (offset > raw.Length)
        {
            throw new InvalidDataException("chunk column runs past the end");
        }

        return start;
    }
}
