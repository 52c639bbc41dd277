using Npgsql;
using Plumbline.Core;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Keys;
using Plumbline.Storage.Postgres;

namespace Plumbline.Storage.Backup;

/// <summary>
/// The PostgreSQL backup the app writes itself (no pg_dump needed): in one REPEATABLE READ READ ONLY
/// transaction, every table of the current schema as <c>COPY … TO STDOUT (FORMAT binary)</c> into
/// <c>TABLE.copy</c>, and the sequences' values into the manifest. Restore migrates an empty database to
/// the backup's schema version, then loads every table in foreign-key order and sets the sequences, in
/// one transaction; then the store migrates to the current version as usual.
/// </summary>
internal static class PostgresDump
{
    private const string SchemaTable = "plumbline_schema";

    public static async Task<BackupManifest> WriteAsync(PostgresTraceStore store, string folder, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var schema = await PostgresSchema.VersionAsync(connection, transaction, cancellationToken);
        var files = new List<BackupFile>();
        foreach (var table in await TablesInOrderAsync(connection, transaction, cancellationToken))
        {
            var file = Path.Combine(folder, table + ".copy");
            await using (var output = File.Create(file))
            await using (var copy = await connection.BeginRawBinaryCopyAsync($"COPY \"{table}\" TO STDOUT (FORMAT binary)", cancellationToken))
            {
                await copy.CopyToAsync(output, cancellationToken);
            }

            files.Add(BackupManifest.Describe(file));
        }

        var sequences = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var sequence in await ListAsync(connection, transaction, "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema() ORDER BY 1", cancellationToken))
        {
            await using var value = new NpgsqlCommand($"SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM \"{sequence}\"", connection, transaction);
            sequences[sequence] = (long)(await value.ExecuteScalarAsync(cancellationToken))!;
        }

        long? keyStore;
        await using (var meta = new NpgsqlCommand($"SELECT value FROM meta WHERE key = '{KeyBinding.KeyStoreMeta}'", connection, transaction))
        {
            keyStore = await meta.ExecuteScalarAsync(cancellationToken) as long?;
        }

        await transaction.CommitAsync(cancellationToken);
        return new BackupManifest(BackupManifest.FormatName, 1, BackupManifest.DataKind, "postgres", schema, now, keyStore, files, sequences);
    }

    public static async Task RestoreAsync(string storeName, string folder, BackupManifest manifest, bool force, CancellationToken cancellationToken)
    {
        var builder = PostgresConnectionString.Parse(storeName);
        var description = PostgresConnectionString.Describe(builder);
        await using var dataSource = NpgsqlDataSource.Create(builder);
        await PostgresErrors.GuardAsync(description, async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var version = await PostgresSchema.VersionAsync(connection, null, cancellationToken);
            if (version > 0)
            {
                if (!force && await HoldsDataAsync(connection, cancellationToken))
                {
                    throw PlumblineException.BadInput($"{description}: the store holds data; restoring would replace it (use --force to replace it)");
                }

                await DropAllAsync(connection, cancellationToken);
            }

            await PostgresSchema.MigrateAsync(connection, cancellationToken, manifest.SchemaVersion);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var tables = await TablesInOrderAsync(connection, transaction, cancellationToken);
            var expected = manifest.Files.Select(f => Path.GetFileNameWithoutExtension(f.Name)).Order(StringComparer.Ordinal).ToList();
            if (!expected.SequenceEqual(tables.Order(StringComparer.Ordinal)))
            {
                throw PlumblineException.BadInput(
                    $"{Path.Combine(folder, BackupManifest.FileName)}: its tables ({string.Join(", ", expected)}) are not those of schema version {manifest.SchemaVersion} ({string.Join(", ", tables)})");
            }

            await using (var truncate = new NpgsqlCommand($"TRUNCATE {string.Join(", ", tables.Select(t => $"\"{t}\""))}", connection, transaction))
            {
                await truncate.ExecuteNonQueryAsync(cancellationToken);
            }

            foreach (var table in tables)
            {
                var file = Path.Combine(folder, table + ".copy");
                try
                {
                    await using var input = File.OpenRead(file);
                    await using var copy = await connection.BeginRawBinaryCopyAsync($"COPY \"{table}\" FROM STDIN (FORMAT binary)", cancellationToken);
                    await input.CopyToAsync(copy, cancellationToken);
                }
                catch (PostgresException e)
                {
                    throw PlumblineException.BadInput($"{file}: does not load into table {table} ({e.MessageText})");
                }
            }

            foreach (var (sequence, value) in manifest.Sequences ?? new Dictionary<string, long>())
            {
                await using var set = new NpgsqlCommand($"SELECT setval('\"{sequence}\"', @v, false)", connection, transaction);
                set.Parameters.Add(new NpgsqlParameter("v", value));
                await set.ExecuteNonQueryAsync(cancellationToken);
            }

            // The writing transactions recorded for the event log (EventLog) are ids of the cluster the backup came
            // from; here every restored row is committed history, which txid 0 says to every snapshot.
            await using (var reset = new NpgsqlCommand(
                """
                DO $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'events' AND column_name = 'txid') THEN
                        UPDATE events SET txid = '0' WHERE txid <> '0';
                        UPDATE edit_ranges SET txid = '0' WHERE txid <> '0';
                    END IF;
                END $$;
                """,
                connection,
                transaction))
            {
                await reset.ExecuteNonQueryAsync(cancellationToken);
            }

            // A new log epoch, so a follower's cursor from before the restore is refused, not silently read against
            // ids and transactions that no longer continue it (a backup from before the epoch gets one when it migrates).
            await using (var epoch = new NpgsqlCommand("UPDATE meta SET value = @v WHERE key = @key", connection, transaction))
            {
                epoch.Parameters.Add(new NpgsqlParameter("v", LogEpoch.New()));
                epoch.Parameters.Add(new NpgsqlParameter("key", LogEpoch.MetaKey));
                await epoch.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return 0;
        });
    }

    /// <summary>The tables of the current schema but the schema-version table, parents before children (foreign keys).</summary>
    private static async Task<List<string>> TablesInOrderAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var tables = (await ListAsync(connection, transaction, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1", cancellationToken))
            .Where(t => t != SchemaTable)
            .ToList();
        var parents = tables.ToDictionary(t => t, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(
            """
            SELECT c.relname, p.relname FROM pg_constraint k
            JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE k.contype = 'f' AND n.nspname = current_schema()
            """,
            connection,
            transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (parents.TryGetValue(reader.GetString(0), out var set) && reader.GetString(1) != reader.GetString(0))
                {
                    set.Add(reader.GetString(1));
                }
            }
        }

        var ordered = new List<string>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        while (ordered.Count < tables.Count)
        {
            var next = tables.First(t => !done.Contains(t) && parents[t].All(done.Contains));
            ordered.Add(next);
            done.Add(next);
        }

        return ordered;
    }

    private static async Task<bool> HoldsDataAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM contributors) OR EXISTS (SELECT 1 FROM documents) OR EXISTS (SELECT 1 FROM events)",
            connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task DropAllAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var tables = await ListAsync(connection, transaction, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()", cancellationToken);
        var sequences = await ListAsync(connection, transaction, "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()", cancellationToken);
        foreach (var table in tables)
        {
            await using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS \"{table}\" CASCADE", connection, transaction);
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var sequence in sequences)
        {
            await using var drop = new NpgsqlCommand($"DROP SEQUENCE IF EXISTS \"{sequence}\" CASCADE", connection, transaction);
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<List<string>> ListAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }
}
