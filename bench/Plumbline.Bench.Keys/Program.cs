using System.Diagnostics;
using Plumbline.Core.Capture;
using Plumbline.Core.Capture.Traces;
using Plumbline.Core.Consent;
using Plumbline.Storage;
using Plumbline.Storage.Consent;
using Plumbline.Storage.Ingest;
using Plumbline.Storage.Keys;

// The cost of encryption at rest on ingest: the same real editing trace ingested into a fresh SQLite store
// with sealing on (AES-256-GCM, as shipped) and off (the baseline, same code with sealing replaced by a copy),
// alternating, several rounds; medians and their ratio.
// dotnet run -c Release --project bench/Plumbline.Bench.Keys -- [TRACE.json.gz] [--rounds N] [--batch TXNS]
var trace = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !args[i - 1].StartsWith("--", StringComparison.Ordinal))).FirstOrDefault()
    ?? Path.Combine(FindRoot(), "..", "shared", "realdata", "editing-traces", "rustcode.json.gz");
var rounds = Option("--rounds", 5);
var batchSize = Option("--batch", 500);
var parsed = EditingTraceReader.Parse(EditingTraceReader.Unwrap(await File.ReadAllBytesAsync(trace)), Path.GetFileName(trace), 0);
var batches = parsed.Transactions.Chunk(batchSize).ToList();
Console.Error.WriteLine($"{Path.GetFileName(trace)}: {parsed.Transactions.Count:N0} transactions, {parsed.PatchCount:N0} patches, {batches.Count} batches of {batchSize}; {rounds} rounds");

var sealedMs = new List<double>();
var plainMs = new List<double>();
await MeasureAsync(sealing: true); // warm-up, not counted
for (var round = 0; round < rounds; round++)
{
    sealedMs.Add(await MeasureAsync(sealing: true));
    plainMs.Add(await MeasureAsync(sealing: false));
    Console.Error.WriteLine($"round {round + 1}: sealed {sealedMs[^1]:F0} ms, plain {plainMs[^1]:F0} ms");
}

var medianSealed = Median(sealedMs);
var medianPlain = Median(plainMs);
Console.WriteLine($"| trace | patches | batches | plain (median ms) | sealed (median ms) | sealed / plain |");
Console.WriteLine($"|---|---|---|---|---|---|");
Console.WriteLine($"| {Path.GetFileName(trace)} | {parsed.PatchCount:N0} | {batches.Count} | {medianPlain:F0} | {medianSealed:F0} | {medianSealed / medianPlain:F3} |");
return 0;

async Task<double> MeasureAsync(bool sealing)
{
    var folder = Path.Combine(Path.GetTempPath(), "plumbline-bench-keys", Guid.NewGuid().ToString("N"));
    Directory.CreateDirectory(folder);
    try
    {
        var path = Path.Combine(folder, "bench.db");
        var keys = new KeyLocation(Path.Combine(folder, "keys"));
        await using var store = sealing ? TraceStores.Open(path, keys) : TraceStores.OpenUnsealedForBenchmark(path, keys);
        var people = new ContributorService(store, TimeProvider.System);
        await people.AddAsync("bench", default);
        await people.SetConsentAsync("bench", new ConsentTerms(new HashSet<SourceKind> { SourceKind.Documents }, new HashSet<DataUse>(Enum.GetValues<DataUse>()), null), null, "bench", default);
        var ingest = new EditIngest(store, TimeProvider.System, StoreOptions.Default with { Redact = false });
        var text = parsed.StartContent;
        var watch = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            await ingest.IngestAsync(
                new EditBatch { Document = "trace", StartContent = text, Transactions = batch, Actor = "bench", BatchId = Guid.NewGuid().ToString("N") },
                null,
                default);
            text = null;
        }

        return watch.Elapsed.TotalMilliseconds;
    }
    finally
    {
        Directory.Delete(folder, recursive: true);
    }
}

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static string FindRoot()
{
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Plumbline.slnx")))
    {
        directory = directory.Parent;
    }

    return directory?.FullName ?? throw new InvalidOperationException("run from inside the repository");
}
