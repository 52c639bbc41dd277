using Plumbline.Core;
using Plumbline.Core.Text;
using Plumbline.Storage.Documents;
using static Plumbline.Storage.Tests.StoreEnvironment;

namespace Plumbline.Storage.Tests;

public class SchemaMigrationTests(ITestOutputHelper output)
{
    /// <summary>Both backends have the same number of migrations; tests never hard-code it (features append migrations).</summary>
    private static int Latest => Sqlite.SqliteSchema.LatestVersion;

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Open_EmptyStore_MigratesToTheLatestVersion(string backend)
    {
        await using var env = await CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.ReadAsync(s => s.ListDocumentsAsync(default));

        Assert.Equal(Latest, await env.SchemaVersionAsync());
        Assert.Equal(1, await env.IndexCountAsync("edit_chunks_by_time"));
        Assert.Equal(1, await env.IndexCountAsync("pauses_one_open"));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Open_VersionOneStore_MigratesKeepingRowsAndTheEventCounter(string backend)
    {
        await using var env = await CreateAtVersionOneAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.Edits.IngestAsync(Batch("d", "alice", "hi", Txn(9, (2, 0, "!"))), null, default);
        var comment = await env.Comments.AddAsync("d", 0, 3, "from version 2", "alice", default);

        Assert.Equal(Latest, await env.SchemaVersionAsync());
        Assert.Equal("hi", await env.ReplayAsync("d", 1));
        Assert.Equal("hi!", await env.ReplayAsync("d"));
        var chunks = await env.ReadAsync(s => s.ChunksAsync(1, 1, 2, default));
        Assert.Equal([(1, 1L), (2, 3L)], chunks.Select(c => (c.FirstRevision, c.FirstSeq)));
        Assert.Equal(4, comment.Id);
        var comments = await env.ReadAsync(async s => await CommentReader.AtRevisionAsync(s, (await s.FindDocumentAsync("d", default))!, 2, default));
        Assert.Equal(["from version 1", "from version 2"], comments.Select(c => c.Text));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Open_StoreOfANewerVersion_IsRefused(string backend)
    {
        await using var env = await CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.ReadAsync(s => s.ListDocumentsAsync(default));
        var newer = Latest + 1;
        await env.ScalarAsync(backend == Backends.Postgres ? $"UPDATE plumbline_schema SET version = {newer}" : $"PRAGMA user_version = {newer}");

        var error = await Assert.ThrowsAsync<PlumblineException>(async () =>
        {
            await using var store = env.OpenStore();
            await using var session = await store.OpenAsync(write: false, default);
        });

        Assert.Equal($"the store was written by a newer Plumbline (schema version {newer}; this one knows up to {Latest})", error.Message);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Open_ByManyAtOnceOnAnEmptyStore_MigratesOnce(string backend)
    {
        await using var env = await CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        // The environment's own store has not migrated a PostgreSQL database yet (that happens on first use);
        // for SQLite, a second file starts empty.
        var name = backend == Backends.Postgres ? env.StoreName : Path.Combine(env.Folder, "fresh.db");
        var opened = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            await using var store = (backend == Backends.Postgres ? env.OpenStore(name) : TraceStores.Open(name));
            await using var session = await store.OpenAsync(write: false, default);
            return (await session.ListDocumentsAsync(default)).Count;
        })));

        Assert.Equal([0, 0, 0, 0, 0, 0], opened);
        Assert.Equal(Latest, await env.SchemaVersionAsync(name));
    }
}
