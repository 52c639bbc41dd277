using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Plumbline.Core;
using Plumbline.Storage.Diagnostics;

namespace Plumbline.Storage.Sqlite;

/// <summary>
/// Group commit for the writers of one store in this process. Writers queue first come, first served
/// (awaiting without holding a thread). The first writer opens a connection and an IMMEDIATE
/// transaction; when it is done, if others are waiting, it hands the still-open transaction to the next
/// one instead of committing, and so on, up to <see cref="MaxGroup"/> writers or <see cref="MaxGroupAge"/>.
/// The last writer of the group commits for all of them: one fsync instead of one per writer.
/// </summary>
/// <remarks>
/// Each writer works inside its own SAVEPOINT: a writer that fails (or is abandoned) is rolled back to
/// it alone and the others' work stays. Every writer's <see cref="SqliteWriteTurn.CommitAsync"/> returns
/// only after the group's COMMIT is durable, so nothing is acknowledged before it is on disk; if the
/// COMMIT fails, or a failure rolled back the whole transaction, every writer of the group gets a
/// transient failure and its work is not stored (callers retry: batches are idempotent). With
/// <see cref="MaxGroup"/> 1 every writer commits alone (the behaviour before group commit).
/// </remarks>
internal sealed class SqliteWriteQueue(Func<SqliteConnection> connect, string path, int maxGroup, TimeSpan maxGroupAge)
{
    private const string Savepoint = "plumb_writer";

    private readonly object _lock = new();
    private readonly Queue<TaskCompletionSource<WriteGroup?>> _waiting = new();
    private bool _busy;
    private long _commits;

    /// <summary>The most writers one transaction takes before it commits.</summary>
    public int MaxGroup { get; } = maxGroup >= 1 ? maxGroup : throw new ArgumentOutOfRangeException(nameof(maxGroup), maxGroup, "at least 1");

    /// <summary>No writer joins a group opened longer ago than this (the first writer is not kept waiting for long).</summary>
    public TimeSpan MaxGroupAge { get; } = maxGroupAge;

    /// <summary>Transactions committed so far (for tests).</summary>
    internal long Commits => Interlocked.Read(ref _commits);

    /// <summary>Writers waiting for their turn (for tests).</summary>
    internal int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count(t => !t.Task.IsCompleted);
            }
        }
    }

    /// <summary>Waits for this writer's turn, then opens its savepoint in the group's transaction.</summary>
    public async Task<SqliteWriteTurn> EnterAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var since = WriteProfile.Start();
        TaskCompletionSource<WriteGroup?>? ticket = null;
        lock (_lock)
        {
            if (_busy)
            {
                ticket = new TaskCompletionSource<WriteGroup?>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Enqueue(ticket);
            }
            else
            {
                _busy = true;
            }
        }

        WriteGroup? group = null;
        if (ticket is not null)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(timeout);
            await using (wait.Token.Register(() =>
            {
                lock (_lock)
                {
                    ticket.TrySetCanceled();
                }
            }))
            {
                try
                {
                    group = await ticket.Task;
                }
                catch (OperationCanceledException)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new PlumblineException(FailureKind.Runtime, $"{path}: the store stayed busy with other writes for {timeout.TotalSeconds:F0} s", isTransient: true);
                }
            }
        }

        WriteProfile.Lap("sqlite: wait for a turn", ref since);
        try
        {
            group ??= WriteGroup.Begin(connect());
        }
        catch
        {
            PassOn();
            throw;
        }

        WriteProfile.Lap("sqlite: connect + BEGIN IMMEDIATE (new group)", ref since);
        group.Members++;
        try
        {
            group.Transaction.Save(Savepoint);
        }
        catch (Exception e)
        {
            group.Broken ??= e;
            await LeaveAsync(group);
            throw;
        }

        return new SqliteWriteTurn(this, group);
    }

    /// <summary>This writer's work stays: releases its savepoint, lets the next writer in, and returns once the group's COMMIT is durable.</summary>
    internal async Task CommitAsync(WriteGroup group)
    {
        try
        {
            group.Transaction.Release(Savepoint);
            group.Stored++;
        }
        catch (Exception e)
        {
            group.Broken ??= e;
        }

        await LeaveAsync(group);
        await group.Committed.Task;
    }

    /// <summary>This writer's work goes: rolls back to its savepoint and lets the next writer in (or commits the others' work).</summary>
    internal async Task AbortAsync(WriteGroup group)
    {
        try
        {
            group.Transaction.Rollback(Savepoint);
            group.Transaction.Release(Savepoint);
        }
        catch (Exception e)
        {
            group.Broken ??= e;
        }

        // Some failures (I/O error, disk full) make SQLite roll back the whole transaction: the others' work is gone too.
        if (group.Broken is null && !group.InTransaction)
        {
            group.Broken = new InvalidOperationException("SQLite rolled back the whole transaction after a writer's failure");
        }

        await LeaveAsync(group);
    }

    /// <summary>Hands the open transaction to the next waiting writer, or commits it (the group ends) and lets the next writer start a new one.</summary>
    private async Task LeaveAsync(WriteGroup group)
    {
        lock (_lock)
        {
            if (group.Broken is null && group.Members < MaxGroup && Stopwatch.GetElapsedTime(group.Started) < MaxGroupAge && TryHandOver(group))
            {
                return;
            }
        }

        var failure = group.Broken;
        try
        {
            if (failure is null && group.Stored > 0)
            {
                var since = WriteProfile.Start();
                await group.Transaction.CommitAsync(CancellationToken.None);
                WriteProfile.Lap("sqlite: COMMIT (group)", ref since);
                WriteProfile.Record("sqlite: writers per COMMIT (count, not ms)", group.Stored);
                Interlocked.Increment(ref _commits);
            }
            else if (group.InTransaction)
            {
                await group.Transaction.RollbackAsync(CancellationToken.None);
            }
        }
        catch (Exception e)
        {
            failure ??= e;
        }
        finally
        {
            await group.Transaction.DisposeAsync();
            await group.Connection.DisposeAsync();
            WriteProfile.Record("sqlite: lock held per transaction", Stopwatch.GetElapsedTime(group.Started).TotalMilliseconds);
            PassOn();
        }

        if (failure is null)
        {
            group.Committed.SetResult();
        }
        else
        {
            group.Committed.SetException(new PlumblineException(
                FailureKind.Runtime,
                $"{path}: the write was not stored: the transaction it shared with other writers failed ({failure.Message})",
                isTransient: true,
                failure));
        }
    }

    /// <summary>Under the lock: gives <paramref name="group"/> to the first writer still waiting (false: none is).</summary>
    private bool TryHandOver(WriteGroup? group)
    {
        while (_waiting.TryDequeue(out var next))
        {
            if (next.TrySetResult(group))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The transaction is closed: the next waiting writer starts a new one, or the queue goes idle.</summary>
    private void PassOn()
    {
        lock (_lock)
        {
            if (!TryHandOver(null))
            {
                _busy = false;
            }
        }
    }

    /// <summary>One connection and IMMEDIATE transaction shared by consecutive writers.</summary>
    internal sealed class WriteGroup
    {
        private WriteGroup(SqliteConnection connection, SqliteTransaction transaction)
        {
            Connection = connection;
            Transaction = transaction;
        }

        public SqliteConnection Connection { get; }

        public SqliteTransaction Transaction { get; }

        public long Started { get; } = Stopwatch.GetTimestamp();

        /// <summary>Writers that joined, and writers whose work stays.</summary>
        public int Members { get; set; }

        public int Stored { get; set; }

        /// <summary>Whether SQLite still holds the transaction open (some failures roll it back entirely).</summary>
        public bool InTransaction => SQLitePCL.raw.sqlite3_get_autocommit(Connection.Handle) == 0;

        /// <summary>Set when the shared transaction can no longer be committed.</summary>
        public Exception? Broken { get; set; }

        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static WriteGroup Begin(SqliteConnection connection)
        {
            try
            {
                return new WriteGroup(connection, connection.BeginTransaction(deferred: false));
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
    }
}

/// <summary>One writer's turn in a group: its savepoint in the shared transaction. Ends exactly once.</summary>
internal sealed class SqliteWriteTurn(SqliteWriteQueue queue, SqliteWriteQueue.WriteGroup group)
{
    private int _ended;

    public SqliteConnection Connection => group.Connection;

    public SqliteTransaction Transaction => group.Transaction;

    /// <summary>Returns once this writer's work is durable; throws when it was not stored.</summary>
    public Task CommitAsync() => End() ? queue.CommitAsync(group) : throw new InvalidOperationException("this write has ended");

    public Task AbortAsync() => End() ? queue.AbortAsync(group) : Task.CompletedTask;

    private bool End() => Interlocked.Exchange(ref _ended, 1) == 0;
}
