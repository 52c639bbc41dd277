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

    public static ITraceStore Open(string store)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(store);
        return IsPostgres(store) ? PostgresTraceStore.Open(store) : SqliteTraceStore.Open(store);
    }
}
