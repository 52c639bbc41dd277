using System.Text;
using Plumbline.Storage;
using Plumbline.Storage.Documents;

namespace Plumbline.Bench.Experiments;

/// <summary>
/// A prototype (bench only, not the product) of replay without materialising patches: each chunk is
/// Brotli-decompressed and its columns are applied straight onto a gap buffer of code points, so no
/// <c>Patch</c>, patch array or insert string is allocated. Same store, same rows, same result as
/// <see cref="DocumentReader.LoadAsync"/>; it measures how much of replay time is decoding overhead.
/// </summary>
internal static class StreamingReplay
{
    public static async Task<string> LoadTextAsync(IStoreSession session, DocumentInfo document, int revision, CancellationToken cancellationToken)
    {
        var snapshot = revision == 0 ? null : await session.SnapshotAtOrBeforeAsync(document.Id, revision, cancellationToken);
        var from = snapshot?.Revision ?? 0;
        var buffer = new CodePointGap(Math.Max(document.Length, 0) + 1024);
        if (snapshot is null)
        {
            buffer.Insert(Encoding.UTF8.GetBytes(await session.StartContentAsync(document.Id, cancellationToken)));
        }
        else
        {
            buffer.Insert(Compression.Decompress(snapshot.Data));
        }

        if (revision > from)
        {
            foreach (var chunk in await session.ChunksAsync(document.Id, from + 1, revision, cancellationToken))
            {
                ApplyChunk(Compression.Decompress(chunk.Data), chunk.FirstRevision, from + 1, revision, buffer);
            }
        }

        return buffer.ToString();
    }

    /// <summary>Applies the revisions <paramref name="first"/>..<paramref name="last"/> held in one raw (format 1) chunk.</summary>
    private static void ApplyChunk(byte[] raw, int chunkFirst, int first, int last, CodePointGap buffer)
    {
        var offset = 1;
        var count = Varint.ReadInt(raw, ref offset);
        var columns = new int[6];
        for (var c = 0; c < 6; c++)
        {
            var length = Varint.ReadInt(raw, ref offset);
            columns[c] = offset;
            offset += length;
        }

        ReadOnlySpan<byte> span = raw;
        int hi = columns[1], pi = columns[2], di = columns[3], li = columns[4], xi = columns[5];
        long cursor = 0;
        for (var r = 0; r < count; r++)
        {
            var revision = chunkFirst + r;
            if (revision > last)
            {
                break;
            }

            var patches = (int)(Varint.Read(span, ref hi) >> 1);
            for (var k = 0; k < patches; k++)
            {
                var position = (int)(cursor + Varint.ReadSigned(span, ref pi));
                var delete = Varint.ReadInt(span, ref di);
                var length = Varint.ReadInt(span, ref li);
                var bytes = Utf8Bytes(span[xi..], length);
                if (revision >= first)
                {
                    buffer.Replace(position, delete, span.Slice(xi, bytes), length);
                }

                xi += bytes;
                cursor = position + length;
            }
        }
    }

    private static int Utf8Bytes(ReadOnlySpan<byte> utf8, int codePoints)
    {
        var i = 0;
        for (var cp = 0; cp < codePoints; cp++)
        {
            var lead = utf8[i];
            i += lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        }

        return i;
    }

    /// <summary>A gap buffer of code points filled straight from UTF-8.</summary>
    private sealed class CodePointGap(int capacity)
    {
        private int[] _buffer = new int[Math.Max(capacity, 256)];
        private int _gapStart;
        private int _gapEnd = Math.Max(capacity, 256);

        private int Length => _buffer.Length - (_gapEnd - _gapStart);

        public void Insert(ReadOnlySpan<byte> utf8)
        {
            var codePoints = 0;
            foreach (var b in utf8)
            {
                codePoints += (b & 0xC0) != 0x80 ? 1 : 0;
            }

            Replace(Length, 0, utf8, codePoints);
        }

        public void Replace(int position, int delete, ReadOnlySpan<byte> utf8, int codePoints)
        {
            if (position > Length || (long)position + delete > Length)
            {
                throw new InvalidDataException($"patch at {position} deleting {delete} does not fit a text of {Length}");
            }

            MoveGap(position);
            _gapEnd += delete;
            if (_gapEnd - _gapStart < codePoints)
            {
                Grow(codePoints);
            }

            if (utf8.Length == codePoints)
            {
                for (var i = 0; i < utf8.Length; i++)
                {
                    _buffer[_gapStart++] = utf8[i];
                }

                return;
            }

            var rest = utf8;
            while (!rest.IsEmpty)
            {
                System.Text.Rune.DecodeFromUtf8(rest, out var rune, out var consumed);
                _buffer[_gapStart++] = rune.Value;
                rest = rest[consumed..];
            }
        }

        public override string ToString()
        {
            MoveGap(Length);
            return Core.Text.CodePoints.Encode(_buffer.AsSpan(0, _gapStart));
        }

        private void MoveGap(int position)
        {
            if (position < _gapStart)
            {
                var count = _gapStart - position;
                Array.Copy(_buffer, position, _buffer, _gapEnd - count, count);
                _gapStart = position;
                _gapEnd -= count;
            }
            else if (position > _gapStart)
            {
                var count = position - _gapStart;
                Array.Copy(_buffer, _gapEnd, _buffer, _gapStart, count);
                _gapStart += count;
                _gapEnd += count;
            }
        }

        private void Grow(int needed)
        {
            var bigger = new int[Math.Max(_buffer.Length * 2, Length + needed + 256)];
            Array.Copy(_buffer, 0, bigger, 0, _gapStart);
            var tail = _buffer.Length - _gapEnd;
            Array.Copy(_buffer, _gapEnd, bigger, bigger.Length - tail, tail);
            _gapEnd = bigger.Length - tail;
            _buffer = bigger;
        }
    }
}
