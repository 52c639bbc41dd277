using Plumbline.Storage.Keys;
using Plumbline.Storage.Postgres;
using Plumbline.Storage.Sqlite;

namespace Plumbline.Storage;

/// <summary>
/// Opens the store named by <c>--store</c>: a SQLite file path, or a PostgreSQL connection string
/// (<c>Host=…;Database=…</c>, or a <c>postgres://</c> URL).
/// </summary>
public static class TraceStores
{
    public const string EnvironmentVariable = "PLUMBLINE_STORE";

    public static string DefaultPath => Path.Combine(".plumbline", "plumbline.db");

    public static bool IsPostgres(string store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return PostgresConnectionString.IsUrl(store) || store.Contains("Host=", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Opens a store with its keys: <paramref name="keys"/>, else <see cref="KeyLocation.For"/> the store
    /// (<c>PLUMBLINE_KEYS</c>, or beside a SQLite file). The key folder is first read when a session opens.
    /// </summary>
    public static ITraceStore Open(string store, KeyLocation? keys = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(store);
        var location = keys ?? KeyLocation.For(store);
        return IsPostgres(store) ? PostgresTraceStore.Open(store, location) : SqliteTraceStore.Open(store, location);
    }

    /// <summary>The encryption-cost benchmark's baseline: a SQLite store whose payloads are not sealed (never for data).</summary>
    internal static ITraceStore OpenUnsealedForBenchmark(string path, KeyLocation keys) => SqliteTraceStore.Open(path, keys, sealing: false);
}
