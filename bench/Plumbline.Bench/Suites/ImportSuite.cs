using Plumbline.Bench.Infrastructure;
using Plumbline.Core.Capture.Traces;
using Plumbline.Storage;

namespace Plumbline.Bench.Suites;

/// <summary>
/// 1. Import throughput: <c>plumb import trace</c> as a fresh process into a fresh store, next to
/// <c>plumb --version</c> measured in the same loop; then the same work in process, split into its pieces.
/// </summary>
internal static class ImportSuite
{
    private static readonly string[] Traces = ["seph-blog1", "automerge-paper"];

    public static async Task RunAsync(BenchContext bench, int runs, int variantRuns, CancellationToken cancellationToken)
    {
        var rows = new List<string[]>();
        var inProcess = new List<string[]>();
        var breakdowns = new Dictionary<string, List<IngestBreakdown.Step>>();
        foreach (var name in Traces)
        {
            var trace = bench.Traces.Get(name);
            var walls = bench.Variants.Select(_ => new List<double>()).ToArray();
            var startups = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                startups.Add((await bench.Plumb.VersionAsync(bench.Scratch, cancellationToken)).Milliseconds);
                for (var v = 0; v < (i < variantRuns ? bench.Variants.Count : 1); v++)
                {
                    var variant = bench.Variants[v];
                    var store = await BenchStore.CreateEmptyAsync(Path.Combine(bench.NewFolder($"import-{name}"), "store.db"), cancellationToken);
                    var run = await variant.Cli.ImportTraceAsync(store, trace.Path, trace.PatchCount, cancellationToken, variant.Environment);
                    walls[v].Add(run.Milliseconds);
                }
            }

            var startup = Summary.Of(startups);
            for (var v = 0; v < bench.Variants.Count; v++)
            {
                var wall = Summary.Of(walls[v]);
                var rate = trace.PatchCount / (wall.Median / 1000);
                rows.Add([
                    name,
                    $"{bench.Variants[v].Label} ({walls[v].Count} runs)",
                    Format.Count(trace.PatchCount),
                    $"{Format.Ms(wall.Median)} ({Format.Ms(wall.Min)}–{Format.Ms(wall.Max)})",
                    Format.Count(rate),
                    Format.Ms(startup.Median),
                    Format.Ratio(wall.Median / startup.Median),
                ]);
                if (bench.Variants[v].IsDefault)
                {
                    bench.Report.Headline($"import {name} (`plumb import trace`, fresh process)", $"{Format.Count(rate)} patches/s", "", $"wall {Format.Ms(wall.Median)} ms (median of {runs}); `plumb --version` {Format.Ms(startup.Median)} ms");
                }
            }

            var (parse, ingest, gc) = await MeasureInProcessAsync(bench, trace, runs: 3, cancellationToken);
            breakdowns[name] = await IngestBreakdown.MeasureAsync(bench, trace, StoreOptions.Default, ingest.Median, gc, runs: 3, cancellationToken);
            inProcess.Add([
                name,
                Format.Ms(parse.Median),
                Format.Ms(ingest.Median),
                Format.Count(trace.PatchCount / ((parse.Median + ingest.Median) / 1000)),
                Format.Count(trace.PatchCount / (ingest.Median / 1000)),
                gc.ToString(),
            ]);
        }

        bench.Report.Section("1. Import throughput (fresh `plumb` process, fresh store)");
        bench.Report.Paragraph(
            $"`plumb --store S import trace FILE --as alice --json` as a new process; each run a new store file (contributor and consent recorded in process beforehand, not timed). " +
            $"Median of {runs} runs for the default build, {variantRuns} for the variants (interleaved in the first rounds); `plumb --version` (process start-up, no store) is measured in the same loop. Wall time is from Process.Start to exit. " +
            "The headline uses the `default` rows (bin/Release/net10.0/plumb as built); the other rows are the same sources under a runtime setting or built ReadyToRun, to show what start-up tuning buys.");
        bench.Report.Table(
            ["trace", "plumb", "patches", "wall ms, median (min–max)", "patches/s", "`plumb --version` ms", "wall ÷ start-up"],
            rows);
        bench.Report.Paragraph("The same work in this (warm) process, median of 3: parse = gunzip + JSON → transactions; ingest = `EditIngest.IngestAsync` (validate every patch, consent gate, encode + Brotli chunks, snapshots, one SQLite transaction with fsync).");
        bench.Report.Table(["trace", "parse ms", "ingest ms", "patches/s (parse + ingest)", "patches/s (ingest only)", "GCs gen0/1/2, pause (last ingest)"], inProcess);
        bench.Report.Paragraph("Where the in-process ingest time goes (each piece run alone over the whole trace with the default layout, median of 3; GC pauses are those of the last real ingest; the rest is the ingest median minus everything above it):");
        bench.Report.Table(
            ["step", .. Traces.Select(t => $"{t} ms")],
            breakdowns[Traces[0]].Select((step, i) => (IReadOnlyList<string>)[step.Name, .. Traces.Select(t => Format.Ms(breakdowns[t][i].Ms))]));
    }

    private static async Task<(Summary Parse, Summary Ingest, GcDelta LastIngestGc)> MeasureInProcessAsync(BenchContext bench, TraceFile trace, int runs, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(trace.Path, cancellationToken);
        var parse = new List<double>();
        var ingest = new List<double>();
        var gc = default(GcDelta);
        for (var i = 0; i < runs; i++)
        {
            var start = Clock.Now();
            EditingTraceReader.Parse(bytes, trace.Name, 0);
            parse.Add(Clock.MillisecondsSince(start));
            await using var store = await BenchStore.CreateAsync(bench.NewFolder($"ingest-{trace.Name}"), trace, StoreOptions.Default, cancellationToken);
            ingest.Add(store.IngestMilliseconds);
            gc = store.IngestGc;
        }

        return (Summary.Of(parse), Summary.Of(ingest), gc);
    }
}
