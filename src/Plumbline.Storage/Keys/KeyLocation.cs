using Plumbline.Storage.Postgres;

namespace Plumbline.Storage.Keys;

/// <summary>
/// The folder that holds a store's keys, kept apart from the data so that a data backup never carries
/// them: the master key file (unless <c>PLUMBLINE_MASTER_KEY</c> gives it), the key store with the wrapped
/// per-contributor data keys, and the audit log's HMAC key and last known head.
/// </summary>
/// <remarks>
/// <c>--keys DIR</c> or <c>PLUMBLINE_KEYS</c> names it. Otherwise: for a SQLite store at <c>P</c>, the folder
/// <c>P.keys</c> beside it (so <c>.plumbline/plumbline.db</c> has <c>.plumbline/plumbline.db.keys/</c>); for a
/// PostgreSQL store, <c>.plumbline/keys/HOST_PORT_DATABASE</c> under the current directory.
/// </remarks>
public sealed record KeyLocation(string Directory)
{
    public const string EnvironmentVariable = "PLUMBLINE_KEYS";

    /// <summary>The master key that wraps every data key (32 random bytes, base64), unless <c>PLUMBLINE_MASTER_KEY</c> is set.</summary>
    public string MasterKeyFile => Path.Combine(Directory, "master.key");

    /// <summary>The key store: the wrapped per-contributor data keys (a SQLite file of its own).</summary>
    public string KeyStoreFile => Path.Combine(Directory, "keys.db");

    /// <summary>The audit log's HMAC key (32 random bytes, base64), unless <c>PLUMBLINE_AUDIT_KEY</c> is set.</summary>
    public string AuditKeyFile => Path.Combine(Directory, "audit.key");

    /// <summary>The last audit head this key folder has seen (count and hash), to notice entries removed from the end.</summary>
    public string AuditHeadFile => Path.Combine(Directory, "audit.head");

    /// <summary>The key folder for <paramref name="store"/>: <paramref name="given"/>, else the environment, else the default.</summary>
    public static KeyLocation For(string store, string? given = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(store);
        if (!string.IsNullOrWhiteSpace(given))
        {
            return new KeyLocation(Path.GetFullPath(given));
        }

        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            return new KeyLocation(Path.GetFullPath(fromEnvironment));
        }

        if (!TraceStores.IsPostgres(store))
        {
            return new KeyLocation(Path.GetFullPath(store + ".keys"));
        }

        var parsed = PostgresConnectionString.Parse(store);
        var name = string.Join('_', parsed.Host ?? "localhost", parsed.Port, parsed.Database ?? "postgres");
        foreach (var invalid in Path.GetInvalidFileNameChars())
        {
            name = name.Replace(invalid, '-');
        }

        return new KeyLocation(Path.GetFullPath(Path.Combine(".plumbline", "keys", name)));
    }
}
