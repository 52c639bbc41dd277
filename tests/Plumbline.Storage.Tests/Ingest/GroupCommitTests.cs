using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Storage.Ingest;
using Plumbline.Storage.Keys;
using Plumbline.Storage.Sqlite;
using static Plumbline.Storage.Tests.StoreEnvironment;

namespace Plumbline.Storage.Tests.Ingest;

/// <summary>
/// SQLite group commit: writers that queued while another held the write lock share its transaction,
/// each in its own savepoint, and one COMMIT. A writer that fails is rolled back alone; every writer
/// returns only after the shared COMMIT.
/// </summary>
public class GroupCommitTests(ITestOutputHelper output)
{
    [Fact]
    public async Task GroupCommit_OneBadBatchInAGroup_FailsAloneAndTheOthersAreStoredAndAcknowledged()
    {
        await using var env = (await CreateAsync(Backends.Sqlite, output))!;
        await env.AddConsentingAsync("alice");
        // Its own store object over the same file, whose groups do not close by age (this machine may be slow).
        await using var store = Unhurried(env);
        var ingest = new EditIngest(store, env.Clock);
        await ingest.IngestAsync(Batch("shared", "alice", "", Txn(1, (0, 0, "s"))), null, default);
        var writers = store.Writers;

        var first = Batch("a", "alice", "", Txn(2, (0, 0, "a1")));
        var holder = await store.OpenAsync(write: true, default);
        var before = writers.Commits;
        // Queued in this order while the holder has the lock (each waits until the previous one is queued):
        var queued = new List<(string Name, Task<(IngestResult Result, long CommitsSeen)> Task)>();
        foreach (var (name, batch) in new (string, EditBatch)[]
        {
            ("new document", first),
            ("append", Batch("shared", "alice", null, Txn(3, (1, 0, "b"))) with { BaseRevision = 1 }),
            // Creates its document, then fails on its second transaction: the document must go with it.
            ("bad patch", Batch("bad", "alice", "", Txn(4, (0, 0, "x")), Txn(5, (9, 0, "y")))),
            // Based on revision 1 of "shared", which the append before it (same transaction) moved to 2.
            ("stale base", Batch("shared", "alice", null, Txn(6, (1, 0, "z"))) with { BaseRevision = 1 }),
            ("retry of the first", first),
            ("another new document", Batch("e", "alice", "", Txn(7, (0, 0, "e1")))),
        })
        {
            var waiting = writers.Waiting;
            queued.Add((name, IngestAndSeeCommitsAsync(ingest, writers, batch)));
            await UntilAsync(() => writers.Waiting == waiting + 1);
        }

        await holder.AddContributorAsync("bob", 8, default);
        await holder.CommitAsync(default);
        Assert.Equal(before + 1, writers.Commits);
        await holder.DisposeAsync();

        var outcomes = new Dictionary<string, object>();
        foreach (var (name, task) in queued)
        {
            try
            {
                outcomes[name] = await task;
            }
            catch (PlumblineException e)
            {
                outcomes[name] = e;
            }
        }

        // One COMMIT for the holder and all six writers; each success returned after it.
        Assert.Equal(before + 1, writers.Commits);
        var stored = new[] { "new document", "append", "retry of the first", "another new document" };
        Assert.All(stored, name => Assert.Equal(before + 1, Assert.IsType<(IngestResult, long)>(outcomes[name]).Item2));
        Assert.Equal(FailureKind.BadInput, Assert.IsType<PlumblineException>(outcomes["bad patch"]).Kind);
        Assert.Contains("transaction 1, patch 0", ((PlumblineException)outcomes["bad patch"]).Message, StringComparison.Ordinal);
        var conflict = Assert.IsType<PlumblineException>(outcomes["stale base"]);
        Assert.Equal(FailureKind.Conflict, conflict.Kind);
        Assert.Contains("document 'shared' is at revision 2", conflict.Message, StringComparison.Ordinal);

        IngestResult Result(string name) => (((IngestResult, long))outcomes[name]).Item1;
        Assert.False(Result("new document").AlreadyStored);
        Assert.True(Result("retry of the first").AlreadyStored);
        Assert.Equal(2, Result("append").LastRevision);

        Assert.Equal("a1", await env.ReplayAsync("a"));
        Assert.Equal("sb", await env.ReplayAsync("shared"));
        Assert.Equal("e1", await env.ReplayAsync("e"));
        Assert.Null(await env.DocumentAsync("bad"));
        Assert.Equal(1, (await env.DocumentAsync("a"))!.Revisions);
        Assert.Equal(2, (await env.DocumentAsync("shared"))!.Revisions);
        Assert.Equal(1, await env.ScalarAsync("SELECT count(*) FROM contributors WHERE name = 'bob'"));
        // Batches: "shared" ×2, "a", "e" — the failed two recorded nothing, the retry no second row.
        Assert.Equal(4, await env.ScalarAsync("SELECT count(*) FROM batches"));
        Assert.Equal(0, await env.ScalarAsync("SELECT count(*) FROM documents WHERE name = 'bad'"));
        Assert.Equal("ok", await IntegrityAsync(env));

        // The queue is idle again: the next writer starts its own transaction at once.
        await ingest.IngestAsync(Batch("e", "alice", null, Txn(9, (2, 0, "!"))), null, default);
        Assert.Equal(before + 2, writers.Commits);
        Assert.Equal("e1!", await env.ReplayAsync("e"));
    }

    [Fact]
    public async Task GroupCommit_WriterAbandonedAfterWriting_IsRolledBackAloneAndTheNextOneCommits()
    {
        await using var env = (await CreateAsync(Backends.Sqlite, output))!;
        await using var store = Unhurried(env);
        var writers = store.Writers;
        var holder = await store.OpenAsync(write: true, default);
        var before = writers.Commits;
        var tasks = new List<Task>();
        foreach (var (name, commit) in new[] { ("w1", true), ("w2", false), ("w3", true) })
        {
            var waiting = writers.Waiting;
            tasks.Add(Task.Run(async () =>
            {
                await using var session = await store.OpenAsync(write: true, default);
                await session.AddContributorAsync(name, 1, default);
                if (commit)
                {
                    await session.CommitAsync(default);
                }
            }));
            await UntilAsync(() => writers.Waiting == waiting + 1);
        }

        await holder.AddContributorAsync("h", 1, default);
        await holder.CommitAsync(default);
        await holder.DisposeAsync();
        await Task.WhenAll(tasks);

        Assert.Equal(before + 1, writers.Commits);
        Assert.Equal(3, await env.ScalarAsync("SELECT count(*) FROM contributors WHERE name IN ('h', 'w1', 'w3')"));
        Assert.Equal(0, await env.ScalarAsync("SELECT count(*) FROM contributors WHERE name = 'w2'"));
    }

    /// <summary>
    /// The shared COMMIT itself fails (here a deferred foreign key, checked only at COMMIT, as an I/O error or a full
    /// disk would make it fail): no writer of the group is acknowledged, each gets a transient error and nothing of
    /// the group is stored; an edit batch in the group is retried by its ingest and stored once, in a new group.
    /// </summary>
    [Fact]
    public async Task GroupCommit_TheSharedCommitFails_NoWriterIsAcknowledged_AndARetriedBatchIsStoredOnce()
    {
        await using var env = (await CreateAsync(Backends.Sqlite, output))!;
        await env.AddConsentingAsync("alice");
        // Adding a contributor named "poison" also adds a row whose foreign key is checked only at COMMIT, and fails.
        await env.ScalarAsync("""
            CREATE TABLE poison (contributor_id INTEGER REFERENCES contributors(id) DEFERRABLE INITIALLY DEFERRED);
            CREATE TRIGGER poison_on_insert AFTER INSERT ON contributors WHEN NEW.name = 'poison'
            BEGIN INSERT INTO poison VALUES (NEW.id + 1000000); END;
            SELECT 0;
            """);
        await using var store = Unhurried(env);
        var writers = store.Writers;
        var ingest = new EditIngest(store, env.Clock);
        var holder = await store.OpenAsync(write: true, default);
        var before = writers.Commits;

        var plain = new List<Task>();
        foreach (var name in new[] { "w1", "w2" })
        {
            var waiting = writers.Waiting;
            plain.Add(Task.Run(async () =>
            {
                await using var session = await store.OpenAsync(write: true, default);
                await session.AddContributorAsync(name, 1, default);
                await session.CommitAsync(default);
            }));
            await UntilAsync(() => writers.Waiting == waiting + 1);
        }

        var queued = writers.Waiting;
        var batch = IngestAndSeeCommitsAsync(ingest, writers, Batch("d", "alice", "", Txn(1, (0, 0, "kept"))));
        await UntilAsync(() => writers.Waiting == queued + 1);

        await holder.AddContributorAsync("poison", 1, default);
        var failed = await Assert.ThrowsAsync<PlumblineException>(() => holder.CommitAsync(default));
        await holder.DisposeAsync();
        Assert.True(failed.IsTransient);
        Assert.StartsWith($"{env.StoreName}: the write was not stored: the transaction it shared with other writers failed (", failed.Message, StringComparison.Ordinal);
        Assert.Contains("FOREIGN KEY constraint failed", failed.Message, StringComparison.Ordinal);
        foreach (var task in plain)
        {
            var e = await Assert.ThrowsAsync<PlumblineException>(() => task);
            Assert.Equal((true, failed.Message), (e.IsTransient, e.Message));
        }

        // The batch's first attempt failed with the group; its retry committed alone (one COMMIT after the failed one).
        var (result, commitsSeen) = await batch;
        Assert.False(result.AlreadyStored);
        Assert.Equal(before + 1, commitsSeen);
        Assert.Equal(before + 1, writers.Commits);
        Assert.Equal(0, await env.ScalarAsync("SELECT count(*) FROM contributors WHERE name IN ('poison', 'w1', 'w2')"));
        Assert.Equal(0, await env.ScalarAsync("SELECT count(*) FROM poison"));
        Assert.Equal((1, 1), (await env.ScalarAsync("SELECT count(*) FROM documents WHERE name = 'd'"), await env.ScalarAsync("SELECT count(*) FROM batches")));
        Assert.Equal("ok", await IntegrityAsync(env));
    }

    [Fact]
    public async Task GroupCommit_MaxGroupOne_CommitsEachWriterAlone()
    {
        using var directory = new TempDirectory();
        var path = directory.File("plumbline.db");
        await using var store = SqliteTraceStore.Open(path, KeyLocation.For(path), maxGroup: 1, maxGroupAge: TimeSpan.MaxValue);
        var holder = await store.OpenAsync(write: true, default);
        var before = store.Writers.Commits;
        var tasks = new List<Task>();
        for (var i = 0; i < 3; i++)
        {
            var name = $"w{i}";
            var waiting = store.Writers.Waiting;
            tasks.Add(Task.Run(async () =>
            {
                await using var session = await store.OpenAsync(write: true, default);
                await session.AddContributorAsync(name, 1, default);
                await session.CommitAsync(default);
            }));
            await UntilAsync(() => store.Writers.Waiting == waiting + 1);
        }

        await holder.AddContributorAsync("h", 1, default);
        await holder.CommitAsync(default);
        await holder.DisposeAsync();
        await Task.WhenAll(tasks);
        Assert.Equal(before + 4, store.Writers.Commits);
    }

    private static SqliteTraceStore Unhurried(StoreEnvironment env) =>
        SqliteTraceStore.Open(env.StoreName, env.Keys, maxGroupAge: TimeSpan.MaxValue);

    private static async Task<(IngestResult, long)> IngestAndSeeCommitsAsync(EditIngest ingest, SqliteWriteQueue writers, EditBatch batch)
    {
        var result = await ingest.IngestAsync(batch, null, default);
        return (result, writers.Commits);
    }

    /// <summary>Waits for a condition another task makes true (no time limit of its own: the test run's timeout covers a hang).</summary>
    private static async Task UntilAsync(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(1);
        }
    }

    private static async Task<string> IntegrityAsync(StoreEnvironment env)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={env.StoreName};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
