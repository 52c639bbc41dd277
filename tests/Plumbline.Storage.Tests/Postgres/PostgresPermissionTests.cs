using Npgsql;
using Plumbline.Core;
using Plumbline.Storage.Consent;
using Plumbline.Storage.Ingest;
using static Plumbline.Storage.Tests.StoreEnvironment;

namespace Plumbline.Storage.Tests.Postgres;

/// <summary>The grants the README lists are enough for everyday work on a migrated store, and too few to migrate.</summary>
public class PostgresPermissionTests(ITestOutputHelper output)
{
    private static readonly string[] ReadmeGrants =
    [
        "GRANT CONNECT ON DATABASE \"{0}\" TO {1}",
        "GRANT USAGE ON SCHEMA public TO {1}",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {1}",
        "GRANT USAGE, SELECT, UPDATE ON SEQUENCE event_seq TO {1}",
        "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {1}",
    ];

    [Fact]
    public async Task Store_RoleWithTheReadmeGrants_WorksOnAMigratedStore()
    {
        await using var env = await CreateAsync(Backends.Postgres, output);
        if (env is null)
        {
            return;
        }

        await env.ReadAsync(s => s.ListDocumentsAsync(default)); // migrates as the owner
        var database = new NpgsqlConnectionStringBuilder(env.StoreName).Database!;
        await using var role = await Role.CreateAsync(env.StoreName, ReadmeGrants.Select(g => string.Format(System.Globalization.CultureInfo.InvariantCulture, g, database, "{0}")));
        await using var store = env.OpenStore(role.ConnectionString(env.StoreName));
        var contributors = new ContributorService(store, env.Clock);

        await contributors.AddAsync("alice", default);
        await contributors.SetConsentAsync("alice", new Core.Consent.ConsentTerms(Core.Consent.ConsentTerms.ParseSources("documents", "s"), Core.Consent.ConsentTerms.ParseUses("research", "u"), null), null, "test", default);
        await contributors.PauseAsync("alice", default);
        await contributors.ResumeAsync("alice", default);
        await new EditIngest(store, env.Clock, new StoreOptions { SnapshotEveryPatches = 1 }).IngestAsync(Batch("d", "alice", "", Txn(1, (0, 0, "hi")), Txn(2, (2, 0, "!"))), null, default);
        var comment = await new CommentIngest(store, env.Clock).AddAsync("d", 0, 2, "ok", "alice", default);
        var footprint = await store.FootprintAsync(default);

        Assert.Equal("hi!", await env.ReplayAsync("d"));
        Assert.Equal(4, comment.Id); // the resume's gap is event 1, the edits 2 and 3
        Assert.True(footprint.Objects["edit_chunks"] > 0);
    }

    [Fact]
    public async Task Open_EmptyDatabaseAsRoleWithoutCreate_FailsNamingTheReadme()
    {
        await using var env = await CreateAsync(Backends.Postgres, output);
        if (env is null)
        {
            return;
        }

        var database = new NpgsqlConnectionStringBuilder(env.StoreName).Database!;
        await using var role = await Role.CreateAsync(env.StoreName, [$"GRANT CONNECT ON DATABASE \"{database}\" TO {{0}}"]);
        await using var store = env.OpenStore(role.ConnectionString(env.StoreName));

        var error = await Assert.ThrowsAsync<PlumblineException>(async () =>
        {
            await using var session = await store.OpenAsync(write: false, default);
        });

        Assert.Equal(
            $"PostgreSQL database {database} on {new NpgsqlConnectionStringBuilder(env.StoreName).Host}:{new NpgsqlConnectionStringBuilder(env.StoreName).Port} as {role.Name}: permission denied for schema public (see the README, 'PostgreSQL (team stores)', for the grants Plumbline needs)",
            error.Message);
        Assert.False(error.IsTransient);
    }

    /// <summary>A login role on the test cluster (trust authentication), dropped at the end.</summary>
    private sealed class Role : IAsyncDisposable
    {
        private readonly string _admin;

        private Role(string admin, string name)
        {
            _admin = admin;
            Name = name;
        }

        public string Name { get; }

        public static async Task<Role> CreateAsync(string admin, IEnumerable<string> grants)
        {
            var role = new Role(admin, $"plumb_writer_{Guid.NewGuid():N}");
            await role.ExecuteAsync([$"CREATE ROLE {role.Name} LOGIN", .. grants.Select(g => string.Format(System.Globalization.CultureInfo.InvariantCulture, g, role.Name))]);
            return role;
        }

        public string ConnectionString(string store) => new NpgsqlConnectionStringBuilder(store) { Username = Name, Pooling = false }.ConnectionString;

        public ValueTask DisposeAsync() => new(ExecuteAsync([$"DROP OWNED BY {Name}", $"DROP ROLE {Name}"]));

        private async Task ExecuteAsync(IEnumerable<string> statements)
        {
            await using var connection = new NpgsqlConnection(_admin);
            await connection.OpenAsync();
            foreach (var sql in statements)
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }
    }
}
