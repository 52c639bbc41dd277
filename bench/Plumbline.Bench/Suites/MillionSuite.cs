using System.Text;
using System.Text.Json;
using Plumbline.Bench.Infrastructure;
using Plumbline.Core.Capture.Traces;
using Plumbline.Storage;

namespace Plumbline.Bench.Suites;

/// <summary>
/// 5. About a million patches: automerge-paper chained four times, imported by <c>plumb import trace</c>,
/// against the sqlite3 CLI inserting the same rows into a plain table in one transaction.
/// </summary>
internal static class MillionSuite
{
    public const int Repetitions = 4;
    public const string Sqlite3 = "/usr/bin/sqlite3";

    public static async Task RunAsync(BenchContext bench, int runs, CancellationToken cancellationToken)
    {
        var source = bench.Traces.Get("automerge-paper");
        var inputs = bench.NewFolder("million-input");
        var tracePath = Path.Combine(inputs, "automerge-paper-x4.json");
        var sqlPath = Path.Combine(inputs, "automerge-paper-x4.sql");
        var (patches, endContent) = WriteInputs(source.Trace, tracePath, sqlPath);

        var plumbTimes = new List<double>();
        var sqliteTimes = new List<double>();
        var startups = new List<double>();
        string plumbStore = "", sqliteDb = "";
        for (var i = 0; i < runs; i++)
        {
            var folder = bench.NewFolder("million");
            startups.Add((await bench.Plumb.VersionAsync(folder, cancellationToken)).Milliseconds);
            plumbStore = await BenchStore.CreateEmptyAsync(Path.Combine(folder, "store.db"), cancellationToken);
            plumbTimes.Add((await bench.Plumb.ImportTraceAsync(plumbStore, tracePath, patches, cancellationToken)).Milliseconds);

            sqliteDb = Path.Combine(folder, "plain.db");
            sqliteTimes.Add((await ProcessRunner.RunCheckedAsync(Sqlite3, [sqliteDb, $".read {sqlPath}"], folder, false, cancellationToken)).Milliseconds);
        }

        var rows = await CountRowsAsync(sqliteDb, folder: Path.GetDirectoryName(sqliteDb)!, cancellationToken);
        if (rows != patches)
        {
            throw new InvalidOperationException($"sqlite3 stored {rows} rows, expected {patches}");
        }

        var replay = await ProcessRunner.RunCheckedAsync(
            bench.Plumb.Path, ["--store", plumbStore, "replay", Path.GetFileNameWithoutExtension(tracePath)], inputs, captureOutput: true, cancellationToken);
        // plumb redacts on import: automerge-paper's two e-mail addresses come back as [EMAIL].
        if (replay.StandardOutput != Core.Privacy.TextRedaction.Apply(new Core.Privacy.SecretDetector(), endContent).Text)
        {
            throw new InvalidOperationException("plumb replay of the million-patch document does not give its end content");
        }

        var plumbDisk = await PlumbSizeAsync(plumbStore, cancellationToken);
        var plumbSize = plumbDisk.Total;
        var sqliteSize = new FileInfo(sqliteDb).Length;
        var plumb = Summary.Of(plumbTimes);
        var sqlite = Summary.Of(sqliteTimes);
        var startup = Summary.Of(startups);
        var plumbRate = patches / (plumb.Median / 1000);
        var sqliteRate = patches / (sqlite.Median / 1000);
        var endBytes = Encoding.UTF8.GetByteCount(endContent);

        bench.Report.Section("5. A million patches: `plumb import trace` vs the sqlite3 CLI");
        bench.Report.Paragraph(
            $"automerge-paper chained {Repetitions}× (each repetition's positions offset by the text length reached so far, times shifted to stay increasing): " +
            $"{Format.Count(patches)} patches, final text {Format.Bytes(endBytes)} B (checked with `plumb replay`). " +
            $"Trace JSON {Format.Mib(new FileInfo(tracePath).Length)}; SQL file {Format.Mib(new FileInfo(sqlPath).Length)} " +
            "(`BEGIN; CREATE TABLE patches (pos INTEGER NOT NULL, del INTEGER NOT NULL, ins TEXT NOT NULL); INSERT INTO patches VALUES (…);` × one per row `COMMIT;`), " +
            $"run as `sqlite3 DB \".read FILE\"` (sqlite3 defaults: rollback journal, synchronous FULL). Median of {runs}, interleaved; fresh store / database each run.");
        bench.Report.Table(
            ["tool", "wall ms, median (min–max)", "rows or patches/s", "db bytes", "bytes ÷ final text"],
            [
                ["`plumb import trace` (incl. start-up, JSON parse, validation)", $"{Format.Ms(plumb.Median)} ({Format.Ms(plumb.Min)}–{Format.Ms(plumb.Max)})", Format.Count(plumbRate), Format.Bytes(plumbSize), Format.Ratio((double)plumbSize / endBytes)],
                ["`sqlite3` one transaction of INSERTs", $"{Format.Ms(sqlite.Median)} ({Format.Ms(sqlite.Min)}–{Format.Ms(sqlite.Max)})", Format.Count(sqliteRate), Format.Bytes(sqliteSize), Format.Ratio((double)sqliteSize / endBytes)],
                ["`plumb --version` (start-up)", Format.Ms(startup.Median), "", "", ""],
            ]);
        bench.Report.Paragraph(
            $"The plumb store splits into edit chunks {Format.Bytes(plumbDisk.Chunks)} B ({Format.Ratio((double)plumbDisk.Chunks / endBytes)} the text), " +
            $"snapshots {Format.Bytes(plumbDisk.Snapshots)} B ({Format.Ratio((double)plumbDisk.Snapshots / endBytes)}) and other {Format.Bytes(plumbDisk.Other)} B. " +
            "A snapshot holds the whole text every SnapshotEveryPatches patches, so snapshot bytes grow with length × history while chunk bytes grow with history only.");
        bench.Report.Headline(
            $"{Format.Count(patches)}-patch import, plumb ÷ sqlite3 CLI throughput",
            Format.Ratio(plumbRate / sqliteRate),
            "",
            $"plumb {Format.Count(plumbRate)} patches/s vs sqlite3 {Format.Count(sqliteRate)} rows/s; db {Format.Mib(plumbSize)} vs {Format.Mib(sqliteSize)}");
    }

    /// <summary>Writes the chained trace (JSON) and the equivalent SQL; returns the patch count and the final text.</summary>
    public static (long Patches, string EndContent) WriteInputs(EditingTrace source, string tracePath, string sqlPath)
    {
        if (source.StartContent.Length != 0 || source.EndContent is null)
        {
            throw new InvalidOperationException("chaining needs a trace that starts empty and has an endContent");
        }

        var end = string.Concat(Enumerable.Repeat(source.EndContent, Repetitions));
        var offsetStep = Core.Text.CodePoints.Count(source.EndContent);
        var firstTime = source.Transactions[0].Time;
        var span = source.Transactions[^1].Time - firstTime + 1000;
        long patches = 0;

        using var traceStream = File.Create(tracePath);
        using var json = new Utf8JsonWriter(traceStream);
        using var sql = new StreamWriter(sqlPath, false, new UTF8Encoding(false), 1 << 20);
        sql.Write("BEGIN;\nCREATE TABLE patches (pos INTEGER NOT NULL, del INTEGER NOT NULL, ins TEXT NOT NULL);\n");
        json.WriteStartObject();
        json.WriteString("startContent", "");
        json.WriteString("endContent", end);
        json.WriteStartArray("txns");
        for (var rep = 0; rep < Repetitions; rep++)
        {
            var offset = rep * offsetStep;
            foreach (var txn in source.Transactions)
            {
                json.WriteStartObject();
                json.WriteNumber("time", txn.Time + (rep * span));
                json.WriteStartArray("patches");
                foreach (var patch in txn.Patches)
                {
                    var position = patch.Position + offset;
                    json.WriteStartArray();
                    json.WriteNumberValue(position);
                    json.WriteNumberValue(patch.Delete);
                    json.WriteStringValue(patch.Insert);
                    json.WriteEndArray();
                    sql.Write("INSERT INTO patches VALUES (");
                    sql.Write(position);
                    sql.Write(',');
                    sql.Write(patch.Delete);
                    sql.Write(",'");
                    sql.Write(patch.Insert.Replace("'", "''", StringComparison.Ordinal));
                    sql.Write("');\n");
                    patches++;
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
        sql.Write("COMMIT;\n");
        return (patches, end);
    }

    private static async Task<long> CountRowsAsync(string db, string folder, CancellationToken cancellationToken)
    {
        var run = await ProcessRunner.RunCheckedAsync(Sqlite3, [db, "SELECT count(*) FROM patches;"], folder, captureOutput: true, cancellationToken);
        return long.Parse(run.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<DiskSize> PlumbSizeAsync(string path, CancellationToken cancellationToken)
    {
        await using var store = TraceStores.Open(path);
        var footprint = await store.FootprintAsync(cancellationToken);
        var name = Path.GetFileName(path);
        return new DiskSize(
            footprint.Files.GetValueOrDefault(name),
            footprint.Files.GetValueOrDefault(name + "-wal"),
            footprint.Files.GetValueOrDefault(name + "-shm"),
            footprint.Objects.GetValueOrDefault("edit_chunks.data"),
            footprint.Objects.GetValueOrDefault("snapshots.data"));
    }
}
