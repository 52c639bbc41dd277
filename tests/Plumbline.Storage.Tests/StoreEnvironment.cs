using Microsoft.Data.Sqlite;
using Npgsql;
using Plumbline.Core.Capture;
using Plumbline.Core.Consent;
using Plumbline.Core.Text;
using Plumbline.Storage.Consent;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Ingest;
using Plumbline.Storage.Keys;
using Plumbline.Storage.Postgres;
using Plumbline.Storage.Sqlite;

namespace Plumbline.Storage.Tests;

/// <summary>
/// A real store of one backend — a SQLite file in a fresh folder, or a fresh PostgreSQL database on the
/// test cluster — a manual clock, and the services on top.
/// </summary>
internal sealed class StoreEnvironment : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly TestDatabase? _database;

    private StoreEnvironment(string backend, TempDirectory directory, TestDatabase? database, StoreOptions? options)
    {
        Backend = backend;
        _directory = directory;
        _database = database;
        Options = options ?? StoreOptions.Default;
        StoreName = database?.ConnectionString ?? directory.File("plumbline.db");
        // PostgreSQL keys would default to .plumbline/keys/… under the current folder: keep them in the temp folder.
        Keys = database is null ? KeyLocation.For(StoreName) : new KeyLocation(directory.File("keys"));
        Store = TraceStores.Open(StoreName, Keys);
        Contributors = new ContributorService(Store, Clock);
        Edits = new EditIngest(Store, Clock, Options);
        Comments = new CommentIngest(Store, Clock);
    }

    public string Backend { get; }

    /// <summary>What <c>--store</c> would say: the SQLite path or the PostgreSQL connection string.</summary>
    public string StoreName { get; }

    /// <summary>The store's key folder (in the temp folder for both backends).</summary>
    public KeyLocation Keys { get; }

    /// <summary>Another store object over the same data and keys (as a second process would open it).</summary>
    public ITraceStore OpenStore(string? name = null) => TraceStores.Open(name ?? StoreName, Keys);

    public ManualClock Clock { get; } = new();

    public StoreOptions Options { get; }

    public ITraceStore Store { get; }

    public ContributorService Contributors { get; }

    public EditIngest Edits { get; }

    public CommentIngest Comments { get; }

    public string Folder => _directory.Path;

    /// <summary>A fresh store of <paramref name="backend"/>, or null when PostgreSQL is not configured (see <see cref="TestDatabase"/>).</summary>
    public static Task<StoreEnvironment?> CreateAsync(string backend, ITestOutputHelper output, StoreOptions? options = null) =>
        CreateAsync(backend, output, options, null, null);

    /// <summary>
    /// A store created at schema <paramref name="version"/>, with rows written by <paramref name="seedSql"/>
    /// (SQL both backends accept, <c>@name</c> parameters), then opened by the current code.
    /// </summary>
    public static Task<StoreEnvironment?> CreateAtVersionAsync(
        string backend,
        ITestOutputHelper output,
        int version,
        string seedSql,
        params (string Name, object Value)[] parameters) =>
        CreateAsync(backend, output, null, version, (seedSql, parameters));

    /// <summary>Rows as Plumbline's schema version 1 held them: one document with one revision and a comment (event 2).</summary>
    private const string VersionOneRows = """
        INSERT INTO contributors (name, created_at) VALUES ('alice', 5);
        INSERT INTO consent_records (contributor_id, version, sources, uses, embargo, statement, statement_sha256, recorded_by, recorded_at)
            VALUES (1, 1, 'documents', 'research', NULL, 'I agree.', 'sha', 'test', 5);
        INSERT INTO documents (name, source, created_at, start_content, revisions, length, patches, last_time)
            VALUES ('d', 'documents', 5, @start, 1, 2, 1, 7);
        INSERT INTO edit_chunks (document_id, first_rev, last_rev, contributor_id, consent_version, first_seq, patch_count, min_time, max_time, data)
            VALUES (1, 1, 1, 1, 1, 1, 1, 7, 7, @chunk);
        INSERT INTO events (seq, contributor_id, source, kind, document_id, revision, time, consent_version, payload)
            VALUES (2, 1, 'documents', 'comment', 1, 1, 8, 1, '{"start":0,"end":2,"text":"from version 1"}');
        UPDATE meta SET value = 3 WHERE key = 'next_seq';
        """;


    /// <summary>A store created at schema version 1 holding <see cref="VersionOneRows"/>, then opened (migrated) by the current code.</summary>
    public static Task<StoreEnvironment?> CreateAtVersionOneAsync(string backend, ITestOutputHelper output) =>
        CreateAtVersionAsync(
            backend,
            output,
            1,
            VersionOneRows,
            ("start", Compression.CompressText("", 9)),
            ("chunk", RevisionChunkCodec.Encode([new RevisionChunkCodec.Entry(7, RevisionKind.Edit, [new Patch(0, 0, "hi")])], 9)));

    private static async Task<StoreEnvironment?> CreateAsync(
        string backend,
        ITestOutputHelper output,
        StoreOptions? options,
        int? version,
        (string Sql, (string Name, object Value)[] Parameters)? seed)
    {
        ArgumentNullException.ThrowIfNull(output);
        var directory = new TempDirectory();
        TestDatabase? database = null;
        if (backend == Backends.Postgres)
        {
            database = await TestDatabase.CreateAsync(output.WriteLine);
            if (database is null)
            {
                directory.Dispose();
                return null;
            }
        }
        else if (backend != Backends.Sqlite)
        {
            throw new ArgumentOutOfRangeException(nameof(backend), backend, "sqlite or postgres");
        }

        if (version is { } v)
        {
            await PrepareAsync(database?.ConnectionString, directory.File("plumbline.db"), v, seed!.Value.Sql, seed.Value.Parameters);
        }

        return new StoreEnvironment(backend, directory, database, options);
    }

    private static async Task PrepareAsync(string? postgres, string sqlitePath, int version, string sql, (string Name, object Value)[] parameters)
    {
        if (postgres is not null)
        {
            await using var connection = new NpgsqlConnection(postgres);
            await connection.OpenAsync();
            await PostgresSchema.MigrateAsync(connection, default, version);
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddRange(parameters.Select(p => new NpgsqlParameter(p.Name, p.Value)).ToArray());
            await command.ExecuteNonQueryAsync();
            return;
        }

        await using (var connection = new SqliteConnection($"Data Source={sqlitePath};Pooling=False"))
        {
            await connection.OpenAsync();
            SqliteSchema.Migrate(connection, version);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue("@" + name, value);
            }

            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The schema version the store is at (SQLite <c>user_version</c>, PostgreSQL <c>plumbline_schema</c>).</summary>
    public Task<long> SchemaVersionAsync(string? sqlitePath = null) =>
        ScalarAsync(Backend == Backends.Postgres ? "SELECT max(version) FROM plumbline_schema" : "PRAGMA user_version", sqlitePath);

    public Task<long> IndexCountAsync(string name) =>
        ScalarAsync(
            Backend == Backends.Postgres
                ? $"SELECT count(*) FROM pg_indexes WHERE indexname = '{name}'"
                : $"SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '{name}'");

    /// <summary>Runs SQL outside the store (for checks the store contract does not expose).</summary>
    public async Task<long> ScalarAsync(string sql, string? sqlitePath = null)
    {
        if (_database is not null)
        {
            await using var connection = new NpgsqlConnection(_database.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        await using var sqlite = new SqliteConnection($"Data Source={sqlitePath ?? StoreName};Pooling=False");
        await sqlite.OpenAsync();
        await using var query = sqlite.CreateCommand();
        query.CommandText = sql;
        return Convert.ToInt64(await query.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<Contributor> AddConsentingAsync(string name, string uses = "research,training", string sources = "documents", DateOnly? embargo = null)
    {
        var contributor = await Contributors.AddAsync(name, default);
        await Contributors.SetConsentAsync(
            name,
            new ConsentTerms(ConsentTerms.ParseSources(sources, "sources"), ConsentTerms.ParseUses(uses, "uses"), embargo),
            null,
            "test",
            default);
        return contributor;
    }

    public static EditBatch Batch(string document, string actor, string? start, params EditTransaction[] transactions) => new()
    {
        Document = document,
        StartContent = start,
        Transactions = transactions,
        Actor = actor,
        BatchId = Guid.NewGuid().ToString("N"),
    };

    public static EditTransaction Txn(long time, params (int Position, int Delete, string Insert)[] patches) =>
        new(time, patches.Select(p => new Patch(p.Position, p.Delete, p.Insert)).ToArray());

    public async Task<string> ReplayAsync(string document, int? revision = null)
    {
        await using var session = await Store.OpenAsync(write: false, default);
        var info = await DocumentReader.RequireAsync(session, document, default);
        return (await DocumentReader.LoadAsync(session, info, revision ?? info.Revisions, default)).ToString();
    }

    public async Task<DocumentInfo?> DocumentAsync(string name)
    {
        await using var session = await Store.OpenAsync(write: false, default);
        return await session.FindDocumentAsync(name, default);
    }

    public async Task<T> ReadAsync<T>(Func<IStoreSession, Task<T>> read)
    {
        await using var session = await Store.OpenAsync(write: false, default);
        return await read(session);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _directory.Dispose();
    }
}
