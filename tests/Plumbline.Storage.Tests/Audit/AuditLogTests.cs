using System.Security.Cryptography;
using Plumbline.Storage.Audit;
using Plumbline.Storage.Keys;

namespace Plumbline.Storage.Tests.Audit;

public class AuditLogTests(ITestOutputHelper output)
{
    private static AuditLog Log(StoreEnvironment env) => new(env.Store, Keys(env), env.Clock);

    private static KeyLocation Keys(StoreEnvironment env) => new(Path.Combine(env.Folder, "keys"));

    /// <summary>Four entries: reads of rita's and alice's data, an export, a consent change.</summary>
    private static async Task<AuditHead> SeedAsync(AuditLog log)
    {
        await log.RecordAsync(new AuditEvent("local:ann", AuditActions.Read, "rita", "notes.md", new { what = "replay" }), default);
        await log.RecordAsync(new AuditEvent("curator (api token 2)", AuditActions.Read, "alice", "draft.md", new { what = "comments" }), default);
        await log.RecordAsync(
            [
                new AuditEvent("local:ann", AuditActions.Export, "rita", "/tmp/out.jsonl", new { use = "research", documents = 1 }),
            ],
            default);
        return await log.RecordAsync(new AuditEvent("local:ann", AuditActions.ConsentChange, "rita", null, new { version = 2 }), default);
    }

    [Fact]
    public void Mac_OfFirstEntry_MatchesHmacSha256ComputedByPython()
    {
        // python3: hmac.new(bytes(range(32)), bytes(32) + canonical.encode(), hashlib.sha256).hexdigest()
        var entry = new AuditEntry(1, 1793523600000, "local:ann", "read", "rita", "notes.md", """{"what":"replay"}""", "");

        Assert.Equal(
            """{"seq":1,"time":1793523600000,"actor":"local:ann","action":"read","contributor":"rita","subject":"notes.md","detail":"{\"what\":\"replay\"}"}""",
            System.Text.Encoding.UTF8.GetString(AuditLog.Canonical(entry)));
        Assert.Equal("c8dbb67dfa5a51063b0f62d841f61c155b93f8be9a4df08c8bc8e46c8d5d6eb2", AuditLog.Mac([.. Enumerable.Range(0, 32).Select(i => (byte)i)], AuditHead.EmptyHash, entry));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Record_ChainsEntries_VerifyPassesAndHeadIsInAuditHeadFile(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        var log = Log(env);
        var head = await SeedAsync(log);

        Assert.Equal(4, head.Count);
        Assert.Equal(head, await log.HeadAsync(default));
        Assert.Equal(head + "\n", await File.ReadAllTextAsync(Keys(env).AuditHeadFile));
        Assert.Equal(44, (await File.ReadAllTextAsync(Keys(env).AuditKeyFile)).Trim().Length); // 32 bytes, base64
        var verification = await log.VerifyAsync(head, default);
        Assert.True(verification.Ok, verification.Problem);
        Assert.Equal(head, verification.Head);
        var about = await log.EntriesAboutAsync("rita", default);
        Assert.Equal([1L, 3, 4], about.Select(e => e.Seq));
        Assert.Equal(("local:ann", "export", "/tmp/out.jsonl", """{"use":"research","documents":1}""", env.Clock.NowMs), (about[1].Actor, about[1].Action, about[1].Subject, about[1].Detail, about[1].Time));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Verify_EntryAlteredWithRawSql_FailsNamingIt(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        var log = Log(env);
        await SeedAsync(log);
        await env.ScalarAsync("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2");

        var verification = await log.VerifyAsync(null, default);

        Assert.False(verification.Ok);
        Assert.Equal(2, verification.FirstBad);
        Assert.Equal("entry 2 does not match its mac: it was altered, or the chain was recomputed without the audit key", verification.Problem);
        Assert.Equal(1, verification.Head.Count);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Verify_MiddleEntryDeleted_FailsNamingTheMissingOne(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        var log = Log(env);
        await SeedAsync(log);
        await env.ScalarAsync("DELETE FROM audit_log WHERE seq = 2");

        var verification = await log.VerifyAsync(null, default);

        Assert.Equal((false, 2L, "entry 2 is missing (the next entry stored is 3)"), (verification.Ok, verification.FirstBad, verification.Problem));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Verify_MiddleEntryDeletedAndLaterOnesRenumbered_FailsAtTheFirstRenumbered(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        var log = Log(env);
        await SeedAsync(log);
        await env.ScalarAsync("DELETE FROM audit_log WHERE seq = 2");
        await env.ScalarAsync("UPDATE audit_log SET seq = seq - 1 WHERE seq > 2");

        var verification = await log.VerifyAsync(null, default);

        Assert.Equal((false, 2L), (verification.Ok, verification.FirstBad));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Verify_LastEntriesDeleted_CaughtByAuditHeadFile(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        var log = Log(env);
        await SeedAsync(log);
        await env.ScalarAsync("DELETE FROM audit_log WHERE seq >= 3");

        var verification = await log.VerifyAsync(null, default);

        Assert.False(verification.Ok);
        Assert.Equal(3, verification.FirstBad);
        Assert.Equal($"entries 3 to 4 were removed: {Keys(env).AuditHeadFile} records 4 entries, the store has 2", verification.Problem);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Verify_LastEntryDeletedAndHeadFileGone_CaughtByExpectHeadOnly(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        var log = Log(env);
        var head = await SeedAsync(log);
        await env.ScalarAsync("DELETE FROM audit_log WHERE seq = 4");
        File.Delete(Keys(env).AuditHeadFile);

        var unanchored = await log.VerifyAsync(null, default);
        var anchored = await log.VerifyAsync(head, default);

        Assert.True(unanchored.Ok); // a shorter valid chain: only a head kept elsewhere can tell
        Assert.Equal(3, unanchored.Head.Count);
        Assert.Equal((false, 4L, "entries 4 to 4 were removed: --expect-head records 4 entries, the store has 3"), (anchored.Ok, anchored.FirstBad, anchored.Problem));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Verify_ExpectHeadOfAnotherChain_FailsAtThatEntry(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        var log = Log(env);
        await SeedAsync(log);

        var verification = await log.VerifyAsync(new AuditHead(2, new string('a', 64)), default);

        Assert.Equal((false, 2L, "entry 2 is not the one --expect-head records (its mac differs): the log was rewritten"), (verification.Ok, verification.FirstBad, verification.Problem));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Verify_ChainRecomputedWithAnotherKey_FailsAtTheFirstEntry(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        var log = Log(env);
        await SeedAsync(log);
        var entries = await env.ReadAsync(s => s.AuditEntriesAsync(0, 100, default));
        var forged = RandomNumberGenerator.GetBytes(32);
        var previous = AuditHead.EmptyHash;
        foreach (var entry in entries)
        {
            var altered = entry.Seq == 3 ? entry with { Detail = """{"use":"public","documents":1}""" } : entry;
            var mac = AuditLog.Mac(forged, previous, altered);
            await env.ScalarAsync($"UPDATE audit_log SET mac = '{mac}', detail = '{altered.Detail}' WHERE seq = {entry.Seq}");
            previous = mac;
        }

        File.WriteAllText(Keys(env).AuditHeadFile, $"4:{previous}\n"); // even with a matching head file

        var verification = await log.VerifyAsync(null, default);

        Assert.Equal((false, 1L), (verification.Ok, verification.FirstBad));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Record_ConcurrentAppenders_ProduceOneUnbrokenChain(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        // separate store objects: separate connections, as separate processes would have
        var stores = Enumerable.Range(0, 4).Select(_ => env.OpenStore()).ToList();
        try
        {
            await Task.WhenAll(stores.Select((store, w) => Task.Run(async () =>
            {
                var log = new AuditLog(store, Keys(env), env.Clock);
                for (var i = 0; i < 10; i++)
                {
                    await log.RecordAsync(new AuditEvent($"worker {w}", AuditActions.Read, "rita", $"doc-{i}"), default);
                }
            })));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }

        var verification = await Log(env).VerifyAsync(null, default);
        Assert.True(verification.Ok, verification.Problem);
        Assert.Equal(40, verification.Head.Count);
        Assert.Equal(verification.Head + "\n", await File.ReadAllTextAsync(Keys(env).AuditHeadFile));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Verify_EmptyLogWithoutKey_PassesWithEmptyHead(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        var verification = await Log(env).VerifyAsync(null, default);

        Assert.Equal((true, AuditHead.Empty), (verification.Ok, verification.Head));
        Assert.False(File.Exists(Keys(env).AuditKeyFile));
    }

    [Fact]
    public void Parse_BadHead_NamesTheOption()
    {
        var error = Assert.Throws<Core.PlumblineException>(() => AuditHead.Parse("4:xyz", "--expect-head"));
        Assert.Equal("--expect-head: '4:xyz' is not an audit head COUNT:HASH (a count and 64 lower-case hex digits)", error.Message);
    }
}
