using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Plumbline.Core.Consent;
using Plumbline.Server.Client;
using Plumbline.Server.Hosting;
using Plumbline.Storage;
using Plumbline.Storage.Access;
using Plumbline.Storage.Consent;

namespace Plumbline.Server.Tests;

/// <summary>The backends every server test runs against.</summary>
public static class Backends
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static TheoryData<string> All => new(Sqlite, Postgres);
}

/// <summary>
/// A store of one backend (a SQLite file in a fresh folder, or a fresh PostgreSQL database) with alice and bob
/// consenting, and tokens: admin, curator, alice, bob, and a revoked one of alice's.
/// </summary>
internal sealed class TestStore : IAsyncDisposable
{
    private readonly TestDatabase? _database;

    private TestStore(string backend, TempDirectory directory, TestDatabase? database)
    {
        Backend = backend;
        Directory = directory;
        _database = database;
        Name = database?.ConnectionString ?? directory.File("plumbline.db");
        Keys = new Storage.Keys.KeyLocation(directory.File("keys"));
        Store = TraceStores.Open(Name, Keys);
    }

    /// <summary>The store's key folder (what <c>--keys</c> takes), inside the test's folder.</summary>
    public Storage.Keys.KeyLocation Keys { get; }

    public string Backend { get; }

    public TempDirectory Directory { get; }

    /// <summary>What <c>--store</c> takes.</summary>
    public string Name { get; }

    public ITraceStore Store { get; }

    public string Admin { get; private set; } = "";

    public string Curator { get; private set; } = "";

    public string Alice { get; private set; } = "";

    public string Bob { get; private set; } = "";

    public string Revoked { get; private set; } = "";

    public long RevokedId { get; private set; }

    /// <summary>A seeded store, or null when PostgreSQL is asked for and not configured (the test reports itself skipped).</summary>
    public static async Task<TestStore?> CreateAsync(string backend, ITestOutputHelper output)
    {
        var directory = new TempDirectory();
        TestDatabase? database = null;
        if (backend == Backends.Postgres && (database = await TestDatabase.CreateAsync(output.WriteLine)) is null)
        {
            directory.Dispose();
            return null;
        }

        var store = new TestStore(backend, directory, database);
        await store.SeedAsync();
        return store;
    }

    private async Task SeedAsync()
    {
        var contributors = new ContributorService(Store, TimeProvider.System);
        var all = new ConsentTerms(ConsentTerms.ParseSources("all", "sources"), ConsentTerms.ParseUses("all", "uses"), null);
        foreach (var name in new[] { "alice", "bob" })
        {
            await contributors.AddAsync(name, CancellationToken.None);
            await contributors.SetConsentAsync(name, all, null, "test", CancellationToken.None);
        }

        var tokens = new TokenService(Store, TimeProvider.System);
        Admin = (await tokens.CreateAsync(ApiRole.Admin, null, "test admin", "test", CancellationToken.None)).Secret;
        Curator = (await tokens.CreateAsync(ApiRole.Curator, null, "test curator", "test", CancellationToken.None)).Secret;
        Alice = (await tokens.CreateAsync(ApiRole.Contributor, "alice", "test alice", "test", CancellationToken.None)).Secret;
        Bob = (await tokens.CreateAsync(ApiRole.Contributor, "bob", "test bob", "test", CancellationToken.None)).Secret;
        var revoked = await tokens.CreateAsync(ApiRole.Contributor, "alice", "revoked", "test", CancellationToken.None);
        await tokens.RevokeAsync(revoked.Token.Id, CancellationToken.None);
        (Revoked, RevokedId) = (revoked.Secret, revoked.Token.Id);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        Directory.Dispose();
    }
}

/// <summary>The real server (Kestrel) on a free loopback port, over a test store; clients use the real HttpClient.</summary>
internal sealed class ServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _keys;

    private ServerHost(WebApplication app, Uri address, TempDirectory keys)
    {
        _app = app;
        Address = address;
        _keys = keys;
    }

    public Uri Address { get; }

    /// <summary>The server's key folder (audit.key, audit.head), fresh for each server.</summary>
    public Storage.Keys.KeyLocation Keys => new(_keys.Path);

    public static async Task<ServerHost> StartAsync(ITraceStore store, TimeProvider? time = null, long? maxRequestBytes = null)
    {
        var keys = new TempDirectory();
        var options = new ServerOptions { Store = "test", Keys = keys.Path, Urls = "http://127.0.0.1:0" };
        if (maxRequestBytes is { } max)
        {
            options = options with { MaxRequestBytes = max };
        }

        var app = PlumblineServer.Build(options, store, time ?? TimeProvider.System);
        await app.StartAsync();
        return new ServerHost(app, new Uri(PlumblineServer.Addresses(app)[0] + "/"), keys);
    }

    /// <summary>The typed client with <paramref name="token"/> (null: none).</summary>
    public PlumblineClient Client(string? token) => PlumblineClient.Create(Address, token, TimeSpan.FromMinutes(2));

    /// <summary>A plain HttpClient for requests the typed client would never send.</summary>
    public HttpClient Http(string? token)
    {
        var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(2) };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _keys.Dispose();
    }
}
