using System.Buffers;
using System.Text;
using Plumbline.Core.Text;

namespace Plumbline.Storage.Documents;

/// <summary>
/// Encodes a run of revisions column by column (times, patch counts, positions relative to the cursor,
/// delete counts, insert lengths, inserted text as UTF-8), so that typing runs become long runs of
/// zeros and ones that Brotli squeezes to well under a byte per keystroke.
/// </summary>
internal static class RevisionChunkCodec
{
    private const byte FormatVersion = 1;
    private static readonly string[] AsciiStrings = Enumerable.Range(0, 128).Select(c => ((char)c).ToString()).ToArray();

    /// <summary>A decoded revision before it is given its number and author (those live in the chunk row).</summary>
    public readonly record struct Entry(long Time, RevisionKind Kind, Patch[] Patches);

    public static byte[] EncodeRaw(IReadOnlyList<Entry> entries)
    {
        var times = new ArrayBufferWriter<byte>();
        var heads = new ArrayBufferWriter<byte>();
        var positions = new ArrayBufferWriter<byte>();
        var deletes = new ArrayBufferWriter<byte>();
        var lengths = new ArrayBufferWriter<byte>();
        var text = new ArrayBufferWriter<byte>();
        long previousTime = 0;
        long cursor = 0;
        foreach (var entry in entries)
        {
            Varint.WriteSigned(times, entry.Time - previousTime);
            previousTime = entry.Time;
            Varint.Write(heads, ((ulong)entry.Patches.Length << 1) | (ulong)entry.Kind);
            foreach (var patch in entry.Patches)
            {
                Varint.WriteSigned(positions, patch.Position - cursor);
                Varint.Write(deletes, (ulong)patch.Delete);
                Varint.Write(lengths, (ulong)patch.InsertLength);
                if (patch.Insert.Length > 0)
                {
                    var span = text.GetSpan(Encoding.UTF8.GetMaxByteCount(patch.Insert.Length));
                    text.Advance(Encoding.UTF8.GetBytes(patch.Insert, span));
                }

                cursor = patch.Position + patch.InsertLength;
            }
        }

        var output = new ArrayBufferWriter<byte>(times.WrittenCount + positions.WrittenCount + text.WrittenCount + 64);
        output.Write([FormatVersion]);
        Varint.Write(output, (ulong)entries.Count);
        foreach (var column in new[] { times, heads, positions, deletes, lengths, text })
        {
            Varint.Write(output, (ulong)column.WrittenCount);
            output.Write(column.WrittenSpan);
        }

        return output.WrittenSpan.ToArray();
    }

    public static byte[] Encode(IReadOnlyList<Entry> entries, int quality) => Compression.Compress(EncodeRaw(entries), quality);

    public static List<Entry> Decode(ReadOnlySpan<byte> stored) => DecodeRaw(Compression.Decompress(stored));

    public static List<Entry> DecodeRaw(byte[] raw)
    {
        var rawSpan = raw.AsSpan();
        var layout = Columns.Of(rawSpan);
        var count = layout.Count;
        var entries = new List<Entry>(count);
        int ti = layout.Times, hi = layout.Heads, pi = layout.Positions, di = layout.Deletes, li = layout.Lengths, xi = layout.Text;
        long time = 0;
        long cursor = 0;
        for (var r = 0; r < count; r++)
        {
            time += Varint.ReadSigned(rawSpan, ref ti);
            var head = Varint.Read(rawSpan, ref hi);
            var kind = (RevisionKind)(head & 1);
            var patches = new Patch[checked((int)(head >> 1))];
            for (var k = 0; k < patches.Length; k++)
            {
                var position = checked((int)(cursor + Varint.ReadSigned(rawSpan, ref pi)));
                var delete = Varint.ReadInt(rawSpan, ref di);
                var length = Varint.ReadInt(rawSpan, ref li);
                string insert;
                if (length == 0)
                {
                    insert = "";
                }
                else if (length == 1 && raw[xi] < 0x80)
                {
                    insert = AsciiStrings[raw[xi++]];
                }
                else
                {
                    var bytes = Utf8BytesOf(rawSpan[xi..], length);
                    insert = Encoding.UTF8.GetString(rawSpan.Slice(xi, bytes));
                    xi += bytes;
                }

                patches[k] = new Patch(position, delete, insert);
                cursor = position + length;
            }

            entries.Add(new Entry(time, kind, patches));
        }

        return entries;
    }

    /// <summary>
    /// Applies the revisions of a stored chunk whose numbers fall in [<paramref name="first"/>,
    /// <paramref name="last"/>] straight onto <paramref name="text"/>, without building patches (replay's fast path).
    /// </summary>
    public static void ApplyRange(ReadOnlySpan<byte> stored, int chunkFirstRevision, int first, int last, TextBuffer text)
    {
        ReadOnlySpan<byte> span = Compression.Decompress(stored);
        var layout = Columns.Of(span);
        var count = layout.Count;
        int hi = layout.Heads, pi = layout.Positions, di = layout.Deletes, li = layout.Lengths, xi = layout.Text;
        long cursor = 0;
        for (var r = 0; r < count && chunkFirstRevision + r <= last; r++)
        {
            var apply = chunkFirstRevision + r >= first;
            var patches = (int)(Varint.Read(span, ref hi) >> 1);
            for (var k = 0; k < patches; k++)
            {
                var position = checked((int)(cursor + Varint.ReadSigned(span, ref pi)));
                var delete = Varint.ReadInt(span, ref di);
                var length = Varint.ReadInt(span, ref li);
                var bytes = length == 0 ? 0 : Utf8BytesOf(span[xi..], length);
                if (apply)
                {
                    text.Replace(position, delete, span.Slice(xi, bytes), length);
                }

                xi += bytes;
                cursor = position + length;
            }
        }
    }

    private static int Utf8BytesOf(ReadOnlySpan<byte> utf8, int codePoints)
    {
        var i = 0;
        for (var cp = 0; cp < codePoints; cp++)
        {
            var lead = utf8[i];
            i += lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        }

        return i;
    }

    /// <summary>
    /// Where a raw chunk's columns start (byte offsets into it) and how many revisions it holds, after checking its
    /// format byte and that every column lies within it. The one reader of the layout <see cref="EncodeRaw"/> writes.
    /// </summary>
    internal readonly record struct Columns(int Count, int Times, int Heads, int Positions, int Deletes, int Lengths, int Text)
    {
        public static Columns Of(ReadOnlySpan<byte> raw)
        {
            var offset = 0;
            if (raw.Length == 0 || raw[offset++] != FormatVersion)
            {
                throw new InvalidDataException("unknown chunk format");
            }

            var count = Varint.ReadInt(raw, ref offset);
            var times = Next(raw, ref offset);
            var heads = Next(raw, ref offset);
            var positions = Next(raw, ref offset);
            var deletes = Next(raw, ref offset);
            var lengths = Next(raw, ref offset);
            var text = Next(raw, ref offset);
            return new Columns(count, times, heads, positions, deletes, lengths, text);
        }

        /// <summary>The start of the next column; moves <paramref name="offset"/> past it.</summary>
        private static int Next(ReadOnlySpan<byte> raw, ref int offset)
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
}
