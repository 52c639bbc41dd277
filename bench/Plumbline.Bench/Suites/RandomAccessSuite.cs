using Plumbline.Bench.Infrastructure;
using Plumbline.Storage;

namespace Plumbline.Bench.Suites;

/// <summary>3. Random access: in-process loads of uniformly random revisions (fixed seed), each checked.</summary>
internal static class RandomAccessSuite
{
    public const int Seed = 20240601;
    private static readonly string[] Traces = ["automerge-paper", "seph-blog1"];

    public static async Task RunAsync(BenchContext bench, int samples, CancellationToken cancellationToken)
    {
        var rows = new List<string[]>();
        foreach (var name in Traces)
        {
            var trace = bench.Traces.Get(name);
            await using var store = await BenchStore.CreateAsync(bench.NewFolder($"random-{name}"), trace, StoreOptions.Default, cancellationToken);
            await store.MeasureAsync(cancellationToken);
            var revisions = RandomRevisions.Draw(store.Document.Revisions, samples, Seed);
            var (s, gc) = await RandomRevisions.MeasureAsync(store, trace, revisions, warmup: 50, cancellationToken);
            rows.Add([name, "`DocumentReader.LoadAsync`", Format.Count(store.Document.Revisions), Format.Ms(s.Median), Format.Ms(s.P95), Format.Ms(s.P99), Format.Ms(s.Max), Format.Ms(s.Mean), gc.ToString()]);
            var (p, prototypeGc) = await RandomRevisions.MeasureAsync(store, trace, revisions, warmup: 50, cancellationToken, store.LoadTextStreamingAsync);
            rows.Add([name, "prototype: streaming decode (bench only)", Format.Count(store.Document.Revisions), Format.Ms(p.Median), Format.Ms(p.P95), Format.Ms(p.P99), Format.Ms(p.Max), Format.Ms(p.Mean), prototypeGc.ToString()]);
            bench.Report.Headline(
                $"random revision {name}, in process",
                $"median {Format.Ms(s.Median)} / p95 {Format.Ms(s.P95)} / p99 {Format.Ms(s.P99)} / max {Format.Ms(s.Max)} ms",
                "< 5 ms",
                s.P99 < 5 ? "met (p99)" : s.Median < 5 ? "met at the median, not at p99" : "NOT met");
        }

        bench.Report.Section("3. Random access");
        bench.Report.Paragraph(
            $"{samples} revisions drawn uniformly from 0..last (seed {Seed}) after 50 warm-up loads; each load opens a read session, replays from the nearest snapshot and builds the text string. " +
            "Every result is compared with the trace replayed in memory (length + hash). `StoreOptions.Default`. " +
            "The prototype rows read the same store and revisions through `bench/Plumbline.Bench/Experiments/StreamingReplay.cs`, which applies each chunk's columns straight onto a code-point gap buffer instead of building `Patch` objects (a candidate change for src/, not the product).");
        bench.Report.Table(["trace", "replay", "revisions", "median ms", "p95 ms", "p99 ms", "max ms", "mean ms", "GCs gen0/1/2, pause during the loads"], rows);
    }
}
