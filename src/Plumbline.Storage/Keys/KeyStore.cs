using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Plumbline.Core;

namespace Plumbline.Storage.Keys;

/// <summary>A withdrawal the key store remembers, so a restored older backup does not bring the data back.</summary>
public sealed record KeyTombstone(long ContributorId, string? Source, long WithdrawnAt, int KeysDestroyed);

/// <summary>What <c>plumb keys status</c> shows: counts and places, never a key.</summary>
public sealed record KeyStoreStatus(
    string KeyFolder,
    string KeyStoreFile,
    string MasterKeySource,
    long StoreId,
    int ActiveKeys,
    int RetiredKeys,
    int DestroyedKeys,
    IReadOnlyDictionary<string, int> ActiveByKind,
    IReadOnlyList<KeyTombstone> Tombstones);

/// <summary>
/// The key store: <c>keys.db</c>, a SQLite file of its own in the key folder (never inside the data store,
/// never in a data backup), with <c>secure_delete</c> so destroyed keys are zeroed in the file. It holds the
/// data keys wrapped (AES-256-GCM) by the master key, the ids of destroyed keys and the withdrawal tombstones.
/// A verifier (a constant sealed under the master key) tells a wrong master key from a damaged store.
/// </summary>
internal sealed class KeyStore : IDisposable
{
    private const string VerifierText = "plumbline master key check";
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS data_keys (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            owner INTEGER,
            part TEXT,
            wrapped BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            retired_at INTEGER);
        CREATE UNIQUE INDEX IF NOT EXISTS data_keys_active ON data_keys (kind, COALESCE(owner, -1), COALESCE(part, '')) WHERE retired_at IS NULL;
        CREATE INDEX IF NOT EXISTS data_keys_by_owner ON data_keys (kind, owner);
        CREATE TABLE IF NOT EXISTS destroyed_keys (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            owner INTEGER,
            part TEXT,
            destroyed_at INTEGER NOT NULL,
            reason TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS tombstones (
            id INTEGER PRIMARY KEY,
            contributor_id INTEGER NOT NULL,
            source TEXT,
            withdrawn_at INTEGER NOT NULL,
            keys_destroyed INTEGER NOT NULL);
        """;

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private AesGcm _master;

    private KeyStore(KeyLocation location, string connectionString, MasterKey master, TimeProvider time)
    {
        Location = location;
        _connectionString = connectionString;
        Master = master;
        _master = new AesGcm(master.Key, SealedEnvelope.TagSize);
        _time = time;
    }

    public KeyLocation Location { get; }

    public MasterKey Master { get; private set; }

    /// <summary>The random id shared with the data store this key store belongs to.</summary>
    public long StoreId { get; private set; }

    public static bool Exists(KeyLocation location) => File.Exists(location.KeyStoreFile);

    /// <summary>
    /// Opens the key store of <paramref name="location"/>; when <paramref name="mayCreate"/> and there is none,
    /// creates it (and the master key file, unless the environment gives the key).
    /// </summary>
    public static KeyStore Open(KeyLocation location, TimeProvider time, bool mayCreate)
    {
        var exists = Exists(location);
        if (!exists && !mayCreate)
        {
            throw PlumblineException.BadInput($"{location.Directory}: no key store here ({Path.GetFileName(location.KeyStoreFile)} is missing)");
        }

        Directory.CreateDirectory(location.Directory);
        FinishRotation(location);
        var master = MasterKey.Load(location, mayCreate: !exists);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = location.KeyStoreFile,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 60,
        };
        var store = new KeyStore(location, builder.ToString(), master, time);
        try
        {
            using var connection = store.Connect();
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                Execute(connection, transaction, Schema);
                if (ReadInfo(connection, transaction, "verifier") is null)
                {
                    WriteInfo(connection, transaction, "verifier", SealedEnvelope.Seal(0, store._master, Encoding.UTF8.GetBytes(VerifierText), "verifier"));
                    WriteInfo(connection, transaction, "store_id", BitConverter.GetBytes(RandomNumberGenerator.GetInt32(1, int.MaxValue) * 4096L + RandomNumberGenerator.GetInt32(4096)));
                    WriteInfo(connection, transaction, "generation", BitConverter.GetBytes(0L));
                }

                transaction.Commit();
            }

            store.StoreId = BitConverter.ToInt64(ReadInfo(connection, null, "store_id")!);
            var verifier = ReadInfo(connection, null, "verifier")!;
            if (!SealedEnvelope.TryOpen(store._master, verifier, "verifier", out _))
            {
                throw PlumblineException.BadInput(
                    $"{location.KeyStoreFile}: the master key from {master.Source} is not the one this key store was wrapped with (wrong {MasterKey.EnvironmentVariable} or master.key?)");
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 26 or 11)
        {
            store.Dispose();
            throw PlumblineException.BadInput($"{location.KeyStoreFile}: not a Plumbline key store ({e.Message})");
        }
        catch
        {
            store.Dispose();
            throw;
        }

        return store;
    }

    /// <summary>Whether a data store has taken this key store as its own (a key store serves one data store).</summary>
    public bool Claimed
    {
        get
        {
            using var connection = Connect();
            return ReadInfo(connection, null, "claimed") is not null;
        }
    }

    public void Claim()
    {
        using var connection = Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        WriteInfo(connection, transaction, "claimed", [1]);
        transaction.Commit();
    }

    /// <summary>The active key of <paramref name="scope"/>, created (random, wrapped, stored) when there is none.</summary>
    public (long Id, byte[] Key) Active(KeyScope scope)
    {
        using var connection = Connect();
        if (FindActive(connection, null, scope) is { } found)
        {
            return found;
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        if (FindActive(connection, transaction, scope) is { } raced)
        {
            return raced;
        }

        var key = RandomNumberGenerator.GetBytes(32);
        using var insert = Command(
            connection,
            transaction,
            "INSERT INTO data_keys (kind, owner, part, wrapped, created_at) VALUES ($kind, $owner, $part, x'', $now) RETURNING id",
            ("$kind", scope.Kind),
            ("$owner", scope.Owner),
            ("$part", scope.Part),
            ("$now", Now()));
        var id = (long)insert.ExecuteScalar()!;
        using var update = Command(connection, transaction, "UPDATE data_keys SET wrapped = $w WHERE id = $id", ("$id", id), ("$w", Wrap(_master, id, scope, key)));
        update.ExecuteNonQuery();
        transaction.Commit();
        return (id, key);
    }

    /// <summary>The data key with id <paramref name="id"/>, or null when it was destroyed (or never existed here).</summary>
    public byte[]? Find(long id)
    {
        using var connection = Connect();
        using var command = Command(connection, null, "SELECT kind, owner, part, wrapped FROM data_keys WHERE id = $id", ("$id", id));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var scope = new KeyScope(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2));
        return Unwrap(_master, id, scope, (byte[])reader.GetValue(3));
    }

    /// <summary>Changes whenever a key is destroyed or the master key changes, so caches in other processes notice.</summary>
    public long Generation()
    {
        using var connection = Connect();
        return BitConverter.ToInt64(ReadInfo(connection, null, "generation")!);
    }

    /// <summary>Makes the active key of <paramref name="scope"/> a retired one (still opens what it sealed); the next seal creates a new key.</summary>
    public void Retire(KeyScope scope)
    {
        using var connection = Connect();
        using var command = Command(
            connection,
            null,
            "UPDATE data_keys SET retired_at = $now WHERE kind = $kind AND COALESCE(owner, -1) = COALESCE($owner, -1) AND COALESCE(part, '') = COALESCE($part, '') AND retired_at IS NULL",
            ("$kind", scope.Kind),
            ("$owner", scope.Owner),
            ("$part", scope.Part),
            ("$now", Now()));
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Destroys every key (active and retired) of <paramref name="kind"/> and <paramref name="owner"/>, of
    /// <paramref name="part"/> or all parts, and only retired ones when <paramref name="retiredOnly"/>. The
    /// wrapped bytes are overwritten and deleted, the ids remembered. Returns how many were destroyed.
    /// </summary>
    public int Destroy(string kind, long owner, string? part, bool retiredOnly, string reason)
    {
        using var connection = Connect();
        int count;
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            var filter = "kind = $kind AND owner = $owner AND ($part IS NULL OR part = $part)" + (retiredOnly ? " AND retired_at IS NOT NULL" : "");
            (string, object?)[] parameters = [("$kind", kind), ("$owner", owner), ("$part", part), ("$now", Now()), ("$reason", reason)];
            using (var remember = Command(
                connection,
                transaction,
                $"INSERT INTO destroyed_keys (id, kind, owner, part, destroyed_at, reason) SELECT id, kind, owner, part, $now, $reason FROM data_keys WHERE {filter}",
                parameters))
            {
                count = remember.ExecuteNonQuery();
            }

            using (var overwrite = Command(connection, transaction, $"UPDATE data_keys SET wrapped = zeroblob(length(wrapped)) WHERE {filter}", parameters))
            {
                overwrite.ExecuteNonQuery();
            }

            using (var delete = Command(connection, transaction, $"DELETE FROM data_keys WHERE {filter}", parameters))
            {
                delete.ExecuteNonQuery();
            }

            BumpGeneration(connection, transaction);
            transaction.Commit();
        }

        Checkpoint(connection);
        return count;
    }

    public void AddTombstone(long contributorId, string? source, int keysDestroyed)
    {
        using var connection = Connect();
        using var command = Command(
            connection,
            null,
            "INSERT INTO tombstones (contributor_id, source, withdrawn_at, keys_destroyed) VALUES ($c, $s, $now, $n)",
            ("$c", contributorId),
            ("$s", source),
            ("$now", Now()),
            ("$n", keysDestroyed));
        command.ExecuteNonQuery();
    }

    public IReadOnlyList<KeyTombstone> Tombstones()
    {
        using var connection = Connect();
        return ReadTombstones(connection);
    }

    public KeyStoreStatus Status()
    {
        using var connection = Connect();
        var byKind = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int retired;
        using (var command = Command(connection, null, "SELECT kind, COALESCE(part, ''), count(*) FROM data_keys WHERE retired_at IS NULL GROUP BY 1, 2"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var part = reader.GetString(1);
                var name = reader.GetString(0) + (part.Length == 0 ? "" : "/" + part);
                byKind[name] = reader.GetInt32(2);
            }
        }

        using (var command = Command(connection, null, "SELECT count(*) FROM data_keys WHERE retired_at IS NOT NULL"))
        {
            retired = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        using var destroyed = Command(connection, null, "SELECT count(*) FROM destroyed_keys");
        return new KeyStoreStatus(
            Location.Directory,
            Location.KeyStoreFile,
            Master.Source,
            StoreId,
            byKind.Values.Sum(),
            retired,
            Convert.ToInt32(destroyed.ExecuteScalar(), CultureInfo.InvariantCulture),
            byKind,
            ReadTombstones(connection));
    }

    /// <summary>
    /// Rewraps every data key under <paramref name="newMaster"/> in one transaction and replaces the
    /// verifier; afterwards the old master key opens nothing. Returns how many keys were rewrapped.
    /// </summary>
    public int Rotate(MasterKey newMaster)
    {
        var fresh = new AesGcm(newMaster.Key, SealedEnvelope.TagSize);
        using var connection = Connect();
        var count = 0;
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            var rows = new List<(long Id, KeyScope Scope, byte[] Wrapped)>();
            using (var select = Command(connection, transaction, "SELECT id, kind, owner, part, wrapped FROM data_keys ORDER BY id"))
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    rows.Add((reader.GetInt64(0), new KeyScope(reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3)), (byte[])reader.GetValue(4)));
                }
            }

            foreach (var (id, scope, wrapped) in rows)
            {
                var key = Unwrap(_master, id, scope, wrapped);
                using var update = Command(connection, transaction, "UPDATE data_keys SET wrapped = $w WHERE id = $id", ("$id", id), ("$w", Wrap(fresh, id, scope, key)));
                update.ExecuteNonQuery();
                CryptographicOperations.ZeroMemory(key);
                count++;
            }

            WriteInfo(connection, transaction, "verifier", SealedEnvelope.Seal(0, fresh, Encoding.UTF8.GetBytes(VerifierText), "verifier"));
            BumpGeneration(connection, transaction);
            transaction.Commit();
        }

        Checkpoint(connection);
        _master.Dispose();
        _master = fresh;
        Master = newMaster;
        return count;
    }

    /// <summary>Writes a consistent copy of the key store to <paramref name="file"/> (<c>VACUUM INTO</c>).</summary>
    public void CopyTo(string file)
    {
        using var connection = Connect();
        using var command = Command(connection, null, "VACUUM INTO $file", ("$file", file));
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _master.Dispose();
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>A rotation that stopped between committing the rewrapped keys and renaming <c>master.key.new</c>: finish it.</summary>
    private static void FinishRotation(KeyLocation location)
    {
        var pending = location.MasterKeyFile + ".new";
        if (!File.Exists(pending) || !File.Exists(location.KeyStoreFile))
        {
            return;
        }

        using var connection = new SqliteConnection($"Data Source={location.KeyStoreFile};Pooling=False");
        connection.Open();
        var verifier = ReadInfo(connection, null, "verifier");
        using var candidate = new AesGcm(MasterKey.Parse(File.ReadAllText(pending), pending), SealedEnvelope.TagSize);
        if (verifier is not null && SealedEnvelope.TryOpen(candidate, verifier, "verifier", out _))
        {
            File.Move(pending, location.MasterKeyFile, overwrite: true);
        }
        else
        {
            File.Delete(pending);
        }
    }

    private (long Id, byte[] Key)? FindActive(SqliteConnection connection, SqliteTransaction? transaction, KeyScope scope)
    {
        using var command = Command(
            connection,
            transaction,
            "SELECT id, wrapped FROM data_keys WHERE kind = $kind AND COALESCE(owner, -1) = COALESCE($owner, -1) AND COALESCE(part, '') = COALESCE($part, '') AND retired_at IS NULL",
            ("$kind", scope.Kind),
            ("$owner", scope.Owner),
            ("$part", scope.Part));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var id = reader.GetInt64(0);
        return (id, Unwrap(_master, id, scope, (byte[])reader.GetValue(1)));
    }

    private static byte[] Wrap(AesGcm master, long id, KeyScope scope, byte[] key) => SealedEnvelope.Seal(id, master, key, WrapContext(id, scope));

    private byte[] Unwrap(AesGcm master, long id, KeyScope scope, byte[] wrapped) =>
        SealedEnvelope.TryOpen(master, wrapped, WrapContext(id, scope), out var key)
            ? key
            : throw new PlumblineException(FailureKind.Runtime, $"{Location.KeyStoreFile}: data key {id} ({scope}) does not unwrap with the master key from {Master.Source}; the key store is damaged");

    private static string WrapContext(long id, KeyScope scope) => $"data_keys/{id}/{scope}";

    private static List<KeyTombstone> ReadTombstones(SqliteConnection connection)
    {
        using var command = Command(connection, null, "SELECT contributor_id, source, withdrawn_at, keys_destroyed FROM tombstones ORDER BY id");
        using var reader = command.ExecuteReader();
        var list = new List<KeyTombstone>();
        while (reader.Read())
        {
            list.Add(new KeyTombstone(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3)));
        }

        return list;
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, null, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON; PRAGMA busy_timeout = 60000;");
        return connection;
    }

    private static void Checkpoint(SqliteConnection connection) => Execute(connection, null, "PRAGMA wal_checkpoint(TRUNCATE);");

    private static void BumpGeneration(SqliteConnection connection, SqliteTransaction transaction)
    {
        var generation = BitConverter.ToInt64(ReadInfo(connection, transaction, "generation")!);
        WriteInfo(connection, transaction, "generation", BitConverter.GetBytes(generation + 1));
    }

    private static byte[]? ReadInfo(SqliteConnection connection, SqliteTransaction? transaction, string key)
    {
        using var command = Command(connection, transaction, "SELECT value FROM info WHERE key = $key", ("$key", key));
        return command.ExecuteScalar() as byte[];
    }

    private static void WriteInfo(SqliteConnection connection, SqliteTransaction transaction, string key, byte[] value)
    {
        using var command = Command(connection, transaction, "INSERT OR REPLACE INTO info (key, value) VALUES ($key, $value)", ("$key", key), ("$value", value));
        command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
