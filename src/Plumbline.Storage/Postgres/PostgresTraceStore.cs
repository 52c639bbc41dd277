using System.Data;
using Npgsql;
using Plumbline.Storage.Keys;

namespace Plumbline.Storage.Postgres;

/// <summary>
/// The team store on a PostgreSQL server. Write sessions are READ COMMITTED transactions that lock the
/// rows of the documents they touch (<c>SELECT … FOR UPDATE</c>), so writers of one document queue up
/// while writers of different documents run in parallel; read sessions are REPEATABLE READ, so a reader
/// sees one consistent state. Event ids come from a sequence in blocks, outside the writer's transaction.
/// The schema is migrated on first use.
/// </summary>
internal sealed class PostgresTraceStore : ITraceStore, IKeyedStore
{
    /// <summary>The advisory lock key that makes a block of event ids contiguous ("seq" in ASCII).</summary>
    private const long SeqLock = 0x736571;

    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _migration = new(1, 1);
    private bool _migrated;

    private PostgresTraceStore(NpgsqlDataSource dataSource, string description, StoreKeys keys)
    {
        _dataSource = dataSource;
        Description = description;
        Keys = keys;
    }

    public string Description { get; }

    public StoreKeys Keys { get; }

    internal NpgsqlDataSource DataSource => _dataSource;

    public static PostgresTraceStore Open(string store, KeyLocation keys)
    {
        var builder = PostgresConnectionString.Parse(store);
        return new PostgresTraceStore(NpgsqlDataSource.Create(builder), PostgresConnectionString.Describe(builder), new StoreKeys(keys));
    }

    public async Task<IStoreSession> OpenAsync(bool write, CancellationToken cancellationToken)
    {
        await EnsureMigratedAsync(cancellationToken);
        Keys.Refresh();
        return await OpenSessionAsync(write, cancellationToken);
    }

    private Task<PostgresSession> OpenSessionAsync(bool write, CancellationToken cancellationToken) =>
        PostgresErrors.GuardAsync(Description, async () =>
        {
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            try
            {
                var isolation = write ? IsolationLevel.ReadCommitted : IsolationLevel.RepeatableRead;
                var transaction = await connection.BeginTransactionAsync(isolation, cancellationToken);
                return new PostgresSession(this, connection, transaction, write);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        });

    /// <summary>
    /// Reserves <paramref name="count"/> consecutive event ids in a short transaction of its own: the
    /// advisory lock is held only while the sequence moves, never until the writer commits.
    /// </summary>
    public Task<long> AllocateSeqAsync(long count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return PostgresErrors.GuardAsync(Description, async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({SeqLock})"),
                    new NpgsqlBatchCommand("SELECT setval('event_seq', nextval('event_seq') + @n - 1) - @n + 1")
                    {
                        Parameters = { new NpgsqlParameter("n", count) },
                    },
                },
            };

            // The batch runs as one implicit transaction, so the lock is released as soon as it ends.
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return reader.GetInt64(0);
        });
    }

    /// <summary>Bytes per Plumbline table: <c>pg_total_relation_size</c> (heap, TOAST and indexes, dead rows until vacuumed).</summary>
    /// <summary>
    /// VACUUM the tables redaction rewrites, so the dead row versions that still hold the original bytes
    /// are reclaimed (PostgreSQL keeps them until then; VACUUM cannot run inside a transaction).
    /// </summary>
    public async Task ScrubAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "VACUUM edit_chunks, snapshots, documents, events";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<StoreFootprint> FootprintAsync(CancellationToken cancellationToken)
    {
        await EnsureMigratedAsync(cancellationToken);
        return await PostgresErrors.GuardAsync(Description, async () =>
        {
            await using var command = _dataSource.CreateCommand(
                "SELECT t, pg_total_relation_size(to_regclass(t)) FROM unnest(@tables) AS t WHERE to_regclass(t) IS NOT NULL ORDER BY t");
            command.Parameters.Add(new NpgsqlParameter("tables", PostgresSchema.Tables));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var objects = new SortedDictionary<string, long>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                objects[reader.GetString(0)] = reader.GetInt64(1);
            }

            return new StoreFootprint(objects.Values.Sum(), new SortedDictionary<string, long>(StringComparer.Ordinal), objects);
        });
    }

    /// <summary>Runs the migrations once per store object (and once per database, under their advisory lock).</summary>
    public async Task EnsureMigratedAsync(CancellationToken cancellationToken)
    {
        if (_migrated)
        {
            return;
        }

        await _migration.WaitAsync(cancellationToken);
        try
        {
            if (!_migrated)
            {
                await PostgresErrors.GuardAsync(Description, async () =>
                {
                    await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
                    await PostgresSchema.MigrateAsync(connection, cancellationToken);
                });
                await KeyBinding.BindAsync(Description, Keys, ReadBindingAsync, WriteBindingAsync, SealPlaintextAsync, cancellationToken);
                _migrated = true;
            }
        }
        finally
        {
            _migration.Release();
        }
    }

    private Task<long?> ReadBindingAsync(CancellationToken cancellationToken) => ReadMetaAsync(KeyBinding.KeyStoreMeta, cancellationToken);

    private Task<long?> ReadMetaAsync(string key, CancellationToken cancellationToken) =>
        PostgresErrors.GuardAsync(Description, async () =>
        {
            await using var command = _dataSource.CreateCommand("SELECT value FROM meta WHERE key = @key");
            command.Parameters.Add(new NpgsqlParameter("key", key));
            return await command.ExecuteScalarAsync(cancellationToken) is long value ? (long?)value : null;
        });

    private async Task<long> WriteBindingAsync(long id, CancellationToken cancellationToken)
    {
        await PostgresErrors.GuardAsync(Description, async () =>
        {
            await using var command = _dataSource.CreateCommand("INSERT INTO meta (key, value) VALUES (@key, @value) ON CONFLICT (key) DO NOTHING");
            command.Parameters.Add(new NpgsqlParameter("key", KeyBinding.KeyStoreMeta));
            command.Parameters.Add(new NpgsqlParameter("value", id));
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });
        return (await ReadBindingAsync(cancellationToken))!.Value;
    }

    private async Task SealPlaintextAsync(CancellationToken cancellationToken)
    {
        if (await ReadMetaAsync(KeyBinding.SealedMeta, cancellationToken) is not 0)
        {
            return;
        }

        Keys.Refresh();
        await using var session = await OpenSessionAsync(write: true, cancellationToken);
        if (await session.LockMetaAsync(KeyBinding.SealedMeta, cancellationToken) is 0)
        {
            await session.SealPlaintextRowsAsync(cancellationToken);
            await session.SetMetaAsync(KeyBinding.SealedMeta, 1, cancellationToken);
            await session.CommitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Keys.Dispose();
        await _dataSource.DisposeAsync();
        _migration.Dispose();
    }
}
