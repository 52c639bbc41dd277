using Plumbline.Bench.Infrastructure;
using Plumbline.Storage;

namespace Plumbline.Bench.Suites;

/// <summary>4b. StoreOptions sweep: size on disk against random-access time and ingest time, to choose defaults.</summary>
internal static class SweepSuite
{
    /// <summary>"No snapshots" in practice: larger than any document here.</summary>
    public const int NoSnapshots = int.MaxValue;

    private static readonly string[] Traces = ["automerge-paper", "seph-blog1"];

    /// <summary>A grid over chunk size × snapshot interval at the default quality, then quality 5 at three chunk sizes and 11 at the default layout.</summary>
    public static IReadOnlyList<StoreOptions> Configurations()
    {
        var list = new List<StoreOptions>();
        foreach (var chunk in new[] { 1024, 4096, 8192, 32768 })
        {
            foreach (var snapshot in new[] { 16384, 65536, 131072, NoSnapshots })
            {
                list.Add(new StoreOptions { ChunkRevisions = chunk, SnapshotEveryPatches = snapshot, CompressionQuality = 9 });
            }
        }

        foreach (var chunk in new[] { 1024, 4096, 8192 })
        {
            list.Add(new StoreOptions { ChunkRevisions = chunk, SnapshotEveryPatches = 65536, CompressionQuality = 5 });
        }

        list.Add(new StoreOptions { ChunkRevisions = 8192, SnapshotEveryPatches = 65536, CompressionQuality = 11 });

        return list;
    }

    public static async Task RunAsync(BenchContext bench, int samples, CancellationToken cancellationToken)
    {
        var configurations = Configurations();
        var results = new Dictionary<(StoreOptions, string), (BenchStoreStats Stats, Summary Random, Summary Prototype)>();
        foreach (var name in Traces)
        {
            var trace = bench.Traces.Get(name);
            foreach (var options in configurations)
            {
                await using var store = await BenchStore.CreateAsync(bench.NewFolder($"sweep-{name}"), trace, options, cancellationToken);
                var size = await store.MeasureAsync(cancellationToken);
                var revisions = RandomRevisions.Draw(store.Document.Revisions, samples, RandomAccessSuite.Seed);
                var (random, _) = await RandomRevisions.MeasureAsync(store, trace, revisions, warmup: 10, cancellationToken);
                var (prototype, _) = await RandomRevisions.MeasureAsync(store, trace, revisions, warmup: 10, cancellationToken, store.LoadTextStreamingAsync);
                results[(options, name)] = (new BenchStoreStats(store.IngestMilliseconds, size, trace.EndBytes), random, prototype);
                Console.Error.WriteLine($"  sweep {name} {Label(options)}: {Format.Ratio((double)size.Total / trace.EndBytes)}, median {Format.Ms(random.Median)} ms, p99 {Format.Ms(random.P99)} ms");
            }
        }

        bench.Report.Section("4b. StoreOptions sweep (size vs random access vs ingest)");
        bench.Report.Paragraph(
            $"In process, one fresh store per configuration and trace; {samples} uniformly random revisions (seed {RandomAccessSuite.Seed}, 10 warm-up), each checked against the in-memory replay. " +
            "Ingest = `EditIngest.IngestAsync` wall time. ChunkBytes stays at its default (256 KiB raw), which none of these traces reach. " +
            "Snapshot interval \"none\" is int.MaxValue: no snapshots at all. The default is marked **bold**. " +
            "The last column reads the same revisions through the bench's streaming-decode prototype (section 3).");
        foreach (var name in Traces)
        {
            bench.Report.Paragraph($"**{name}**");
            bench.Report.Table(
                ["ChunkRevisions", "SnapshotEveryPatches", "quality", "ingest ms", "total B", "÷ text", "chunks B", "snapshots B", "random median ms", "p95 ms", "p99 ms", "max ms", "prototype median / p99 ms"],
                configurations.Select(o =>
                {
                    var (stats, random, prototype) = results[(o, name)];
                    var mark = o == StoreOptions.Default ? "**" : "";
                    return (IReadOnlyList<string>)[
                        $"{mark}{Format.Count(o.ChunkRevisions)}{mark}",
                        o.SnapshotEveryPatches == NoSnapshots ? "none" : Format.Count(o.SnapshotEveryPatches),
                        o.CompressionQuality.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Format.Ms(stats.IngestMs),
                        Format.Bytes(stats.Size.Total),
                        Format.Ratio((double)stats.Size.Total / stats.EndBytes),
                        Format.Bytes(stats.Size.Chunks),
                        Format.Bytes(stats.Size.Snapshots),
                        Format.Ms(random.Median),
                        Format.Ms(random.P95),
                        Format.Ms(random.P99),
                        Format.Ms(random.Max),
                        $"{Format.Ms(prototype.Median)} / {Format.Ms(prototype.P99)}",
                    ];
                }));
        }
    }

    private static string Label(StoreOptions o) =>
        $"chunk {o.ChunkRevisions} snap {(o.SnapshotEveryPatches == NoSnapshots ? "none" : o.SnapshotEveryPatches)} q{o.CompressionQuality}";

    private sealed record BenchStoreStats(double IngestMs, DiskSize Size, long EndBytes);
}
