using System.Data.Common;
using Npgsql;
using Plumbline.Core;

namespace Plumbline.Storage.Postgres;

/// <summary>
/// Turns what <c>--store</c> says into an Npgsql connection string: either Npgsql's own
/// <c>Host=…;Database=…</c> form or a libpq URL <c>postgres://user:password@host:port/database?sslmode=…</c>.
/// </summary>
internal static class PostgresConnectionString
{
    /// <summary>Lock waits behind a long import can outlast Npgsql's default of 30 s; used unless the string sets its own.</summary>
    public const int DefaultCommandTimeoutSeconds = 600;

    private static readonly Dictionary<string, string> UrlParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["host"] = "Host",
        ["port"] = "Port",
        ["user"] = "Username",
        ["password"] = "Password",
        ["dbname"] = "Database",
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["options"] = "Options",
        ["target_session_attrs"] = "Target Session Attributes",
    };

    public static bool IsUrl(string store) =>
        store.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
        store.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The Npgsql connection string for <paramref name="store"/>, with Plumbline's defaults filled in.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string store)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(store);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = IsUrl(store) ? FromUrl(store) : new NpgsqlConnectionStringBuilder(store);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            throw PlumblineException.BadInput($"--store: not a PostgreSQL connection string ({e.Message})");
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            throw PlumblineException.BadInput("--store: the PostgreSQL connection string names no host (Host=… or postgres://HOST/…)");
        }

        if (!SetsKey(store, "command timeout", "commandtimeout"))
        {
            builder.CommandTimeout = DefaultCommandTimeoutSeconds;
        }

        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "plumb";
        }

        return builder;
    }

    /// <summary>Names the server and database for messages; never the password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var database = string.IsNullOrEmpty(builder.Database) ? builder.Username ?? "(default)" : builder.Database;
        var user = string.IsNullOrEmpty(builder.Username) ? "" : $" as {builder.Username}";
        return $"PostgreSQL database {database} on {builder.Host}:{builder.Port}{user}";
    }

    /// <summary>Converts a libpq URL (RFC 3986 percent-encoding in every part).</summary>
    public static NpgsqlConnectionStringBuilder FromUrl(string url)
    {
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var query = "";
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        var database = slash < 0 ? "" : Uri.UnescapeDataString(rest[(slash + 1)..]);
        var builder = new NpgsqlConnectionStringBuilder();
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
            }
        }

        SetHost(builder, Uri.UnescapeDataString(authority));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            if (key.Equals("sslmode", StringComparison.OrdinalIgnoreCase))
            {
                value = value.Replace("-", "", StringComparison.Ordinal);
            }

            builder[UrlParameters.GetValueOrDefault(key, key)] = value;
        }

        return builder;
    }

    private static void SetHost(NpgsqlConnectionStringBuilder builder, string authority)
    {
        if (authority.Length == 0)
        {
            return;
        }

        if (authority.Contains(',', StringComparison.Ordinal))
        {
            builder.Host = authority; // Npgsql reads "host1:port1,host2:port2" itself
            return;
        }

        var portAt = authority.StartsWith('[') ? authority.IndexOf("]:", StringComparison.Ordinal) + 1 : authority.LastIndexOf(':');
        var host = portAt > 0 ? authority[..portAt] : authority;
        builder.Host = host.Trim('[', ']');
        if (portAt > 0)
        {
            builder.Port = int.Parse(authority[(portAt + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static bool SetsKey(string store, params string[] keys)
    {
        if (IsUrl(store))
        {
            return false;
        }

        var raw = new DbConnectionStringBuilder { ConnectionString = store };
        return keys.Any(raw.ContainsKey);
    }
}
