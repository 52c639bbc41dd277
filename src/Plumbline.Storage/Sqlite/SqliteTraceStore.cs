using Microsoft.Data.Sqlite;
using Plumbline.Core;
using Plumbline.Storage.Keys;

namespace Plumbline.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with full fsync on commit, so a batch that was
/// reported stored survives a crash (process or power). Writers take the write lock at the start of
/// their transaction.
/// </summary>
/// <remarks>
/// Writers of this process queue on <see cref="_writer"/> (first come, first served, awaiting without
/// holding a thread) before they ask SQLite for its lock: without it, concurrent writers met in SQLite's
/// busy handler, which polls with sleeps of up to 100 ms and is unfair (under 8 concurrent clients a
/// writer waited up to 5 s for <c>BEGIN IMMEDIATE</c>). Writers that queued meanwhile share one
/// transaction, each in its own savepoint, and one COMMIT (group commit): the fsync of the COMMIT was
/// most of the time a writer held the lock (bench/server). The busy timeout still covers writers in
/// other processes.
/// </remarks>
internal sealed class SqliteTraceStore : ITraceStore, IKeyedStore
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _binding = new(1, 1);
    private readonly SqliteWriteQueue _writer;

    /// <summary>How long a writer waits for the store (in this process, then for SQLite's lock).</summary>
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Environment variable: the most writers that share one COMMIT (default <see cref="DefaultMaxGroup"/>; 1: each writer commits alone).</summary>
    public const string MaxGroupVariable = "PLUMBLINE_SQLITE_MAX_GROUP";

    public const int DefaultMaxGroup = 32;

    /// <summary>No writer joins a shared transaction opened longer ago than this, so the first one is not kept waiting for long.</summary>
    private static readonly TimeSpan DefaultMaxGroupAge = TimeSpan.FromMilliseconds(200);

    private bool _bound;

    private SqliteTraceStore(string path, string connectionString, StoreKeys keys, int maxGroup, TimeSpan maxGroupAge)
    {
        Path = path;
        _connectionString = connectionString;
        Keys = keys;
        _writer = new SqliteWriteQueue(Connect, path, maxGroup, maxGroupAge);
    }

    public string Path { get; }

    public StoreKeys Keys { get; }

    public string Description => Path;

    /// <summary>The queue of this store's writers (tests look at its commits).</summary>
    internal SqliteWriteQueue Writers => _writer;

    /// <param name="maxGroup">The most writers that share one COMMIT (default: <see cref="MaxGroupVariable"/>, else <see cref="DefaultMaxGroup"/>).</param>
    /// <param name="maxGroupAge">No writer joins a shared transaction opened longer ago than this (default 200 ms).</param>
    public static SqliteTraceStore Open(string path, KeyLocation keys, bool sealing = true, int? maxGroup = null, TimeSpan? maxGroupAge = null)
    {
        var group = maxGroup ?? MaxGroupFromEnvironment();
        var full = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 60,
        };
        var store = new SqliteTraceStore(full, builder.ToString(), new StoreKeys(keys, sealing: sealing), group, maxGroupAge ?? DefaultMaxGroupAge);
        try
        {
            using var connection = store.Connect();
            SqliteSchema.Migrate(connection);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 26 /* SQLITE_NOTADB */ or 11 /* SQLITE_CORRUPT */)
        {
            throw PlumblineException.BadInput($"{full}: not a Plumbline store ({e.Message})");
        }

        return store;
    }

    private static int MaxGroupFromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(MaxGroupVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return DefaultMaxGroup;
        }

        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 1000
            ? n
            : throw PlumblineException.BadInput($"{MaxGroupVariable}: '{value}' is not a whole number from 1 to 1000 (the most writers that share one commit)");
    }

    public async Task<IStoreSession> OpenAsync(bool write, CancellationToken cancellationToken)
    {
        await BindKeysAsync(cancellationToken);
        Keys.Refresh();
        return await OpenSessionAsync(write, cancellationToken);
    }

    private async Task<SqliteSession> OpenSessionAsync(bool write, CancellationToken cancellationToken) =>
        write
            ? new SqliteSession(await _writer.EnterAsync(BusyTimeout, cancellationToken), Keys)
            : new SqliteSession(Connect(), Keys);

    /// <summary>Once per store object: checks the key folder belongs to this store (or binds a new store to it) and seals a pre-encryption store.</summary>
    private async Task BindKeysAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _bound))
        {
            return;
        }

        await _binding.WaitAsync(cancellationToken);
        try
        {
            if (_bound)
            {
                return;
            }

            await KeyBinding.BindAsync(Description, Keys, _ => Task.FromResult(ReadMeta(KeyBinding.KeyStoreMeta)), WriteBindingAsync, SealPlaintextAsync, cancellationToken);
            _bound = true;
        }
        finally
        {
            _binding.Release();
        }
    }

    private long? ReadMeta(string key)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() is long value ? value : null;
    }

    private Task<long> WriteBindingAsync(long id, CancellationToken cancellationToken)
    {
        using (var connection = Connect())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT OR IGNORE INTO meta (key, value) VALUES ($key, $value)";
            command.Parameters.AddWithValue("$key", KeyBinding.KeyStoreMeta);
            command.Parameters.AddWithValue("$value", id);
            command.ExecuteNonQuery();
        }

        return Task.FromResult(ReadMeta(KeyBinding.KeyStoreMeta)!.Value);
    }

    private async Task SealPlaintextAsync(CancellationToken cancellationToken)
    {
        if (ReadMeta(KeyBinding.SealedMeta) is not 0)
        {
            return;
        }

        Keys.Refresh();
        await using var session = await OpenSessionAsync(write: true, cancellationToken);
        if (await session.MetaAsync(KeyBinding.SealedMeta, cancellationToken) is 0)
        {
            await session.SealPlaintextRowsAsync(cancellationToken);
            await session.SetMetaAsync(KeyBinding.SealedMeta, 1, cancellationToken);
            await session.CommitAsync(cancellationToken);
        }
    }

    internal SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            PRAGMA foreign_keys = ON;
            PRAGMA secure_delete = ON;
            PRAGMA busy_timeout = 60000;
            """;
        command.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Moves everything from the WAL into the database file and truncates the WAL.</summary>
    public void Checkpoint()
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        command.ExecuteNonQuery();
    }

    public Task ScrubAsync(CancellationToken cancellationToken)
    {
        Checkpoint();
        return Task.CompletedTask;
    }

    public async Task<StoreFootprint> FootprintAsync(CancellationToken cancellationToken)
    {
        Checkpoint();
        // dbstat is not compiled into the bundled SQLite, so the breakdown counts stored payload bytes
        // per column and leaves the rest (row headers, indexes, free space in pages) to one line.
        var objects = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using (var connection = Connect())
        {
            foreach (var (name, sql) in new[]
            {
                ("edit_chunks.data", "SELECT COALESCE(SUM(length(data)), 0) FROM edit_chunks"),
                ("snapshots.data", "SELECT COALESCE(SUM(length(data)), 0) FROM snapshots"),
                ("documents.start_content", "SELECT COALESCE(SUM(length(start_content)), 0) FROM documents"),
                ("events.payload", "SELECT COALESCE(SUM(length(payload)), 0) FROM events"),
                ("pages", "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"),
                ("free pages", "SELECT freelist_count * page_size FROM pragma_freelist_count(), pragma_page_size()"),
            })
            {
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                objects[name] = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        objects["other (row headers, indexes, page slack)"] = objects["pages"] - objects["free pages"] -
            objects["edit_chunks.data"] - objects["snapshots.data"] - objects["documents.start_content"] - objects["events.payload"];
        objects.Remove("pages");

        var files = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            var file = new FileInfo(Path + suffix);
            files[file.Name] = file.Exists ? file.Length : 0;
        }

        // The -shm file is SQLite's shared-memory index of the WAL, not data: listed, not counted.
        return new StoreFootprint(files.Where(f => !f.Key.EndsWith("-shm", StringComparison.Ordinal)).Sum(f => f.Value), files, objects);
    }

    public ValueTask DisposeAsync()
    {
        Keys.Dispose();
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}
