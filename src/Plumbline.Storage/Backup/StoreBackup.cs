using Microsoft.Data.Sqlite;
using Plumbline.Core;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Keys;
using Plumbline.Storage.Postgres;
using Plumbline.Storage.Sqlite;

namespace Plumbline.Storage.Backup;

/// <summary>What a restore did: the manifest it restored and what it had to drop because keys were destroyed since.</summary>
public sealed record RestoreResult(BackupManifest Manifest, string Target, ReconcileResult? Dropped);

/// <summary>
/// Backups of the data store and of the key store, separately: a data backup never holds keys, a key
/// backup never holds data or the master key. SQLite: <c>VACUUM INTO</c> (a consistent copy while the store
/// is in use). PostgreSQL: a logical dump the app writes itself, one <c>COPY … (FORMAT binary)</c> file per
/// table from one REPEATABLE READ snapshot, plus the event sequence; restored into an empty database at the
/// same schema version, in one transaction, then migrated. Every file is listed with its SHA-256 in
/// <c>backup.json</c>, checked before anything is restored.
/// </summary>
public sealed class StoreBackup(TimeProvider time)
{
    private const string SqliteFile = "plumbline.db";
    private const string KeyStoreFile = "keys.db";

    /// <summary>Backs up the data of <paramref name="store"/> (opened from <paramref name="storeName"/>) into the new folder <paramref name="outDir"/>.</summary>
    public async Task<BackupManifest> BackupDataAsync(ITraceStore store, string storeName, string outDir, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        // A session first: it migrates the store and checks its keys, so a backup is of a store that opens.
        await using (await store.OpenAsync(write: false, cancellationToken))
        {
        }

        var partial = BackupFolder.Begin(outDir);
        try
        {
            var manifest = store switch
            {
                SqliteTraceStore sqlite => BackupSqlite(sqlite, partial),
                PostgresTraceStore postgres => await PostgresDump.WriteAsync(postgres, partial, Now(), cancellationToken),
                _ => throw new InvalidOperationException($"no backup for {store.GetType().Name}"),
            };
            manifest.Write(partial);
            BackupFolder.Complete(partial, outDir);
            return manifest;
        }
        catch
        {
            BackupFolder.Abandon(partial);
            throw;
        }
    }

    /// <summary>Backs up the key store (wrapped data keys, destroyed key ids, tombstones; not the master key).</summary>
    public BackupManifest BackupKeys(KeyLocation keys, string outDir)
    {
        ArgumentNullException.ThrowIfNull(keys);
        using var keyStore = KeyStore.Open(keys, time, mayCreate: false);
        var partial = BackupFolder.Begin(outDir);
        try
        {
            var file = Path.Combine(partial, KeyStoreFile);
            keyStore.CopyTo(file);
            var manifest = new BackupManifest(BackupManifest.FormatName, 1, BackupManifest.KeysKind, "sqlite", 1, Now(), keyStore.StoreId, [BackupManifest.Describe(file)]);
            manifest.Write(partial);
            BackupFolder.Complete(partial, outDir);
            return manifest;
        }
        catch
        {
            BackupFolder.Abandon(partial);
            throw;
        }
    }

    /// <summary>
    /// Restores a data backup into <paramref name="storeName"/> (refused when it holds data, unless
    /// <paramref name="force"/>), then drops what the current key store can no longer open.
    /// </summary>
    public async Task<RestoreResult> RestoreDataAsync(string storeName, KeyLocation keys, string fromDir, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var manifest = BackupManifest.Read(fromDir, BackupManifest.DataKind);
        if (manifest.KeyStore is { } needed)
        {
            RequireKeyStore(keys, needed, Path.Combine(fromDir, BackupManifest.FileName));
        }

        if (TraceStores.IsPostgres(storeName))
        {
            RequireBackend(manifest, "postgres", fromDir);
            await PostgresDump.RestoreAsync(storeName, fromDir, manifest, force, cancellationToken);
            await using var store = TraceStores.Open(storeName, keys);
            var dropped = await KeyReconciler.ReconcileAsync(store, cancellationToken);
            await VerifyAsync(store, cancellationToken);
            return new RestoreResult(manifest, PostgresConnectionString.Describe(PostgresConnectionString.Parse(storeName)), dropped);
        }

        RequireBackend(manifest, "sqlite", fromDir);
        var target = Path.GetFullPath(storeName);
        if (File.Exists(target) && !force)
        {
            throw PlumblineException.BadInput($"{target}: the store exists; restoring would replace it (use --force to replace it)");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var staging = target + ".restoring";
        DeleteSqlite(staging);
        File.Copy(Path.Combine(fromDir, SqliteFile), staging);
        try
        {
            ReconcileResult dropped;
            await using (var store = SqliteTraceStore.Open(staging, keys))
            {
                // A new log epoch (see PostgresDump.RestoreAsync): cursors from before the restore are refused.
                using (var connection = store.Connect())
                {
                    using var epoch = connection.CreateCommand();
                    epoch.CommandText = "UPDATE meta SET value = $v WHERE key = $key";
                    epoch.Parameters.AddWithValue("$v", LogEpoch.New());
                    epoch.Parameters.AddWithValue("$key", LogEpoch.MetaKey);
                    epoch.ExecuteNonQuery();
                }

                dropped = await KeyReconciler.ReconcileAsync(store, cancellationToken);
                await VerifyAsync(store, cancellationToken);
                await store.ScrubAsync(cancellationToken);
            }

            DeleteSqlite(target);
            File.Move(staging, target);
            return new RestoreResult(manifest, target, dropped);
        }
        catch (SqliteException e)
        {
            DeleteSqlite(staging);
            throw PlumblineException.BadInput($"{Path.Combine(fromDir, SqliteFile)}: not a restorable store ({e.Message})");
        }
        catch
        {
            DeleteSqlite(staging);
            throw;
        }
    }

    /// <summary>
    /// Restores a key store backup into <paramref name="keys"/>. When a key store is there already (with
    /// <paramref name="force"/>), its destroyed keys and tombstones are kept: a key destroyed since the
    /// backup stays destroyed. The master key is not in the backup; the current one must open it.
    /// </summary>
    public RestoreResult RestoreKeys(KeyLocation keys, string fromDir, bool force)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var manifest = BackupManifest.Read(fromDir, BackupManifest.KeysKind);
        if (KeyStore.Exists(keys) && !force)
        {
            throw PlumblineException.BadInput($"{keys.KeyStoreFile}: a key store is there; restoring would replace it (use --force; destroyed keys and tombstones are kept)");
        }

        Directory.CreateDirectory(keys.Directory);
        var staging = new KeyLocation(Path.Combine(keys.Directory, ".restoring-" + Guid.NewGuid().ToString("N")[..8]));
        Directory.CreateDirectory(staging.Directory);
        try
        {
            File.Copy(Path.Combine(fromDir, KeyStoreFile), staging.KeyStoreFile);
            if (File.Exists(keys.MasterKeyFile))
            {
                File.Copy(keys.MasterKeyFile, staging.MasterKeyFile);
            }

            if (KeyStore.Exists(keys))
            {
                KeyStoreMerge.KeepDestroyed(keys.KeyStoreFile, staging.KeyStoreFile);
            }

            using (var restored = KeyStore.Open(staging, time, mayCreate: false))
            {
                if (restored.StoreId != manifest.KeyStore)
                {
                    throw PlumblineException.BadInput($"{Path.Combine(fromDir, KeyStoreFile)}: key store {restored.StoreId}, but {BackupManifest.FileName} says {manifest.KeyStore}");
                }
            }

            SqliteConnection.ClearAllPools();
            DeleteSqlite(keys.KeyStoreFile);
            File.Move(staging.KeyStoreFile, keys.KeyStoreFile);
            return new RestoreResult(manifest, keys.KeyStoreFile, null);
        }
        catch (SqliteException e)
        {
            throw PlumblineException.BadInput($"{Path.Combine(fromDir, KeyStoreFile)}: not a restorable key store ({e.Message})");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(staging.Directory, recursive: true);
        }
    }

    private BackupManifest BackupSqlite(SqliteTraceStore store, string folder)
    {
        var file = Path.Combine(folder, SqliteFile);
        int schema;
        long? keyStore;
        using (var connection = store.Connect())
        {
            using var vacuum = connection.CreateCommand();
            vacuum.CommandText = "VACUUM INTO $file";
            vacuum.Parameters.AddWithValue("$file", file);
            vacuum.ExecuteNonQuery();
            using var version = connection.CreateCommand();
            version.CommandText = "PRAGMA user_version";
            schema = Convert.ToInt32(version.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            using var meta = connection.CreateCommand();
            meta.CommandText = $"SELECT value FROM meta WHERE key = '{KeyBinding.KeyStoreMeta}'";
            keyStore = meta.ExecuteScalar() as long?;
        }

        return new BackupManifest(BackupManifest.FormatName, 1, BackupManifest.DataKind, "sqlite", schema, Now(), keyStore, [BackupManifest.Describe(file)]);
    }

    /// <summary>Replays every document and reads every event, so a restore that completes is one whose data opens.</summary>
    private static async Task VerifyAsync(ITraceStore store, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        foreach (var document in await session.ListDocumentsAsync(cancellationToken))
        {
            await Documents.DocumentReader.LoadAsync(session, document, document.Revisions, cancellationToken);
        }

        await session.EventsAsync(null, cancellationToken);
        foreach (var contributor in await session.ListContributorsAsync(cancellationToken))
        {
            await session.TermsAsync(contributor.Id, cancellationToken);
        }
    }

    private static void RequireKeyStore(KeyLocation keys, long needed, string manifest)
    {
        if (!KeyStore.Exists(keys))
        {
            throw PlumblineException.BadInput(
                $"{manifest}: this data is sealed under key store {needed}, and {keys.Directory} has no key store; restore the key store first (plumb restore --key-store KEYBACKUP) or pass --keys DIR");
        }
    }

    private static void RequireBackend(BackupManifest manifest, string backend, string fromDir)
    {
        if (manifest.Backend != backend)
        {
            throw PlumblineException.BadInput($"{Path.Combine(fromDir, BackupManifest.FileName)}: a {manifest.Backend} backup cannot be restored into a {backend} store");
        }
    }

    private static void DeleteSqlite(string path)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(path + suffix);
        }
    }

    private DateTimeOffset Now() => time.GetUtcNow();
}
