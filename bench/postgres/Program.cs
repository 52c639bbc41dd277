using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Plumbline.Core.Capture;
using Plumbline.Core.Capture.Traces;
using Plumbline.Core.Consent;
using Plumbline.Core.Text;
using Plumbline.Storage;
using Plumbline.Storage.Consent;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Ingest;

// SQLite next to PostgreSQL in one run: the 1M-patch ingest (automerge-paper chained 4×) and the
// replay of automerge-paper. PostgreSQL: an admin connection string in PLUMBLINE_TEST_POSTGRES
// (bench/postgres/run.sh starts a throwaway cluster); a database is created per round and dropped.
var repeat = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var root = FindRoot();
var tracePath = Path.GetFullPath(Path.Combine(root, "..", "shared", "realdata", "editing-traces", "automerge-paper.json.gz"));
if (!File.Exists(tracePath))
{
    Console.Error.WriteLine($"bench: {tracePath} is absent (expected ../shared/realdata beside the repository)");
    return 2;
}

var admin = Environment.GetEnvironmentVariable("PLUMBLINE_TEST_POSTGRES");
if (string.IsNullOrWhiteSpace(admin))
{
    Console.Error.WriteLine("bench: set PLUMBLINE_TEST_POSTGRES to an admin connection string, or run bench/postgres/run.sh");
    return 2;
}

var trace = EditingTraceReader.Parse(await File.ReadAllBytesAsync(tracePath), "automerge-paper.json.gz", 0);
var chained = Chain(trace, 4);
Console.WriteLine($"automerge-paper: {trace.PatchCount:N0} patches; chained 4x: {chained.Transactions.Sum(t => t.Patches.Length):N0} patches, {CodePoints.Count(chained.EndContent):N0} code points at the end");

var results = new Dictionary<(string Backend, string Measure), List<double>>();
var counting = false;

// Round 0 warms up (JIT, caches) and is not counted; the backends take turns so that the machine's
// other load falls on both alike.
for (var round = 0; round <= repeat; round++)
{
    counting = round > 0;
    foreach (var backend in new[] { "sqlite", "postgres" })
    {
        await using var target = await Target.CreateAsync(backend, admin);
        await using var store = TraceStores.Open(target.Store);
        var clock = TimeProvider.System;
        var contributors = new ContributorService(store, clock);
        await contributors.AddAsync("alice", default);
        await contributors.SetConsentAsync("alice", new ConsentTerms(ConsentTerms.ParseSources("all", "s"), ConsentTerms.ParseUses("all", "u"), null), null, "bench", default);
        var ingest = new EditIngest(store, clock);

        var watch = Stopwatch.StartNew();
        await ingest.IngestAsync(Batch("paper-4x", chained), null, default);
        Record(backend, "ingest 1M patches, one batch (s)", watch.Elapsed.TotalSeconds);

        watch.Restart();
        await ingest.IngestAsync(Batch("automerge-paper", trace), null, default);
        Record(backend, "ingest automerge-paper, one batch (s)", watch.Elapsed.TotalSeconds);

        // Two writers, each with its own connection, into two documents at once.
        watch.Restart();
        await Task.WhenAll(Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            await using var own = TraceStores.Open(target.Store);
            await new EditIngest(own, clock).IngestAsync(Batch($"parallel-{w}", trace), null, default);
        })));
        Record(backend, "2 writers x automerge-paper into 2 documents at once (s)", watch.Elapsed.TotalSeconds);

        for (var r = 0; r < 3; r++)
        {
            await using var session = await store.OpenAsync(write: false, default);
            watch.Restart();
            var document = await DocumentReader.RequireAsync(session, "automerge-paper", default);
            var text = (await DocumentReader.LoadAsync(session, document, document.Revisions, default)).ToString();
            Record(backend, "replay automerge-paper, final text (ms)", watch.Elapsed.TotalMilliseconds);
            Check(text == trace.EndContent, "final text");

            watch.Restart();
            var buffer = new TextBuffer(await session.StartContentAsync(document.Id, default));
            await foreach (var revision in DocumentReader.RevisionsAsync(session, document, 1, document.Revisions, default))
            {
                foreach (var patch in revision.Patches)
                {
                    buffer.Apply(patch);
                }
            }

            Record(backend, "replay automerge-paper, every revision (ms)", watch.Elapsed.TotalMilliseconds);
            Check(buffer.ToString() == trace.EndContent, "revision by revision");
        }

        var footprint = await store.FootprintAsync(default);
        Record(backend, "store size at the end (MB)", footprint.TotalBytes / 1e6);
        Console.WriteLine(round == 0 ? $"{backend}: warmed up" : $"{backend} round {round}: done");
    }
}

Console.WriteLine();
Console.WriteLine($"median (min–max) of {repeat} rounds; replays: of {3 * repeat}");
Console.WriteLine("| measure | SQLite | PostgreSQL |");
Console.WriteLine("| --- | ---: | ---: |");
foreach (var measure in results.Keys.Select(k => k.Measure).Distinct())
{
    Console.WriteLine($"| {measure} | {Summary(results[("sqlite", measure)])} | {Summary(results[("postgres", measure)])} |");
}

return 0;

void Record(string backend, string measure, double value)
{
    if (!counting)
    {
        return;
    }

    if (!results.TryGetValue((backend, measure), out var list))
    {
        results[(backend, measure)] = list = [];
    }

    list.Add(value);
}

static string Summary(List<double> values) =>
    string.Create(CultureInfo.InvariantCulture, $"{Median(values):0.00} ({values.Min():0.00}–{values.Max():0.00})");

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static void Check(bool ok, string what)
{
    if (!ok)
    {
        throw new InvalidOperationException($"replay ({what}) does not give the trace's end content");
    }
}

static EditBatch Batch(string document, EditingTrace trace) => new()
{
    Document = document,
    StartContent = trace.StartContent,
    Transactions = trace.Transactions,
    Actor = "alice",
    BatchId = $"bench:{document}",
    ExpectedEnd = trace.EndContent,
};

// The trace typed `times` times in a row: each copy's positions are shifted by the length the previous copies reached.
static EditingTrace Chain(EditingTrace trace, int times)
{
    var length = CodePoints.Count(trace.EndContent);
    var span = trace.Transactions[^1].Time - trace.Transactions[0].Time + 1;
    var transactions = new List<EditTransaction>(trace.Transactions.Count * times);
    for (var k = 0; k < times; k++)
    {
        foreach (var t in trace.Transactions)
        {
            transactions.Add(new EditTransaction(t.Time + (k * span), t.Patches.Select(p => new Patch(p.Position + (k * length), p.Delete, p.Insert)).ToArray()));
        }
    }

    return new EditingTrace(trace.StartContent, string.Concat(Enumerable.Repeat(trace.EndContent, times)), transactions);
}

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Plumbline.slnx")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? throw new InvalidOperationException("run from inside the repository");
}

/// <summary>A fresh store: a SQLite file in a temporary folder, or a new database on the cluster.</summary>
internal sealed class Target : IAsyncDisposable
{
    private readonly string? _admin;
    private readonly string _cleanup;

    private Target(string store, string? admin, string cleanup)
    {
        Store = store;
        _admin = admin;
        _cleanup = cleanup;
    }

    public string Store { get; }

    public static async Task<Target> CreateAsync(string backend, string admin)
    {
        if (backend == "sqlite")
        {
            var folder = Path.Combine(Path.GetTempPath(), "plumbline-bench-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            return new Target(Path.Combine(folder, "plumbline.db"), null, folder);
        }

        var name = $"plumbline_bench_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return new Target(new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString, admin, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_admin is null)
        {
            Directory.Delete(_cleanup, recursive: true);
            return;
        }

        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_cleanup}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
