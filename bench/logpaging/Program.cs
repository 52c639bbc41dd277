using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Plumbline.Core.Capture;
using Plumbline.Core.Capture.Traces;
using Plumbline.Core.Consent;
using Plumbline.Storage;
using Plumbline.Storage.Consent;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Ingest;
using Plumbline.Storage.Keys;

// The cost of paging the event log on PostgreSQL, before and after the snapshot cursor, in one run on one store:
// automerge-paper's first 100,000 transactions ingested in batches of 500 (one patch range each) with a note after each batch.
//   before: the seq keyset (EventLog.ReadAsync after the last id; still served as GET /api/events?after=)
//   after:  EventLog.ReadPageAsync with the cursor of the previous page (GET /api/events?cursor=)
// Each page is its own read session, as an API request is. The two take turns in every round.
var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var tracePath = RealData.Find("editing-traces/automerge-paper.json.gz", Console.Error.WriteLine);
var admin = Environment.GetEnvironmentVariable("PLUMBLINE_TEST_POSTGRES");
if (tracePath is null || string.IsNullOrWhiteSpace(admin))
{
    Console.Error.WriteLine("bench: needs ../shared/realdata/editing-traces/automerge-paper.json.gz and PLUMBLINE_TEST_POSTGRES (bench/logpaging/run.sh starts a cluster)");
    return 2;
}

var trace = EditingTraceReader.Parse(await File.ReadAllBytesAsync(tracePath), "automerge-paper.json.gz", 0);
var database = $"plumbline_bench_{Guid.NewGuid():N}";
var keys = Path.Combine(Path.GetTempPath(), "plumbline-bench-" + Guid.NewGuid().ToString("N"));
await AdminAsync($"CREATE DATABASE \"{database}\"");
try
{
    var connection = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
    await using var store = TraceStores.Open(connection, new KeyLocation(keys));
    var clock = TimeProvider.System;
    var contributors = new ContributorService(store, clock);
    await contributors.AddAsync("alice", default);
    await contributors.SetConsentAsync("alice", new ConsentTerms(ConsentTerms.ParseSources("all", "s"), ConsentTerms.ParseUses("all", "u"), null), null, "bench", default);
    // Redaction off: a batch's positions are the trace's, and redaction would change the text under later batches.
    var ingest = new EditIngest(store, clock, new StoreOptions { Redact = false });
    var transactions = trace.Transactions.Take(100_000).ToList();
    var notes = new NoteIngest(store, clock);
    var watch = Stopwatch.StartNew();
    const int BatchSize = 500;
    for (var b = 0; b * BatchSize < transactions.Count; b++)
    {
        await ingest.IngestAsync(
            new EditBatch
            {
                Document = "automerge-paper",
                StartContent = b == 0 ? trace.StartContent : null,
                Transactions = transactions.Skip(b * BatchSize).Take(BatchSize).ToList(),
                Actor = "alice",
                BatchId = $"bench:{b}",
            },
            null,
            default);
        await notes.AddAsync($"note after batch {b}", "alice", null, null, null, default);
    }

    long total;
    await using (var session = await store.OpenAsync(write: false, default))
    {
        total = await EventLog.ReadAsync(session, null, default).CountAsync();
    }

    Console.WriteLine($"store: {total:N0} events (automerge-paper's first {transactions.Count:N0} transactions in batches of {BatchSize}, a note after each) written in {watch.Elapsed.TotalSeconds:0.0} s");

    var results = new Dictionary<string, List<double>>();
    for (var round = 0; round <= rounds; round++)
    {
        // The whole log in pages of 1,000 (a reader catching up from the start).
        var (keysetMs, keysetIds) = await TimeAsync(() => KeysetAllAsync(store, 1000));
        var (cursorMs, cursorIds) = await TimeAsync(() => CursorAllAsync(store, 1000));
        if (!keysetIds.SequenceEqual(cursorIds) || keysetIds.Count < total)
        {
            throw new InvalidOperationException($"the two readers disagree ({keysetIds.Count} vs {cursorIds.Count} of {total})");
        }

        // A caught-up follower polling: one note commits, then one page.
        var (keysetAfter, cursor) = (keysetIds[^1], (await LastCursorAsync(store)));
        var keysetPoll = new List<double>();
        var cursorPoll = new List<double>();
        var cursorPollHeld = new List<double>();
        for (var p = 0; p < 10; p++)
        {
            await notes.AddAsync($"poll {round}.{p}", "alice", null, null, null, default);
            var (k, kIds) = await TimeAsync(() => KeysetPageAsync(store, keysetAfter, 1000));
            var (c, page) = await TimeAsync(() => CursorPageAsync(store, cursor, 1000));
            if (!kIds.SequenceEqual(page.Entries.Select(e => e.Id)))
            {
                throw new InvalidOperationException("the two readers disagree on a poll");
            }

            keysetPoll.Add(k);
            cursorPoll.Add(c);
            (keysetAfter, cursor) = (kIds.Count > 0 ? kIds[^1] : keysetAfter, page.Cursor);
        }

        // The same while a long transaction holds an uncommitted event (its id is in every snapshot's in-progress list).
        await using (var held = await store.OpenAsync(write: true, default))
        {
            var heldSeq = await held.AppendEventAsync(new NewEvent(null, SourceKind.Commentary, EventKind.Note, null, null, 0, 0, "{\"text\":\"held\"}"), default);
            await held.FindEventAsync(heldSeq, default);
            for (var p = 0; p < 10; p++)
            {
                await notes.AddAsync($"held poll {round}.{p}", "alice", null, null, null, default);
                var (c, page) = await TimeAsync(() => CursorPageAsync(store, cursor, 1000));
                cursorPollHeld.Add(c);
                cursor = page.Cursor;
            }
        }

        if (round == 0)
        {
            Console.WriteLine("warm-up round done");
            continue;
        }

        Add("whole log, pages of 1000: seq keyset (ms)", keysetMs);
        Add("whole log, pages of 1000: cursor (ms)", cursorMs);
        Add("whole log: cursor / keyset", cursorMs / keysetMs);
        Add("poll after one note: seq keyset (ms)", Median(keysetPoll));
        Add("poll after one note: cursor (ms)", Median(cursorPoll));
        Add("poll: cursor / keyset", Median(cursorPoll) / Median(keysetPoll));
        Add("poll with a long transaction open: cursor (ms)", Median(cursorPollHeld));
        Console.WriteLine($"round {round}: whole log {keysetMs:0} ms keyset, {cursorMs:0} ms cursor");
    }

    Console.WriteLine();
    Console.WriteLine($"median (min–max) of {rounds} rounds (polls: median of 10 per round)");
    Console.WriteLine("| measure | value |");
    Console.WriteLine("| --- | ---: |");
    foreach (var (measure, values) in results)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {measure} | {Median(values):0.00} ({values.Min():0.00}–{values.Max():0.00}) |"));
    }

    void Add(string measure, double value)
    {
        if (!results.TryGetValue(measure, out var list))
        {
            results[measure] = list = [];
        }

        list.Add(value);
    }
}
finally
{
    await AdminAsync($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    if (Directory.Exists(keys))
    {
        Directory.Delete(keys, recursive: true);
    }
}

return 0;

async Task AdminAsync(string sql)
{
    await using var connection = new NpgsqlConnection(admin);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}

static async Task<(double Ms, T Result)> TimeAsync<T>(Func<Task<T>> run)
{
    var watch = Stopwatch.StartNew();
    var result = await run();
    return (watch.Elapsed.TotalMilliseconds, result);
}

static async Task<List<long>> KeysetPageAsync(ITraceStore store, long after, int limit)
{
    await using var session = await store.OpenAsync(write: false, default);
    return await EventLog.ReadAsync(session, null, after, default).Take(limit).Select(e => e.Id).ToListAsync();
}

static async Task<List<long>> KeysetAllAsync(ITraceStore store, int limit)
{
    var all = new List<long>();
    while (true)
    {
        var page = await KeysetPageAsync(store, all.Count > 0 ? all[^1] : 0, limit);
        all.AddRange(page);
        if (page.Count < limit)
        {
            return all;
        }
    }
}

static async Task<LogPage> CursorPageAsync(ITraceStore store, string? cursor, int limit)
{
    await using var session = await store.OpenAsync(write: false, default);
    return await EventLog.ReadPageAsync(session, null, _ => true, cursor, limit, default);
}

static async Task<List<long>> CursorAllAsync(ITraceStore store, int limit)
{
    var all = new List<long>();
    string? cursor = null;
    while (true)
    {
        var page = await CursorPageAsync(store, cursor, limit);
        all.AddRange(page.Entries.Select(e => e.Id));
        cursor = page.Cursor;
        if (!page.More)
        {
            return all;
        }
    }
}

static async Task<string> LastCursorAsync(ITraceStore store)
{
    string? cursor = null;
    while (true)
    {
        var page = await CursorPageAsync(store, cursor, 100_000);
        cursor = page.Cursor;
        if (!page.More)
        {
            return cursor;
        }
    }
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
