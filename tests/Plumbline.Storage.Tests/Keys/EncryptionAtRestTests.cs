using Microsoft.Data.Sqlite;
using Plumbline.Core;
using Plumbline.Storage.Keys;
using static Plumbline.Storage.Tests.StoreEnvironment;

namespace Plumbline.Storage.Tests.Keys;

public class EncryptionAtRestTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Store_EveryPayloadColumn_IsSealedAndOpensOnlyInItsOwnRow(string backend)
    {
        await using var env = await CreateAsync(backend, output, new StoreOptions { SnapshotEveryPatches = 1 });
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        await env.Contributors.AddTermsAsync("alice", ["Fenwick"], default);
        await env.Edits.IngestAsync(Batch("d", "alice", "start", Txn(1000, (5, 0, " one"))), null, default);
        await env.Edits.IngestAsync(Batch("d", "alice", "start one", Txn(1100, (9, 0, " two"))), null, default);
        await env.Comments.AddAsync("d", 0, 5, "a comment", "alice", default);

        var refs = await env.ReadAsync(s => s.SealedRefsAsync(default));
        Assert.Equal(
            [("contributor_terms", 1), ("documents", 1), ("edit_chunks", 1), ("events", 1), ("snapshots", 2)],
            refs.GroupBy(r => r.Table).Select(g => (g.Key, g.Count())).OrderBy(g => g.Key, StringComparer.Ordinal));
        Assert.All(refs, r => Assert.NotNull(r.KeyId));
        Assert.Equal("start one two", await env.ReplayAsync("d"));
        Assert.Equal(["Fenwick"], await env.Contributors.TermsAsync("alice", default));

        // A sealed value copied into another row does not open there (its context is bound into the tag).
        await env.ScalarAsync("UPDATE snapshots SET data = (SELECT data FROM snapshots WHERE revision = 1) WHERE revision = 2 RETURNING 0");
        var moved = await Assert.ThrowsAsync<PlumblineException>(() => env.ReplayAsync("d", 2));
        Assert.Equal($"snapshots/1/2: does not decrypt under data key {refs.Single(r => r.Table == "snapshots" && r.Part == 2).KeyId} (altered, or moved from another row)", moved.Message);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Open_WithoutItsKeyFolder_RefusesNamingTheFolder(string backend)
    {
        await using var env = await CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        var elsewhere = new KeyLocation(Path.Combine(env.Folder, "elsewhere"));

        var missing = await Assert.ThrowsAsync<PlumblineException>(async () =>
        {
            await using var store = TraceStores.Open(env.StoreName, elsewhere);
            await using var session = await store.OpenAsync(write: false, default);
        });
        Assert.Equal(FailureKind.BadInput, missing.Kind);
        Assert.Equal(
            $"{env.Store.Description}: its data is encrypted and its keys are not in {elsewhere.Directory} (no keys.db); pass --keys DIR or set PLUMBLINE_KEYS to its key folder, or restore its key store (plumb restore --key-store BACKUP)",
            missing.Message);

        // Another store's key folder is refused too, and the other store's keys are not touched.
        var otherPath = Path.Combine(env.Folder, "other.db");
        await using (var other = TraceStores.Open(otherPath, elsewhere))
        {
            await using var session = await other.OpenAsync(write: false, default);
        }

        var wrong = await Assert.ThrowsAsync<PlumblineException>(async () =>
        {
            await using var store = TraceStores.Open(env.StoreName, elsewhere);
            await using var session = await store.OpenAsync(write: false, default);
        });
        Assert.StartsWith($"{env.Store.Description}: the key folder {elsewhere.Directory} holds the keys of another store", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_WithTheWrongMasterKey_RefusesNamingTheKeyStore()
    {
        await using var env = (await CreateAsync(Backends.Sqlite, output))!;
        await env.AddConsentingAsync("alice");
        await File.WriteAllTextAsync(env.Keys.MasterKeyFile, Convert.ToBase64String(new byte[32]));

        var error = await Assert.ThrowsAsync<PlumblineException>(async () =>
        {
            await using var store = env.OpenStore();
            await using var session = await store.OpenAsync(write: false, default);
        });

        Assert.Equal(
            $"{env.Keys.KeyStoreFile}: the master key from {env.Keys.MasterKeyFile} is not the one this key store was wrapped with (wrong PLUMBLINE_MASTER_KEY or master.key?)",
            error.Message);
    }

    [Fact]
    public async Task Rotate_RewrapsEveryKey_TheOldMasterKeyNoLongerOpensTheKeyStore()
    {
        await using var env = (await CreateAsync(Backends.Sqlite, output))!;
        await env.AddConsentingAsync("alice");
        await env.Edits.IngestAsync(Batch("d", "alice", "", Txn(1000, (0, 0, "kept"))), null, default);
        await env.Comments.AddAsync("d", 0, 4, "noted", "alice", default);
        var oldKey = await File.ReadAllTextAsync(env.Keys.MasterKeyFile);
        var admin = new KeyAdmin(env.Clock);
        var before = admin.Status(env.Keys);

        var result = admin.Rotate(env.Keys);

        Assert.Equal(before.ActiveKeys, result.KeysRewrapped);
        Assert.Equal(2, result.KeysRewrapped); // alice's documents key (edits, comment) and the document's start-content key
        Assert.NotEqual(oldKey, await File.ReadAllTextAsync(env.Keys.MasterKeyFile));
        Assert.False(File.Exists(env.Keys.MasterKeyFile + ".new"));
        await using (var reopened = env.OpenStore())
        {
            await using var session = await reopened.OpenAsync(write: false, default);
            Assert.Equal("noted", Assert.Single(await Storage.Documents.CommentReader.AtRevisionAsync(session, (await session.FindDocumentAsync("d", default))!, 1, default)).Text);
        }

        Assert.Equal("kept", await env.ReplayAsync("d"));
        var copy = new KeyLocation(Path.Combine(env.Folder, "old-master"));
        Directory.CreateDirectory(copy.Directory);
        File.Copy(env.Keys.KeyStoreFile, copy.KeyStoreFile);
        await File.WriteAllTextAsync(copy.MasterKeyFile, oldKey);
        SqliteConnection.ClearAllPools();
        var refused = Assert.Throws<PlumblineException>(() => admin.Status(copy));
        Assert.Contains("is not the one this key store was wrapped with", refused.Message, StringComparison.Ordinal);
    }
}
