using Npgsql;

namespace Plumbline.Testing;

/// <summary>
/// A fresh database on the test cluster named by <c>PLUMBLINE_TEST_POSTGRES</c> (an admin connection
/// string; scripts/test.sh starts a throwaway cluster and sets it), dropped when the test ends.
/// Without the variable the PostgreSQL cases fail under CI (<c>CI=true</c> or
/// <c>PLUMBLINE_REQUIRE_POSTGRES=1</c>) and otherwise report themselves skipped in the test output.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    public const string Variable = "PLUMBLINE_TEST_POSTGRES";

    private readonly string _admin;

    private TestDatabase(string admin, string name, string connectionString)
    {
        _admin = admin;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>The connection string of the new database (what <c>--store</c> takes).</summary>
    public string ConnectionString { get; }

    public static bool Required =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase) ||
        Environment.GetEnvironmentVariable("PLUMBLINE_REQUIRE_POSTGRES") == "1";

    /// <summary>A new empty database, or null (after telling <paramref name="log"/>) when no test cluster is configured.</summary>
    public static async Task<TestDatabase?> CreateAsync(Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var admin = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            const string message = $"{Variable} is not set, so the PostgreSQL case cannot run: run ./scripts/test.sh (it starts a throwaway PostgreSQL cluster) or set {Variable} to an admin connection string such as Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres";
            if (Required)
            {
                Assert.Fail($"{message} (PostgreSQL is required here: CI=true or PLUMBLINE_REQUIRE_POSTGRES=1)");
            }

            log($"SKIPPED (postgres): {message}");
            return null;
        }

        var name = $"plumbline_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(admin, name, builder.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
