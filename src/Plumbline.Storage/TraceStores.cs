using Plumbline.Core;
using Plumbline.Storage.Sqlite;

namespace Plumbline.Storage;

/// <summary>Opens the store named by <c>--store</c>: a SQLite file path, or (later) a PostgreSQL connection string.</summary>
public static class TraceStores
{
    public const string EnvironmentVariable = "PLUMBLINE_STORE";

    public static string DefaultPath => Path.Combine(".plumbline", "plumbline.db");

    public static bool IsPostgres(string store) =>
        store.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
        store.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) ||
        store.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    public static ITraceStore Open(string store)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(store);
        if (IsPostgres(store))
        {
            throw PlumblineException.BadInput(
                "--store: PostgreSQL stores are not supported by this build yet; give a SQLite file path");
        }

        return SqliteTraceStore.Open(store);
    }
}
