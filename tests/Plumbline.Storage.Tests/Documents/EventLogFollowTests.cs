using Plumbline.Core;
using Plumbline.Core.Text;
using Plumbline.Storage.Backup;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Ingest;
using static Plumbline.Storage.Tests.StoreEnvironment;

namespace Plumbline.Storage.Tests.Documents;

/// <summary>The event log read with a cursor (EventLog.ReadPageAsync) over stores written before the cursor existed, and restored ones.</summary>
public sealed class EventLogFollowTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task OldStore_Migrated_ItsRowsComeFirst_ThenNewOnes_OnePerPage(string backend)
    {
        await using var env = await CreateAtVersionOneAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.Edits.IngestAsync(Batch("d", "alice", "hi", Txn(9, (2, 0, "!"), (3, 0, "?"))), null, default);
        await env.Comments.AddAsync("d", 0, 3, "from now", "alice", default);
        if (backend == Backends.Postgres)
        {
            // The migrated rows belong to "transaction 0" (committed before any snapshot); the new ones to their writer.
            Assert.Equal(1, await env.ScalarAsync("SELECT count(*) FROM events WHERE txid = '0'"));
            Assert.Equal(1, await env.ScalarAsync("SELECT count(*) FROM edit_ranges WHERE txid = '0' AND first_seq = 1 AND patch_count = 1"));
            Assert.Equal(1, await env.ScalarAsync("SELECT count(*) FROM edit_ranges WHERE txid <> '0' AND first_seq = 3 AND patch_count = 2"));
        }

        var got = new List<LogEntry>();
        string? cursor = null;
        for (var more = true; more;)
        {
            var page = await env.ReadAsync(s => EventLog.ReadPageAsync(s, null, _ => true, cursor, 1, default));
            got.AddRange(page.Entries);
            (cursor, more) = (page.Cursor, page.More);
        }

        Assert.Equal([1L, 2, 3, 4, 5], got.Select(e => e.Id));
        Assert.Equal(["hi", null, "!", "?", null], got.Select(e => e.Patch?.Insert));
        Assert.Equal([1, 1, 2, 2, 2], got.Select(e => e.Revision ?? -1));
        Assert.Equal([0, null, 0, 1, null], got.Select(e => e.PatchIndex));

        // The migration gave the store a log epoch. A cursor of the other backend's kind (with this epoch), one of
        // another epoch, or no cursor at all, is bad input naming the field.
        var epoch = await env.ScalarAsync("SELECT value FROM meta WHERE key = 'log_epoch'");
        Assert.InRange(epoch, 1, 1L << 62);
        var other = Cursor(backend == Backends.Postgres ? $"s.{epoch}.0" : $"p.{epoch}.-.-.0");
        var wrongKind = await Assert.ThrowsAsync<PlumblineException>(() => env.ReadAsync(s => EventLog.ReadPageAsync(s, null, null, other, 1, default)));
        Assert.Equal("cursor: it was issued by a store of another kind; start again without a cursor", wrongKind.Message);
        var mine = Cursor(backend == Backends.Postgres ? $"p.{epoch + 1}.-.-.0" : $"s.{epoch + 1}.0");
        var wrongEpoch = await Assert.ThrowsAsync<PlumblineException>(() => env.ReadAsync(s => EventLog.ReadPageAsync(s, null, null, mine, 1, default)));
        Assert.Equal(RestoredMessage, wrongEpoch.Message);
        var garbage = await Assert.ThrowsAsync<PlumblineException>(() => env.ReadAsync(s => EventLog.ReadPageAsync(s, null, null, "not a cursor!", 1, default)));
        Assert.Equal(FailureKind.BadInput, garbage.Kind);
    }

    /// <summary>
    /// A restored PostgreSQL store's writing transactions are those of the cluster it came from; restore makes them
    /// "committed before anything" so a follower of the restored store sees every row in its first page.
    /// </summary>
    [Fact]
    public async Task Postgres_Restored_EveryEventInTheFirstGeneration()
    {
        await using var env = await CreateAsync(Backends.Postgres, output);
        if (env is null)
        {
            return;
        }

        var before = await env.ReadAsync(s => EventLog.ReadPageAsync(s, null, _ => true, null, 100, default));

        await env.AddConsentingAsync("alice");
        await env.Edits.IngestAsync(Batch("d", "alice", "", Txn(9, (0, 0, "ab")), Txn(10, (2, 0, "c"))), null, default);
        await env.Comments.AddAsync("d", 0, 1, "a comment", "alice", default);
        var expected = await env.ReadAsync(async s => await EventLog.ReadAsync(s, null, default).Select(e => e.Id).ToListAsync());

        var backupDir = Path.Combine(env.Folder, "backup");
        await new StoreBackup(env.Clock).BackupDataAsync(env.Store, env.StoreName, backupDir, default);
        await using var target = await Testing.TestDatabase.CreateAsync(output.WriteLine);
        await new StoreBackup(env.Clock).RestoreDataAsync(target!.ConnectionString, env.Keys, backupDir, force: false, default);

        await using var restored = env.OpenStore(target.ConnectionString);
        await using (var session = await restored.OpenAsync(write: false, default))
        {
            var page = await EventLog.ReadPageAsync(session, null, _ => true, null, 100, default);
            Assert.Equal(expected, page.Entries.Select(e => e.Id));
            Assert.False(page.More);

            // A follower's cursor of the original store would read the new cluster's transactions against the old
            // one's snapshot (and skip them): it is refused.
            var refused = await Assert.ThrowsAsync<PlumblineException>(() => EventLog.ReadPageAsync(session, null, _ => true, before.Cursor, 100, default));
            Assert.Equal(RestoredMessage, refused.Message);
        }

        await using var connection = new Npgsql.NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT (SELECT count(*) FROM events WHERE txid <> '0') + (SELECT count(*) FROM edit_ranges WHERE txid <> '0')", connection);
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
    }
    /// <summary>
    /// SQLite restored in place from an older backup: its seqs go back, so a follower's cursor past them would skip
    /// the events written after the restore. The cursor is refused; a new one reads the restored log and what follows.
    /// </summary>
    [Fact]
    public async Task Sqlite_RestoredInPlace_CursorFromBeforeIsRefused_ANewOneReadsEverything()
    {
        await using var env = await CreateAsync(Backends.Sqlite, output);
        await env!.AddConsentingAsync("alice");
        await env.Edits.IngestAsync(Batch("d", "alice", "", Txn(9, (0, 0, "ab"))), null, default);
        await env.Comments.AddAsync("d", 0, 1, "one", "alice", default);
        var backupDir = Path.Combine(env.Folder, "backup");
        await new StoreBackup(env.Clock).BackupDataAsync(env.Store, env.StoreName, backupDir, default);
        await env.Comments.AddAsync("d", 0, 1, "two, lost with the restore", "alice", default);
        var followed = await env.ReadAsync(s => EventLog.ReadPageAsync(s, null, _ => true, null, 100, default));
        var epoch = await env.ScalarAsync("SELECT value FROM meta WHERE key = 'log_epoch'");

        await env.Store.DisposeAsync();
        await new StoreBackup(env.Clock).RestoreDataAsync(env.StoreName, env.Keys, backupDir, force: true, default);
        await using var restored = env.OpenStore();
        await new CommentIngest(restored, env.Clock).AddAsync("d", 0, 1, "three, after the restore", "alice", default);

        await using var session = await restored.OpenAsync(write: false, default);
        var refused = await Assert.ThrowsAsync<PlumblineException>(() => EventLog.ReadPageAsync(session, null, _ => true, followed.Cursor, 100, default));
        Assert.Equal(RestoredMessage, refused.Message);
        var again = await EventLog.ReadPageAsync(session, null, _ => true, null, 100, default);
        Assert.Equal(["one", "three, after the restore"], again.Entries.Where(e => e.Kind == Core.Capture.EventKind.Comment).Select(e => System.Text.Json.JsonDocument.Parse(e.Payload!).RootElement.GetProperty("text").GetString()));
        Assert.NotEqual(epoch, await env.ScalarAsync("SELECT value FROM meta WHERE key = 'log_epoch'"));
    }

    private const string RestoredMessage = "cursor: it was issued by another store, or by this one before it was restored from a backup; start again without a cursor";

    private static string Cursor(string text) =>
        Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
