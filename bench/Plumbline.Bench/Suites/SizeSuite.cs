using Plumbline.Bench.Infrastructure;
using Plumbline.Storage;

namespace Plumbline.Bench.Suites;

/// <summary>4. Bytes on disk ÷ final text size per trace, with the default layout.</summary>
internal static class SizeSuite
{
    /// <summary>The full-history size the brief quotes for CRDT libraries, as a multiple of the final text.</summary>
    public const double CrdtReference = 1.75;

    public static async Task RunAsync(BenchContext bench, CancellationToken cancellationToken)
    {
        var rows = new List<string[]>();
        var empty = await EmptyStoreBytesAsync(bench, cancellationToken);
        foreach (var name in TraceLibrary.All)
        {
            var trace = bench.Traces.Get(name);
            await using var store = await BenchStore.CreateAsync(bench.NewFolder($"size-{name}"), trace, StoreOptions.Default, cancellationToken);
            var size = await store.MeasureAsync(cancellationToken);
            var end = trace.EndBytes;
            rows.Add([
                name,
                Format.Count(trace.PatchCount),
                Format.Bytes(end),
                Format.Bytes(size.Total),
                Format.Ratio((double)size.Total / end),
                $"{Format.Bytes(size.Chunks)} ({Format.Ratio((double)size.Chunks / end)})",
                $"{Format.Bytes(size.Snapshots)} ({Format.Ratio((double)size.Snapshots / end)})",
                $"{Format.Bytes(size.Other)} ({Format.Ratio((double)size.Other / end)})",
                ((double)size.Chunks * 8 / trace.PatchCount).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                Format.Bytes(size.Wal),
            ]);
            if (name is "automerge-paper" or "seph-blog1")
            {
                bench.Report.Headline(
                    $"bytes on disk ÷ final text, {name}",
                    Format.Ratio((double)size.Total / end),
                    $"CRDT full history ≈ {Format.Ratio(CrdtReference)}",
                    $"{Format.Bytes(size.Total)} B for {Format.Bytes(end)} B of text; edit chunks alone {Format.Ratio((double)size.Chunks / end)}");
            }
        }

        bench.Report.Section("4. Bytes on disk ÷ final text size");
        bench.Report.Paragraph(
            "One fresh store per trace, written in process with `StoreOptions.Default`; sizes after `FootprintAsync` (which checkpoints the WAL with TRUNCATE). " +
            "Total = db + wal (the 32 KiB -shm file is a shared-memory index, not data, and is left out). Chunks and snapshots are the stored payload bytes; " +
            $"other = total − both: row headers, B-tree and overflow-page slack, and the pages every store has — an empty store with one contributor and consent takes {Format.Bytes(empty)} B. " +
            $"For comparison the brief quotes ≈ {Format.Ratio(CrdtReference)} for a CRDT library's full-history encoding.");
        bench.Report.Table(
            ["trace", "patches", "final text B", "total B", "total ÷ text", "chunks B (÷ text)", "snapshots B (÷ text)", "other B (÷ text)", "chunk bits/patch", "wal B"],
            rows);
    }

    /// <summary>db + wal of a store with one contributor and consent and no document: the fixed cost in "other".</summary>
    private static async Task<long> EmptyStoreBytesAsync(BenchContext bench, CancellationToken cancellationToken)
    {
        var path = await BenchStore.CreateEmptyAsync(Path.Combine(bench.NewFolder("size-empty"), "store.db"), cancellationToken);
        await using var store = TraceStores.Open(path);
        var footprint = await store.FootprintAsync(cancellationToken);
        return footprint.Files.GetValueOrDefault("store.db") + footprint.Files.GetValueOrDefault("store.db-wal");
    }
}
