using System.Data.Common;
using Microsoft.Data.Sqlite;
using Plumbline.Storage.Keys;

using static Plumbline.Storage.StoreRows;

namespace Plumbline.Storage.Sqlite;

/// <summary>
/// A reader's own connection, or a writer's turn: its savepoint in the IMMEDIATE transaction it may share
/// with other writers (group commit, see <see cref="SqliteWriteQueue"/>). Row mapping lives in the partial files.
/// </summary>
internal sealed partial class SqliteSession : IStoreSession
{
    private readonly SqliteConnection _connection;
    private readonly StoreKeys _keys;
    private readonly bool _reader;
    private SqliteWriteTurn? _write;

    /// <summary>The group's transaction while this session holds a write turn; null for a reader or once the turn ended.</summary>
    private SqliteTransaction? Transaction => _write?.Transaction;

    /// <summary>A read-only session on its own connection (disposed with the session).</summary>
    public SqliteSession(SqliteConnection connection, StoreKeys keys)
    {
        _connection = connection;
        _keys = keys;
        _reader = true;
    }

    /// <summary>A writer's session in its turn (the connection belongs to the turn's group).</summary>
    public SqliteSession(SqliteWriteTurn write, StoreKeys keys)
    {
        _connection = write.Connection;
        _write = write;
        _keys = keys;
    }

    /// <summary>Returns once the writes are durable (the group's COMMIT); until then nothing is acknowledged.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        var write = _write ?? throw new InvalidOperationException(_reader ? "this session is read-only" : "this session has ended");
        _write = null;
        await write.CommitAsync();
        RunAfterCommit();
    }

    /// <summary>A writer that did not commit: its own writes are rolled back (the group's other writers keep theirs).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_write is { } write)
        {
            _write = null;
                await write.AbortAsync();
        }
        else if (_reader)
        {
            await _connection.DisposeAsync();
        }
    }

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private SqliteCommand WriteCommand(string sql, params (string Name, object? Value)[] parameters)
    {
        if (Transaction is null)
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
