using System.Data.Common;
using Npgsql;
using Plumbline.Storage.Keys;

using static Plumbline.Storage.StoreRows;

namespace Plumbline.Storage.Postgres;

/// <summary>
/// One connection and one transaction. Writes that return nothing are queued and sent together as one
/// batch before the next read and at commit, so a session costs a round trip per read, not per row.
/// Row mapping lives in the partial files.
/// </summary>
internal sealed partial class PostgresSession : IStoreSession
{
    /// <summary>Queued writes are sent at the latest when this many are waiting.</summary>
    private const int MaxQueued = 512;

    private readonly PostgresTraceStore _store;
    private readonly StoreKeys _keys;
    private readonly NpgsqlConnection _connection;
    private readonly bool _write;
    private readonly List<NpgsqlBatchCommand> _queued = [];
    private NpgsqlTransaction? _transaction;

    public PostgresSession(PostgresTraceStore store, NpgsqlConnection connection, NpgsqlTransaction transaction, bool write)
    {
        _store = store;
        _keys = store.Keys;
        _connection = connection;
        _transaction = transaction;
        _write = write;
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (!_write || _transaction is null)
        {
            throw new InvalidOperationException("this session is read-only");
        }

        await PostgresErrors.GuardAsync(_store.Description, async () =>
        {
            await FlushQueuedAsync(cancellationToken);
            await _transaction.CommitAsync(cancellationToken);
        });
        await _transaction.DisposeAsync();
        _transaction = null;
        RunAfterCommit();
    }

    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            try
            {
                await _transaction.RollbackAsync();
            }
            catch (NpgsqlException)
            {
                // the connection broke; the server rolls the transaction back itself
            }

            await _transaction.DisposeAsync();
        }

        await _connection.DisposeAsync();
    }

    private NpgsqlCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, _connection, _transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
        }

        return command;
    }

    private void RequireWrite()
    {
        if (!_write)
        {
            throw new InvalidOperationException("writes need a write session");
        }
    }

    /// <summary>Queues a write whose result nobody needs; it runs before the next read or the commit.</summary>
    private async Task QueueAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        RequireWrite();
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
        }

        _queued.Add(command);
        if (_queued.Count >= MaxQueued)
        {
            await PostgresErrors.GuardAsync(_store.Description, () => FlushQueuedAsync(cancellationToken));
        }
    }

    private async Task FlushQueuedAsync(CancellationToken cancellationToken)
    {
        if (_queued.Count == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(_connection, _transaction);
        foreach (var command in _queued)
        {
            batch.BatchCommands.Add(command);
        }

        _queued.Clear();
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private Task<List<T>> QueryAsync<T>(
        string sql,
        Func<DbDataReader, T> map,
        CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters) =>
        PostgresErrors.GuardAsync(_store.Description, async () =>
        {
            await FlushQueuedAsync(cancellationToken);
            await using var command = Command(sql, parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(map(reader));
            }

            return rows;
        });

    private async Task<T?> QuerySingleAsync<T>(
        string sql,
        Func<DbDataReader, T> map,
        CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
        where T : class
    {
        var rows = await QueryAsync(sql, map, cancellationToken, parameters);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>In a write session, locks the rows read until commit, so writers of one document queue up.</summary>
    private string ForUpdate => _write ? " FOR UPDATE" : "";

}
