using System.IO.Compression;
using System.Text;
using Plumbline.Bench.Infrastructure;
using Plumbline.Storage;

namespace Plumbline.Bench.Suites;

/// <summary>
/// 4c. Brotli window: the store compresses every chunk and snapshot with a 2^22-byte window whatever
/// its size; this compresses the same blobs (default layout) with the window fitted to each blob instead.
/// </summary>
internal static class BrotliWindowSuite
{
    private const int StoreWindow = 22;
    private static readonly string[] Traces = ["automerge-paper", "seph-blog1"];

    /// <summary>The smallest Brotli window (10..24) that holds <paramref name="length"/> bytes (a window holds 2^w − 16).</summary>
    public static int FittedWindow(int length)
    {
        var window = 10;
        while (window < 24 && (1 << window) - 16 < length)
        {
            window++;
        }

        return window;
    }

    public static void Run(BenchContext bench)
    {
        var rows = new List<string[]>();
        foreach (var name in Traces)
        {
            var trace = bench.Traces.Get(name);
            var options = StoreOptions.Default;
            var chunks = Layout.RawChunks(trace, options);
            var snapshots = Layout.Snapshots(trace, options).Select(s => Encoding.UTF8.GetBytes(s.Text)).ToList();
            foreach (var quality in new[] { 5, 9, 11 })
            {
                foreach (var fitted in new[] { false, true })
                {
                    var repetitions = quality == 11 ? 1 : 3;
                    var (chunkMs, chunkBytes) = Compress(chunks, quality, fitted, repetitions);
                    var (snapshotMs, snapshotBytes) = Compress(snapshots, quality, fitted, repetitions);
                    rows.Add([
                        name,
                        quality.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        fitted ? "fitted to the blob" : $"{StoreWindow} (as stored)",
                        Format.Ms(chunkMs),
                        Format.Bytes(chunkBytes),
                        Format.Ms(snapshotMs),
                        Format.Bytes(snapshotBytes),
                    ]);
                }
            }
        }

        bench.Report.Section("4c. Brotli window (chunk and snapshot compression)");
        bench.Report.Paragraph(
            $"`Compression.Compress` always passes window {StoreWindow} (4 MiB) to `BrotliEncoder.TryCompress`; default-layout chunks are at most a few tens of KiB raw. " +
            "Here the same raw chunks (`RevisionChunkCodec.EncodeRaw`, 8,192 revisions each) and snapshot texts are compressed with that window and with the smallest window that holds each blob " +
            "(10..24, 2^w − 16 ≥ length). Best of 3 (quality 11: one pass). Compressed output is identical in format; decoders need no change.");
        bench.Report.Table(["trace", "quality", "window", "chunks ms", "chunks B", "snapshots ms", "snapshots B"], rows);
    }

    private static (double Ms, long Bytes) Compress(IReadOnlyList<byte[]> blobs, int quality, bool fitted, int repetitions)
    {
        var best = double.MaxValue;
        long bytes = 0;
        for (var r = 0; r < repetitions; r++)
        {
            bytes = 0;
            var start = Clock.Now();
            foreach (var blob in blobs)
            {
                var output = new byte[BrotliEncoder.GetMaxCompressedLength(blob.Length)];
                if (!BrotliEncoder.TryCompress(blob, output, out var written, quality, fitted ? FittedWindow(blob.Length) : StoreWindow))
                {
                    throw new InvalidOperationException("Brotli compression failed");
                }

                bytes += written + 4;
            }

            best = Math.Min(best, Clock.MillisecondsSince(start));
        }

        return (best, bytes);
    }
}
