using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;
using Plumbline.Core;
using Plumbline.Server.Client;
using Plumbline.Server.Contracts;

namespace Plumbline.Server.Tests;

/// <summary>
/// Crash safety: a real <c>plumb serve</c> killed with SIGKILL at random moments during continuous ingest,
/// again and again. Every batch acknowledged with 2xx is there afterwards, nothing is stored twice (the
/// client retries its in-flight batch with the same id), and the store is consistent.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Kills = 10;
    private const int Writers = 2;

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ServerKilledDuringIngest_KeepsEveryAcknowledgedBatchOnce_AndTheStoreConsistent(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend, output);
        if (store is null)
        {
            return;
        }

        var seed = Environment.TickCount;
        var random = new Random(seed);
        var writers = Enumerable.Range(0, Writers).Select(w => new Writer($"crash-{w}")).ToList();
        var inFlightAtKill = 0;
        var watch = Stopwatch.StartNew();
        for (var kill = 0; kill <= Kills; kill++)
        {
            using var server = await ServeProcess.StartAsync(store.Name, store.Keys.Directory, store.Directory.Path);
            using var client = PlumblineClient.Create(server.Address, store.Alice, TimeSpan.FromSeconds(60));
            foreach (var writer in writers)
            {
                await writer.RetryPendingAsync(client);
            }

            if (kill == Kills)
            {
                await VerifyAsync(client, writers);
                output.WriteLine(
                    $"{backend}: {Kills} SIGKILLs in {watch.Elapsed.TotalSeconds:F1} s (seed {seed}); {writers.Sum(w => w.Batches)} batches ({writers.Sum(w => w.Acknowledged)} revisions) acknowledged, all present once; " +
                    $"{inFlightAtKill} requests in flight at a kill, {writers.Sum(w => w.FoundStoredOnRetry)} of them had committed before it");
                break;
            }

            using var stop = new CancellationTokenSource();
            var loops = writers.Select(w => w.RunAsync(client, stop.Token)).ToList();
            await Task.Delay(random.Next(100, 900));
            await server.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(loops);
            inFlightAtKill += writers.Count(w => w.Pending is not null);
        }

        await CheckStoreAsync(store, writers);
    }

    private static async Task VerifyAsync(PlumblineClient client, List<Writer> writers)
    {
        foreach (var writer in writers)
        {
            var replay = await client.ReplayAsync(writer.Document, null, null, CancellationToken.None);
            Assert.Equal(writer.Expected, replay.Text);
            Assert.Equal(writer.Acknowledged, replay.Revisions);
        }
    }

    /// <summary>The store itself: SQLite's integrity check; on both, one batch row per acknowledged batch and no overlapping revisions.</summary>
    private async Task CheckStoreAsync(TestStore store, List<Writer> writers)
    {
        var queries = new (string Sql, long Expected)[]
        {
            ("SELECT count(*) FROM batches WHERE id LIKE 'api:%'", writers.Sum(w => w.Batches)),
            ("SELECT count(*) FROM edit_chunks a JOIN edit_chunks b ON a.document_id = b.document_id AND a.first_rev < b.first_rev AND a.last_rev >= b.first_rev", 0),
            ("SELECT count(*) FROM documents d WHERE d.revisions <> (SELECT coalesce(max(last_rev), 0) FROM edit_chunks c WHERE c.document_id = d.id)", 0),
            ("SELECT coalesce(sum(patch_count), 0) FROM edit_chunks", writers.Sum(w => w.Patches)),
        };
        if (store.Backend == Backends.Sqlite)
        {
            await using var connection = new SqliteConnection($"Data Source={store.Name}");
            await connection.OpenAsync();
            await using (var check = new SqliteCommand("PRAGMA integrity_check", connection))
            {
                Assert.Equal("ok", (string?)await check.ExecuteScalarAsync());
            }

            foreach (var (sql, expected) in queries)
            {
                await using var command = new SqliteCommand(sql, connection);
                Assert.True(expected == (long)(await command.ExecuteScalarAsync())!, sql);
            }

            output.WriteLine("sqlite: PRAGMA integrity_check = ok");
        }
        else
        {
            await using var connection = new NpgsqlConnection(store.Name);
            await connection.OpenAsync();
            foreach (var (sql, expected) in queries)
            {
                await using var command = new NpgsqlCommand(sql, connection);
                Assert.True(expected == Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture), sql);
            }
        }
    }

    /// <summary>Appends numbered markers to its document, a keystroke per transaction, each batch based on the last acknowledged revision.</summary>
    private sealed class Writer(string document)
    {
        private int _next;

        public string Document { get; } = document;

        public string Expected { get; private set; } = "";

        public int Acknowledged { get; private set; }

        public long Patches { get; private set; }

        public int Batches { get; private set; }

        public int FoundStoredOnRetry { get; private set; }

        /// <summary>The batch whose answer the kill cut off: retried with the same id after the restart.</summary>
        public (EditBatchRequest Batch, string Marker)? Pending { get; private set; }

        public async Task RunAsync(PlumblineClient client, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested && Pending is null)
            {
                var marker = $"[{Document}:{_next++:D5}]";
                var transactions = marker.Select((c, i) => new TransactionDto([new PatchDto(Expected.Length + i, 0, c.ToString())])).ToList();
                var batch = new EditBatchRequest($"{Document}:{_next}", Acknowledged, transactions);
                Pending = (batch, marker);
                try
                {
                    Acknowledge(await client.PostBatchAsync(Document, batch, CancellationToken.None));
                }
                catch (PlumblineException e) when (e.Kind == FailureKind.Runtime)
                {
                    return; // the server died under the request: it stays pending
                }
            }
        }

        public async Task RetryPendingAsync(PlumblineClient client)
        {
            if (Pending is { } pending)
            {
                var result = await client.PostBatchAsync(Document, pending.Batch, CancellationToken.None);
                FoundStoredOnRetry += result.AlreadyStored ? 1 : 0;
                Acknowledge(result);
            }
        }

        private void Acknowledge(EditBatchResponse result)
        {
            var (batch, marker) = Pending!.Value;
            Assert.Equal(Acknowledged + batch.Transactions.Count, result.LastRevision);
            Expected += marker;
            Acknowledged = result.LastRevision;
            Patches += batch.Transactions.Count;
            Batches++;
            Pending = null;
        }
    }
}
