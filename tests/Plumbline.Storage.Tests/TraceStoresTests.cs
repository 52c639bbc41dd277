using Npgsql;
using Plumbline.Core;
using Plumbline.Storage.Postgres;

namespace Plumbline.Storage.Tests;

public class TraceStoresTests
{
    [Theory]
    [InlineData("Host=db;Database=plumbline;Username=plumbline;Password=hunter2", true)]
    [InlineData("postgres://plumbline@db/plumbline", true)]
    [InlineData("postgresql://db/plumbline", true)]
    [InlineData(".plumbline/plumbline.db", false)]
    [InlineData("/data/postgres-notes.db", false)]
    public void IsPostgres_TellsConnectionStringsFromPaths(string store, bool expected) =>
        Assert.Equal(expected, TraceStores.IsPostgres(store));

    [Fact]
    public async Task Open_PostgresUrl_ConvertsEveryPartAndNeverShowsThePassword()
    {
        var builder = PostgresConnectionString.Parse("postgres://bob:s%40cret@db.example:6543/plumb%20line?sslmode=verify-full&application_name=lab");
        await using var store = TraceStores.Open("postgres://bob:s%40cret@db.example:6543/plumb%20line?sslmode=verify-full");

        Assert.Equal("db.example", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("bob", builder.Username);
        Assert.Equal("s@cret", builder.Password);
        Assert.Equal("plumb line", builder.Database);
        Assert.Equal(SslMode.VerifyFull, builder.SslMode);
        Assert.Equal("lab", builder.ApplicationName);
        Assert.Equal(600, builder.CommandTimeout);
        Assert.Equal("PostgreSQL database plumb line on db.example:6543 as bob", store.Description);
    }

    [Fact]
    public void Parse_UrlWithIpv6HostAndNoUser_KeepsTheDefaults()
    {
        var builder = PostgresConnectionString.Parse("postgresql://[::1]:5433/x");

        Assert.Equal("::1", builder.Host);
        Assert.Equal(5433, builder.Port);
        Assert.Null(builder.Username);
        Assert.Equal("x", builder.Database);
        Assert.Equal("plumb", builder.ApplicationName);
    }

    [Fact]
    public async Task Open_KeyValueString_KeepsItsOwnTimeoutAndHidesThePassword()
    {
        var builder = PostgresConnectionString.Parse("Host=db;Database=plumbline;Username=plumbline;Password=hunter2;Command Timeout=5");
        await using var store = TraceStores.Open("Host=db;Database=plumbline;Username=plumbline;Password=hunter2");

        Assert.Equal(5, builder.CommandTimeout);
        Assert.Equal("PostgreSQL database plumbline on db:5432 as plumbline", store.Description);
    }

    [Fact]
    public void Open_UnknownKeyword_IsBadInputNamingStore()
    {
        var error = Assert.Throws<PlumblineException>(() => TraceStores.Open("Host=db;Database=x;Colour=blue"));

        Assert.Equal(FailureKind.BadInput, error.Kind);
        Assert.Equal("--store: not a PostgreSQL connection string (Couldn't set colour (Parameter 'colour'))", error.Message);
    }
}
