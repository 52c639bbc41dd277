using System.Data.Common;
using Microsoft.Data.Sqlite;
using Plumbline.Storage.Keys;

using static Plumbline.Storage.StoreRows;

namespace Plumbline.Storage.Sqlite;

/// <summary>One connection, and for writers one IMMEDIATE transaction. Row mapping lives in the partial files.</summary>
internal sealed partial class SqliteSession : IStoreSession
{
    private readonly SqliteConnection _connection;
    private readonly StoreKeys _keys;
    private SqliteTransaction? _transaction;
    private Action? _endWrite;

    /// <param name="endWrite">For a writer: lets the next writer of the store in, once this one has committed or rolled back.</param>
    public SqliteSession(SqliteConnection connection, SqliteTransaction? transaction, StoreKeys keys, Action? endWrite)
    {
        _connection = connection;
        _transaction = transaction;
        _keys = keys;
        _endWrite = endWrite;
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        var transaction = _transaction ?? throw new InvalidOperationException("this session is read-only");
        await transaction.CommitAsync(cancellationToken);
        await transaction.DisposeAsync();
        _transaction = null;
        EndWrite();
        RunAfterCommit();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_transaction is not null)
            {
                await _transaction.RollbackAsync();
                await _transaction.DisposeAsync();
            }

            await _connection.DisposeAsync();
        }
        finally
        {
            EndWrite();
        }
    }

    private void EndWrite() => Interlocked.Exchange(ref _endWrite, null)?.Invoke();

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private SqliteCommand WriteCommand(string sql, params (string Name, object? Value)[] parameters)
    {
        if (_transaction is null)
        {
            throw new InvalidOperationException("writes need a write session");
        }

        return Command(sql, parameters);
    }

    private async Task<List<T>> QueryAsync<T>(
        string sql,
        Func<DbDataReader, T> map,
        CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

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

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = WriteCommand(sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

}
