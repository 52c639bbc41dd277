using Plumbline.Bench.Infrastructure;
using Plumbline.Bench.Suites;

namespace Plumbline.Bench;

/// <summary>Runs the chosen suites in order and renders the report with how and where it was measured.</summary>
internal static class BenchRun
{
    public static async Task<string> RunAsync(BenchContext bench, BenchOptions options, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var loadBefore = Machine.LoadAverage();
        var clock = Clock.Now();
        var version = (await bench.Plumb.VersionAsync(bench.Scratch, cancellationToken)).StandardOutput.Trim();
        var sqlite = (await ProcessRunner.RunAsync(MillionSuite.Sqlite3, ["--version"], bench.Scratch, true, cancellationToken)).StandardOutput.Trim();

        var suites = new (string Name, Func<Task> Run)[]
        {
            ("ingest", () => ImportSuite.RunAsync(bench, options.ProcessRuns, options.VariantRuns, cancellationToken)),
            ("replay", () => ReplaySuite.RunAsync(bench, options.ReplayIterations, options.ReplayProcessRuns, cancellationToken)),
            ("random", () => RandomAccessSuite.RunAsync(bench, options.RandomSamples, cancellationToken)),
            ("size", () => SizeSuite.RunAsync(bench, cancellationToken)),
            ("sweep", () => SweepSuite.RunAsync(bench, options.SweepSamples, cancellationToken)),
            ("brotli", () =>
            {
                BrotliWindowSuite.Run(bench);
                return Task.CompletedTask;
            }),
            ("million", () => MillionSuite.RunAsync(bench, options.MillionRuns, cancellationToken)),
        };
        var timings = new List<string>();
        foreach (var (name, run) in suites.Where(s => options.Runs(s.Name)))
        {
            Console.Error.WriteLine($"[{DateTimeOffset.UtcNow:HH:mm:ss}] {name} …");
            var start = Clock.Now();
            await run();
            timings.Add($"{name} {Clock.MillisecondsSince(start) / 1000:0} s");
        }

        var command = Environment.GetEnvironmentVariable("PLUMBLINE_BENCH_COMMAND")
            ?? $"dotnet run -c Release --project bench/Plumbline.Bench -- {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}";
        return bench.Report.Render(
        [
            $"- Command: `{command}`{(options.Quick ? " (**--quick: smoke-test repetitions, not for comparison**)" : "")}",
            $"- Date: {started:yyyy-MM-dd HH:mm} UTC; total {Clock.MillisecondsSince(clock) / 1000:0} s ({string.Join(", ", timings)})",
            $"- Machine: {Machine.Describe()}",
            $"- Load average before / after: {loadBefore} / {Machine.LoadAverage()} (the machine is shared; every ratio compares numbers taken in the same loop)",
            $"- `plumb --version`: {version} ({bench.Plumb.Path}, Release build)",
            $"- sqlite3: {sqlite}",
            $"- Traces: {bench.Traces.Folder}",
        ]);
    }
}
