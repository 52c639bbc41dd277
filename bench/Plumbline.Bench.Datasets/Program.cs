using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Plumbline.Core.Capture;
using Plumbline.Core.Consent;
using Plumbline.Core.Datasets;
using Plumbline.Core.Text;
using Plumbline.Storage;
using Plumbline.Storage.Consent;
using Plumbline.Storage.Datasets;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Ingest;
using Plumbline.Bench.Datasets;

// Dataset benchmarks: next-edit builds from the real editing traces and from synthetic stores of growing
// size, each next to a plain replay of the same store measured in the same run (the baseline), with the
// peak managed heap of each phase; and the time to verify.
// Usage: dotnet run -c Release --project bench/Plumbline.Bench.Datasets -- [--events 1000000] [--small 250000] [--realdata DIR]
int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

const int Window = 32_768;
var events = Option("--events", 1_000_000);
var small = Option("--small", 250_000);
var root = FindRoot();
var realdata = args.SkipWhile(a => a != "--realdata").Skip(1).FirstOrDefault() ?? Path.Combine(root, "..", "shared", "realdata");
var work = Path.Combine(Path.GetTempPath(), "plumbline-bench-datasets-" + Environment.ProcessId);
Directory.CreateDirectory(work);
var report = new StringBuilder();
report.AppendLine("# Dataset benchmarks");
report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"- Command: `dotnet run -c Release --project bench/Plumbline.Bench.Datasets -- {string.Join(' ', args)}`");
report.AppendLine(CultureInfo.InvariantCulture, $"- Date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} logical CPUs; .NET {Environment.Version}; load average at start {LoadAverage()}");
report.AppendLine("- Stores are SQLite files built with the library (redaction off while loading, so loading is quick; the dataset build re-applies redaction to every example as it always does).");
report.AppendLine("- Baseline: a plain replay of the same store in the same run — every document's revisions streamed in the same windows and applied to a text buffer.");
report.AppendLine("- Peak heap: the largest managed heap sampled every 5 ms during the phase, after a full collection before it.");
report.AppendLine();
report.AppendLine("- CPU s: processor time of the whole process during the phase (the machine is shared, so wall time moves with the load; CPU time much less).");
report.AppendLine();
report.AppendLine("| store | events | phase | wall s | CPU s | events/s (CPU) | examples | examples/s (CPU) | peak heap MiB | CPU vs replay |");
report.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
try
{
    var traces = new[] { "seph-blog1", "rustcode", "sveltecomponent", "automerge-paper" }
        .Select(n => Path.Combine(realdata, "editing-traces", n + ".json.gz"))
        .Where(File.Exists)
        .ToList();
    if (traces.Count > 0)
    {
        var store = await LoadAsync(Path.Combine(work, "real.db"), async (ingest, _) =>
        {
            foreach (var path in traces)
            {
                await ingest.IngestAsync(TraceBatch(path), null, default);
            }
        });
        await MeasureAsync(report, "real traces (4)", store, Path.Combine(work, "real"));
    }
    else
    {
        report.AppendLine(CultureInfo.InvariantCulture, $"| real traces | — | skipped: no traces under {realdata} | | | | | | | |");
    }

    foreach (var size in new[] { small, events }.Distinct())
    {
        var store = await LoadAsync(Path.Combine(work, $"synthetic-{size}.db"), (ingest, _) => Synthetic.LoadAsync(ingest, size));
        await MeasureAsync(report, $"synthetic {size:N0}", store, Path.Combine(work, $"synthetic-{size}"));
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"Process peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MiB.");
var output = Path.Combine(root, "bench", "results", "datasets.md");
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
await File.WriteAllTextAsync(output, report.ToString());
Console.WriteLine(report);
Console.WriteLine($"written to {output}");
return;

static async Task MeasureAsync(StringBuilder report, string name, ITraceStore store, string folder)
{
    await using (store)
    {
        var clock = TimeProvider.System;
        long total = 0;
        var (replaySeconds, replayPeak) = await Phase(async () => total = await ReplayAsync(store));
        Row(report, name, total, "replay (baseline)", replaySeconds, 0, replayPeak, replaySeconds);
        DatasetBuildResult? built = null;
        var options = new DatasetBuildOptions { Kind = DatasetKind.NextEdit, Use = DataUse.Training, Output = folder, Format = DatasetFormat.Zeta };
        var (buildSeconds, buildPeak) = await Phase(async () => built = await new DatasetBuilder(store, clock).BuildAsync(options, null, default));
        Row(report, name, total, "next-edit build (zeta, dedup 0.8)", buildSeconds, built!.Examples, buildPeak, replaySeconds);
        Directory.Delete(folder, recursive: true);
        var (noDedupSeconds, noDedupPeak) = await Phase(async () => built = await new DatasetBuilder(store, clock).BuildAsync(options with { DedupThreshold = 0 }, null, default));
        Row(report, name, total, "next-edit build (zeta, no dedup)", noDedupSeconds, built!.Examples, noDedupPeak, replaySeconds);
        VerifyResult? verified = null;
        var (verifySeconds, verifyPeak) = await Phase(async () => verified = await new DatasetVerifier(store, clock).VerifyAsync(folder, null, default));
        if (!verified!.Ok)
        {
            throw new InvalidOperationException("verify failed on a fresh build");
        }

        Row(report, name, total, "verify", verifySeconds, verified.Examples, verifyPeak, replaySeconds);
        Console.Error.WriteLine($"{name}: done");
    }
}

static void Row(StringBuilder report, string name, long events, string phase, (double Wall, double Cpu) seconds, long examples, long peak, (double Wall, double Cpu) baseline)
{
    report.AppendLine(CultureInfo.InvariantCulture,
        $"| {name} | {events:N0} | {phase} | {seconds.Wall:F2} | {seconds.Cpu:F2} | {events / seconds.Cpu:N0} | {(examples == 0 ? "" : examples.ToString("N0", CultureInfo.InvariantCulture))} | {(examples == 0 ? "" : (examples / seconds.Cpu).ToString("N0", CultureInfo.InvariantCulture))} | {peak / (1024.0 * 1024):F1} | {seconds.Cpu / baseline.Cpu:F1}× |");
    Console.Error.WriteLine($"{name}: {phase}: {seconds.Wall:F2} s wall, {seconds.Cpu:F2} s CPU, peak heap {peak / (1024.0 * 1024):F1} MiB");
}

static async Task<((double Wall, double Cpu) Seconds, long PeakHeap)> Phase(Func<Task> work)
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    var peak = GC.GetTotalMemory(false);
    using var stop = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            peak = Math.Max(peak, GC.GetTotalMemory(false));
            try
            {
                await Task.Delay(5, stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    });
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    await work();
    watch.Stop();
    var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
    await stop.CancelAsync();
    await sampler;
    return ((watch.Elapsed.TotalSeconds, used), peak);
}

static async Task<long> ReplayAsync(ITraceStore store)
{
    await using var session = await store.OpenAsync(write: false, default);
    long patches = 0;
    foreach (var document in await session.ListDocumentsAsync(default))
    {
        var text = new TextBuffer(await session.StartContentAsync(document.Id, default), document.Length + 1024);
        for (var from = 1; from <= document.Revisions; from += Window)
        {
            await foreach (var revision in DocumentReader.RevisionsAsync(session, document, from, Math.Min(document.Revisions, from + Window - 1), default))
            {
                foreach (var patch in revision.Patches)
                {
                    text.Apply(patch);
                    patches++;
                }
            }
        }
    }

    return patches;
}

static async Task<ITraceStore> LoadAsync(string path, Func<EditIngest, ContributorService, Task> load)
{
    var store = TraceStores.Open(path);
    var contributors = new ContributorService(store, TimeProvider.System);
    await contributors.AddAsync("alice", default);
    await contributors.SetConsentAsync("alice", new ConsentTerms(new HashSet<SourceKind> { SourceKind.Documents }, new HashSet<DataUse> { DataUse.Training }, null), null, "bench", default);
    var ingest = new EditIngest(store, TimeProvider.System, StoreOptions.Default with { Redact = false });
    var watch = Stopwatch.StartNew();
    await load(ingest, contributors);
    Console.Error.WriteLine($"loaded {Path.GetFileName(path)} in {watch.Elapsed.TotalSeconds:F1} s");
    return store;
}

static EditBatch TraceBatch(string path)
{
    using var file = File.OpenRead(path);
    using var gzip = new GZipStream(file, CompressionMode.Decompress);
    using var json = JsonDocument.Parse(gzip);
    var transactions = new List<EditTransaction>();
    var t0 = 0L;
    foreach (var txn in json.RootElement.GetProperty("txns").EnumerateArray())
    {
        var time = txn.TryGetProperty("time", out var t) && t.ValueKind == JsonValueKind.String
            ? DateTimeOffset.Parse(t.GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds()
            : t0;
        t0 = time;
        var patches = txn.GetProperty("patches").EnumerateArray().Select(p => new Patch(p[0].GetInt32(), p[1].GetInt32(), p[2].GetString()!)).ToArray();
        transactions.Add(new EditTransaction(time, patches));
    }

    return new EditBatch
    {
        Document = Path.GetFileName(path).Replace(".json.gz", "", StringComparison.Ordinal),
        StartContent = json.RootElement.GetProperty("startContent").GetString(),
        Transactions = transactions,
        Actor = "alice",
        BatchId = Path.GetFileName(path),
    };
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Plumbline.slnx")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
