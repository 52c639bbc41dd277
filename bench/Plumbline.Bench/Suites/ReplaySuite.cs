using Plumbline.Bench.Infrastructure;
using Plumbline.Core.Text;
using Plumbline.Storage;
using Plumbline.Storage.Documents;

namespace Plumbline.Bench.Suites;

/// <summary>
/// 2. Full replay of automerge-paper: (a) in process, with where the time goes; (b) <c>plumb replay</c>
/// as a whole process against <c>plumb --version</c> start-up.
/// </summary>
internal static class ReplaySuite
{
    private const string TraceName = "automerge-paper";

    public static async Task RunAsync(BenchContext bench, int iterations, int processRuns, CancellationToken cancellationToken)
    {
        var trace = bench.Traces.Get(TraceName);
        var folder = bench.NewFolder("replay");
        await using var store = await BenchStore.CreateAsync(folder, trace, StoreOptions.Default, cancellationToken);
        await store.MeasureAsync(cancellationToken); // folds the WAL in, so every reader starts from the database file
        var last = store.Document.Revisions;

        var cold = Clock.Now();
        var first = await store.LoadTextAsync(last, cancellationToken);
        var coldMs = Clock.MillisecondsSince(cold);
        if (first != trace.EndContent)
        {
            throw new InvalidOperationException($"{TraceName}: replaying the last revision does not give endContent");
        }

        for (var i = 0; i < 10; i++)
        {
            await store.LoadTextAsync(last, cancellationToken);
        }

        var times = new List<double>();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var gc = GcDelta.Start();
        for (var i = 0; i < iterations; i++)
        {
            var start = Clock.Now();
            await store.LoadTextAsync(last, cancellationToken);
            times.Add(Clock.MillisecondsSince(start));
        }

        var replayGc = gc.Stop();
        var perReplay = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / iterations;
        var replay = Summary.Of(times);
        var (prototype, prototypeAllocated, prototypeGc) = await MeasurePrototypeAsync(store, trace.EndContent, iterations, cancellationToken);
        var (phases, shape) = await PhasesAsync(store, last, iterations, cancellationToken);

        bench.Report.Section("2. Full replay of automerge-paper");
        bench.Report.Paragraph(
            $"(a) In process: open a read session, `DocumentReader.LoadAsync` to revision {Format.Count(last)} (the last), `.ToString()`, close. The prototype row is the same through the bench's streaming-decode prototype (see section 3). " +
            $"Store written with `StoreOptions.Default`; the text is checked against `endContent`. {iterations} iterations after 10 warm-up; the first call of the run took {Format.Ms(coldMs)} ms.");
        bench.Report.Table(
            ["replay", "median ms", "mean ms", "p95 ms", "max ms", "allocated per replay", $"GCs gen0/1/2, pause in {iterations} replays"],
            [
                ["`DocumentReader.LoadAsync` + `ToString()`", Format.Ms(replay.Median), Format.Ms(replay.Mean), Format.Ms(replay.P95), Format.Ms(replay.Max), Format.Kib(perReplay), replayGc.ToString()],
                ["prototype: streaming decode (bench only)", Format.Ms(prototype.Median), Format.Ms(prototype.Mean), Format.Ms(prototype.P95), Format.Ms(prototype.Max), Format.Kib(prototypeAllocated), prototypeGc.ToString()],
            ]);
        bench.Report.Paragraph($"Where the time goes (the same steps as `DocumentReader.LoadAsync`, timed one by one, medians; {shape}):");
        bench.Report.Table(["step", "median ms", "share"], phases.Select(p => (IReadOnlyList<string>)[p.Step, Format.Ms(p.Ms), $"{p.Ms / phases.Sum(q => q.Ms):P0}"]));
        bench.Report.Headline("full replay automerge-paper, in process", $"{Format.Ms(replay.Median)} ms", "", $"median of {iterations}, warm");

        await MeasureProcessAsync(bench, store.Path, trace.EndBytes, processRuns, cancellationToken);
    }

    private static async Task MeasureProcessAsync(BenchContext bench, string store, long expectedBytes, int runs, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(store)!;
        string[][] commands =
        [
            ["--version"],
            ["--store", store, "replay", TraceName, "--rev", "0"],
            ["--store", store, "replay", TraceName],
        ];
        var times = bench.Variants.Select(_ => commands.Select(_ => new List<double>()).ToArray()).ToArray();
        for (var i = 0; i < runs; i++)
        {
            for (var v = 0; v < bench.Variants.Count; v++)
            {
                for (var c = 0; c < commands.Length; c++)
                {
                    var run = await bench.Variants[v].RunAsync(commands[c], folder, captureOutput: false, cancellationToken);
                    if (c == 2 && run.StandardOutputBytes != expectedBytes)
                    {
                        throw new InvalidOperationException($"plumb replay printed {run.StandardOutputBytes} bytes, expected {expectedBytes}");
                    }

                    times[v][c].Add(run.Milliseconds);
                }
            }
        }

        var medians = times.Select(v => v.Select(c => Summary.Of(c).Median).ToArray()).ToArray();
        var startup = medians[0][0];
        bench.Report.Paragraph(
            $"(b) As a whole process, stdout drained and discarded (like `> /dev/null`; the byte count is checked). Median of {runs} runs; all commands and variants interleaved in each round. " +
            "`replay --rev 0` opens the store and reads the start content only, so it separates CLI + store start-up from replay work. " +
            "The headline uses the `default` row; the other rows are the same sources under a runtime setting or built ReadyToRun (`dotnet publish -r linux-x64 -p:PublishReadyToRun=true`, made by run.sh).");
        bench.Report.Table(
            ["plumb", "`--version` ms", "`replay --rev 0` ms", "`replay` ms", "`replay` ÷ own `--version`", "`replay` ÷ default `--version`"],
            bench.Variants.Select((variant, v) => (IReadOnlyList<string>)[
                variant.Label,
                Format.Ms(medians[v][0]),
                Format.Ms(medians[v][1]),
                Format.Ms(medians[v][2]),
                Format.Ratio(medians[v][2] / medians[v][0]),
                Format.Ratio(medians[v][2] / startup),
            ]));
        var ratio = medians[0][2] / startup;
        bench.Report.Headline(
            "`plumb replay automerge-paper` ÷ `plumb --version`",
            Format.Ratio(ratio),
            "≤ 2×",
            $"{(ratio <= 2 ? "met" : "NOT met")}: {Format.Ms(medians[0][2])} ms vs {Format.Ms(startup)} ms; `replay --rev 0` alone {Format.Ms(medians[0][1])} ms");
    }

    private static async Task<(Summary Times, long Allocated, GcDelta Gc)> MeasurePrototypeAsync(BenchStore store, string expected, int iterations, CancellationToken cancellationToken)
    {
        var last = store.Document.Revisions;
        if (await store.LoadTextStreamingAsync(last, cancellationToken) != expected)
        {
            throw new InvalidOperationException($"{TraceName}: the streaming prototype does not give endContent");
        }

        for (var i = 0; i < 10; i++)
        {
            await store.LoadTextStreamingAsync(last, cancellationToken);
        }

        var times = new List<double>();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var gc = GcDelta.Start();
        for (var i = 0; i < iterations; i++)
        {
            var start = Clock.Now();
            await store.LoadTextStreamingAsync(last, cancellationToken);
            times.Add(Clock.MillisecondsSince(start));
        }

        var delta = gc.Stop();
        return (Summary.Of(times), (GC.GetTotalAllocatedBytes(precise: true) - allocated) / iterations, delta);
    }

    private sealed record Phase(string Step, double Ms);

    private static async Task<(List<Phase> Phases, string Shape)> PhasesAsync(BenchStore store, int revision, int iterations, CancellationToken cancellationToken)
    {
        string[] steps = ["open read session", "query snapshot row", "Brotli-decompress snapshot + fill buffer", "query chunk rows", "Brotli-decompress chunks", "decode chunk columns to patches", "apply patches", "buffer.ToString()", "close session"];
        var samples = steps.Select(_ => new List<double>()).ToArray();
        var shape = "";
        for (var i = 0; i < iterations; i++)
        {
            var t = new double[steps.Length];
            var mark = Clock.Now();
            void Lap(int step)
            {
                t[step] += Clock.MillisecondsSince(mark);
                mark = Clock.Now();
            }

            var session = await store.Store.OpenAsync(write: false, cancellationToken);
            Lap(0);
            var snapshot = await session.SnapshotAtOrBeforeAsync(store.Document.Id, revision, cancellationToken);
            Lap(1);
            var from = snapshot?.Revision ?? 0;
            var text = snapshot is null ? await session.StartContentAsync(store.Document.Id, cancellationToken) : Compression.DecompressText(snapshot.Data);
            var buffer = new TextBuffer(text, Math.Max(store.Document.Length, text.Length) + 1024);
            Lap(2);
            var chunks = await session.ChunksAsync(store.Document.Id, from + 1, revision, cancellationToken);
            Lap(3);
            var applied = 0;
            foreach (var chunk in chunks)
            {
                var raw = Compression.Decompress(chunk.Data);
                Lap(4);
                var entries = RevisionChunkCodec.DecodeRaw(raw);
                Lap(5);
                for (var e = Math.Max(0, from + 1 - chunk.FirstRevision); e < entries.Count && chunk.FirstRevision + e <= revision; e++)
                {
                    foreach (var patch in entries[e].Patches)
                    {
                        buffer.Apply(patch);
                        applied++;
                    }
                }

                Lap(6);
            }

            _ = buffer.ToString();
            Lap(7);
            await session.DisposeAsync();
            Lap(8);
            shape = $"snapshot at revision {Format.Count(from)}, then {chunks.Count} chunks decoded whole and {Format.Count(applied)} patches applied";
            for (var s = 0; s < steps.Length; s++)
            {
                samples[s].Add(t[s]);
            }
        }

        return (steps.Select((step, s) => new Phase(step, Summary.Of(samples[s]).Median)).ToList(), shape);
    }
}
