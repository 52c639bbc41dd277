using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using Plumbline.Core.Capture;
using Plumbline.Storage.Backup;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Ingest;
using Plumbline.Storage.Keys;
using Plumbline.Storage.Withdrawal;
using static Plumbline.Storage.Tests.StoreEnvironment;

namespace Plumbline.Storage.Tests.Keys;

/// <summary>
/// The test: a backup taken before a withdrawal, then the withdrawal; with everything the system
/// holds afterwards (key store, master key, backup files) none of the withdrawn payloads opens, the withdrawn
/// text is in no byte of the backup or the key store, and the other contributors' data restores and replays exactly.
/// </summary>
public class WithdrawalBackupTests(ITestOutputHelper output)
{
    private const string EditSecret = "QUOKKA-EDIT-7731";
    private const string SharedSecret = "WOMBAT-SHARED-5120";
    private const string CommentSecret = "NUMBAT-COMMENT-0042";
    private const string NoteSecret = "BILBY-NOTE-9918";
    private const string TermSecret = "Xanthorrhoea";

    private static readonly StoreOptions Snapshotting = new() { SnapshotEveryPatches = 1 };

    private static async Task SeedAsync(StoreEnvironment env)
    {
        await env.AddConsentingAsync("alice", "research", "documents,commentary");
        await env.AddConsentingAsync("rita", "research", "documents,commentary");
        await env.Contributors.AddTermsAsync("alice", [TermSecret], default);
        await env.Edits.IngestAsync(Batch("alice-only", "alice", "", Txn(1000, (0, 0, $"draft {EditSecret}\n"))), null, default);
        await env.Edits.IngestAsync(Batch("rita-only", "rita", "", Txn(1000, (0, 0, "hers\n")), Txn(1100, (5, 0, "more\n"))), null, default);
        await env.Edits.IngestAsync(Batch("shared", "rita", "", Txn(2000, (0, 0, "one\n")), Txn(2100, (4, 0, "two😀\n"))), null, default);
        await env.Edits.IngestAsync(Batch("shared", "alice", "one\ntwo😀\n", Txn(3000, (9, 0, $"{SharedSecret}\n"))), null, default);
        await env.Edits.IngestAsync(Batch("shared", "rita", $"one\ntwo😀\n{SharedSecret}\n", Txn(4000, (0, 1, "O"))), null, default);
        await env.Comments.AddAsync("rita-only", 0, 4, $"Nice. {CommentSecret}", "alice", default);
        await env.Comments.AddAsync("rita-only", 0, 4, "Thanks.", "rita", default);
        await new NoteIngest(env.Store, env.Clock).AddAsync($"aloud {NoteSecret}", "alice", null, null, null, default);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Withdraw_AfterBackup_NothingTheSystemHoldsOpensTheWithdrawnPayloads_OthersRestoreExactly(string backend)
    {
        await using var env = await CreateAsync(backend, output, Snapshotting);
        if (env is null)
        {
            return;
        }

        await SeedAsync(env);
        var ritaOnly = await env.ReplayAsync("rita-only");
        var ritaOnlyInfo = (await env.DocumentAsync("rita-only"))!;
        var sharedBeforeAlice = await env.ReplayAsync("shared", 2);
        var ritaComment = (await env.ReadAsync(s => s.EventsAsync(ritaOnlyInfo.Id, default))).Single(e => e.Payload.Contains("Thanks.", StringComparison.Ordinal));
        // The store opens to the secrets (so the byte checks below are not vacuous): here in clear, on disk sealed.
        Assert.Contains(EditSecret, await env.ReplayAsync("alice-only"), StringComparison.Ordinal);
        var alice = (await env.ReadAsync(s => s.FindContributorAsync("alice", default)))!;

        var backupDir = Path.Combine(env.Folder, "backup");
        var backup = new StoreBackup(env.Clock);
        await backup.BackupDataAsync(env.Store, env.StoreName, backupDir, default);
        var aliceSealed = await SealedOfAsync(env, alice.Id);
        Assert.True(aliceSealed.Count >= 5, $"alice has {aliceSealed.Count} sealed values"); // 2 chunks, comment, note, term

        var result = await new ContributorWithdrawal(env.Store, env.Clock, env.Options).WithdrawAsync("alice", null, "steward", default);
        Assert.Equal(["alice-only"], result.DocumentsDeleted);
        Assert.Equal(["shared"], result.DocumentsMasked);

        // 1. With the current key store and master key, none of alice's sealed values from the backup opens.
        var keys = new StoreKeys(env.Keys);
        foreach (var (context, bytes) in aliceSealed)
        {
            Assert.False(keys.TryOpen(bytes, context, out _, out var problem), context);
            Assert.Contains("was destroyed", problem, StringComparison.Ordinal);
        }

        // ...nor do the snapshots of the documents she edited (they mix her text in; their keys went too), nor the
        // start content of the document removed. A shared document's start content is nobody's edit: withdrawal keeps it.
        var documentValues = await DocumentSealedAsync(env, backupDir, ["alice-only", "shared"]);
        Assert.Contains(documentValues, v => v.Context.StartsWith("snapshots/", StringComparison.Ordinal));
        foreach (var (context, bytes, _) in documentValues.Where(v => v.Context.StartsWith("snapshots/", StringComparison.Ordinal) || v.Document == "alice-only"))
        {
            Assert.False(keys.TryOpen(bytes, context, out _, out _), context);
        }

        keys.Dispose();

        // 2. The withdrawn text is in no byte of the backup's files, nor of the key store.
        var files = Directory.GetFiles(backupDir).Append(env.Keys.KeyStoreFile).ToList();
        foreach (var secret in new[] { EditSecret, SharedSecret, CommentSecret, NoteSecret, TermSecret })
        {
            foreach (var file in files)
            {
                Assert.Equal(-1, IndexOf(await File.ReadAllBytesAsync(file), Encoding.UTF8.GetBytes(secret)));
            }
        }

        Assert.Equal(1, Assert.Single(new KeyAdmin(env.Clock).Status(env.Keys).Tombstones).ContributorId);

        // 3. Restoring the backup brings back everyone else's data exactly, and none of alice's.
        await using var target = await RestoreTargetAsync(env, backend);
        var restored = await backup.RestoreDataAsync(target.Name, env.Keys, backupDir, force: false, default);
        var dropped = restored.Dropped!;
        Assert.Equal(["alice-only"], dropped.DocumentsDropped);
        Assert.Equal(["shared"], dropped.DocumentsTruncated);
        Assert.Equal(2, dropped.ChunksDropped); // alice's revision of shared and rita's later one
        Assert.Equal(1, dropped.TermsDropped);
        Assert.Single(dropped.Tombstones);
        await using (var store = TraceStores.Open(target.Name, env.Keys))
        {
            await using var session = await store.OpenAsync(write: false, default);
            Assert.Equal(["rita-only", "shared"], (await session.ListDocumentsAsync(default)).Select(d => d.Name));
            var info = (await session.FindDocumentAsync("rita-only", default))!;
            Assert.Equal(ritaOnlyInfo, info);
            Assert.Equal(ritaOnly, (await DocumentReader.LoadAsync(session, info, info.Revisions, default)).ToString());
            var shared = (await session.FindDocumentAsync("shared", default))!;
            Assert.Equal(2, shared.Revisions);
            Assert.Equal(sharedBeforeAlice, (await DocumentReader.LoadAsync(session, shared, 2, default)).ToString());
            Assert.Equal([ritaComment], await session.EventsAsync(null, default));
            Assert.Empty(await session.TermsAsync(alice.Id, default));
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Withdraw_OneSource_ShredsThatSourceOnly(string backend)
    {
        await using var env = await CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await SeedAsync(env);
        var alice = (await env.ReadAsync(s => s.FindContributorAsync("alice", default)))!;
        var before = await SealedOfAsync(env, alice.Id);

        await new ContributorWithdrawal(env.Store, env.Clock, env.Options).WithdrawAsync("alice", SourceKind.Documents, "steward", default);

        using var keys = new StoreKeys(env.Keys);
        var opens = before.Where(s => keys.TryOpen(s.Bytes, s.Context, out _, out _)).Select(s => Encoding.UTF8.GetString(keys.Open(s.Bytes, s.Context))).ToList();
        Assert.Equal(2, opens.Count); // her term and her note (commentary); her edits and comment (documents) are gone
        Assert.Contains(TermSecret, opens);
        Assert.Contains(opens, o => o.Contains(NoteSecret, StringComparison.Ordinal));
        var note = Assert.Single(await env.ReadAsync(s => s.EventsOfContributorAsync(alice.Id, default)));
        Assert.Contains(NoteSecret, note.Payload, StringComparison.Ordinal);
        Assert.Equal([TermSecret], await env.Contributors.TermsAsync("alice", default));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Restore_CorruptOrNonEmptyTarget_RefusesNamingTheFileAndWritesNothing(string backend)
    {
        await using var env = await CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await SeedAsync(env);
        var backupDir = Path.Combine(env.Folder, "backup");
        var backup = new StoreBackup(env.Clock);
        var manifest = await backup.BackupDataAsync(env.Store, env.StoreName, backupDir, default);

        var refused = await Assert.ThrowsAsync<Core.PlumblineException>(() => backup.RestoreDataAsync(env.StoreName, env.Keys, backupDir, force: false, default));
        Assert.Equal(Core.FailureKind.BadInput, refused.Kind);
        Assert.Contains("restoring would replace it (use --force to replace it)", refused.Message, StringComparison.Ordinal);

        var victim = Path.Combine(backupDir, manifest.Files.OrderByDescending(f => f.Bytes).First().Name);
        var bytes = await File.ReadAllBytesAsync(victim);
        bytes[bytes.Length / 2] ^= 0x5A;
        await File.WriteAllBytesAsync(victim, bytes);
        await using var target = await RestoreTargetAsync(env, backend);
        var corrupt = await Assert.ThrowsAsync<Core.PlumblineException>(() => backup.RestoreDataAsync(target.Name, env.Keys, backupDir, force: false, default));
        Assert.Equal($"{victim}: corrupt (its size or SHA-256 does not match backup.json)", corrupt.Message);
        Assert.False(backend == Backends.Sqlite && File.Exists(target.Name));

        var occupied = await Assert.ThrowsAsync<Core.PlumblineException>(() => backup.BackupDataAsync(env.Store, env.StoreName, backupDir, default));
        Assert.Equal($"--out: {backupDir} is not empty; give a new folder for the backup", occupied.Message);
    }

    [Fact]
    public async Task RestoreKeys_WithForce_KeepsKeysDestroyedSinceTheBackup()
    {
        await using var env = (await CreateAsync(Backends.Sqlite, output))!;
        await SeedAsync(env);
        var alice = (await env.ReadAsync(s => s.FindContributorAsync("alice", default)))!;
        var aliceSealed = await SealedOfAsync(env, alice.Id);
        var keyBackup = Path.Combine(env.Folder, "keys-backup");
        var backup = new StoreBackup(env.Clock);
        backup.BackupKeys(env.Keys, keyBackup);
        Assert.Equal(["backup.json", "keys.db"], Directory.GetFiles(keyBackup).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        await new ContributorWithdrawal(env.Store, env.Clock, env.Options).WithdrawAsync("alice", null, "steward", default);
        var refused = Assert.Throws<Core.PlumblineException>(() => backup.RestoreKeys(env.Keys, keyBackup, force: false));
        Assert.Contains("a key store is there", refused.Message, StringComparison.Ordinal);
        backup.RestoreKeys(env.Keys, keyBackup, force: true);

        using var keys = new StoreKeys(env.Keys);
        Assert.All(aliceSealed, s => Assert.False(keys.TryOpen(s.Bytes, s.Context, out _, out _)));
        Assert.Equal("hers\nmore\n", await env.ReplayAsync("rita-only"));
    }

    /// <summary>Alice's sealed values as the store holds them (chunks, row events, terms), with their contexts.</summary>
    private static Task<List<(string Context, byte[] Bytes)>> SealedOfAsync(StoreEnvironment env, long contributor) =>
        RawAsync(
            env,
            env.StoreName,
            $"""
            SELECT 'edit_chunks/' || document_id || '/' || first_rev, data FROM edit_chunks WHERE contributor_id = {contributor}
            UNION ALL SELECT 'events/' || seq, payload FROM events WHERE contributor_id = {contributor}
            UNION ALL SELECT 'contributor_terms/' || contributor_id, term FROM contributor_terms WHERE contributor_id = {contributor}
            """);

    /// <summary>Snapshots and start content of the named documents as the backup holds them (PostgreSQL: its dump loaded into a scratch database, not reconciled).</summary>
    private static async Task<List<(string Context, byte[] Bytes, string Document)>> DocumentSealedAsync(StoreEnvironment env, string backupDir, string[] names)
    {
        var list = names.Select(n => $"'{n}'");
        var sql = $"""
            SELECT 'snapshots/' || s.document_id || '/' || s.revision || '|' || d.name, s.data FROM snapshots s JOIN documents d ON d.id = s.document_id WHERE d.name IN ({string.Join(", ", list)})
            UNION ALL SELECT 'documents/' || id || '/start_content|' || name, start_content FROM documents WHERE name IN ({string.Join(", ", list)})
            """;
        if (env.Backend == Backends.Sqlite)
        {
            return Split(await RawAsync(env, Path.Combine(backupDir, "plumbline.db"), sql));
        }

        // PostgreSQL: load the dump into a scratch database without reconciling, to read the sealed bytes as backed up.
        await using var scratch = (await TestDatabase.CreateAsync(_ => { }))!;
        var manifest = BackupManifest.Read(backupDir, BackupManifest.DataKind);
        await PostgresDump.RestoreAsync(scratch.ConnectionString, backupDir, manifest, force: false, default);
        return Split(await RawAsync(env, scratch.ConnectionString, sql));
    }

    private static List<(string Context, byte[] Bytes, string Document)> Split(List<(string Context, byte[] Bytes)> rows) =>
        rows.Select(r => (r.Context.Split('|')[0], r.Bytes, r.Context.Split('|')[1])).ToList();

    private static async Task<List<(string Context, byte[] Bytes)>> RawAsync(StoreEnvironment env, string store, string sql)
    {
        var rows = new List<(string, byte[])>();
        if (env.Backend == Backends.Postgres)
        {
            await using var connection = new NpgsqlConnection(store);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), (byte[])reader.GetValue(1)));
            }

            return rows;
        }

        await using var sqlite = new SqliteConnection($"Data Source={store};Pooling=False;Mode=ReadOnly");
        await sqlite.OpenAsync();
        await using var query = sqlite.CreateCommand();
        query.CommandText = sql;
        await using var r = await query.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            rows.Add((r.GetString(0), (byte[])r.GetValue(1)));
        }

        return rows;
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    /// <summary>An empty place to restore into: a new SQLite path, or a fresh PostgreSQL database.</summary>
    private static async Task<RestoreTarget> RestoreTargetAsync(StoreEnvironment env, string backend) =>
        backend == Backends.Postgres
            ? new RestoreTarget((await TestDatabase.CreateAsync(_ => { }))!)
            : new RestoreTarget(Path.Combine(env.Folder, "restored.db"));

    private sealed class RestoreTarget : IAsyncDisposable
    {
        private readonly TestDatabase? _database;

        public RestoreTarget(TestDatabase database)
        {
            _database = database;
            Name = database.ConnectionString;
        }

        public RestoreTarget(string path) => Name = path;

        public string Name { get; }

        public async ValueTask DisposeAsync()
        {
            if (_database is not null)
            {
                await _database.DisposeAsync();
            }
        }
    }
}
