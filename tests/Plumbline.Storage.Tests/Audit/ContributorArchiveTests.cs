using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Plumbline.Core.Consent;
using Plumbline.Core.Datasets;
using Plumbline.Storage.Archive;
using Plumbline.Storage.Audit;
using Plumbline.Storage.Datasets;
using Plumbline.Storage.Export;
using Plumbline.Storage.Ingest;
using Plumbline.Storage.Keys;
using Plumbline.Storage.Tests.Datasets;
using static Plumbline.Storage.Tests.StoreEnvironment;

namespace Plumbline.Storage.Tests.Audit;

public class ContributorArchiveTests(ITestOutputHelper output)
{
    private static AuditLog Log(StoreEnvironment env) => new(env.Store, new KeyLocation(Path.Combine(env.Folder, "keys")), env.Clock);

    private static async Task SeedAsync(StoreEnvironment env)
    {
        await env.AddConsentingAsync("alice", "research", "documents,commentary");
        await env.AddConsentingAsync("rita", "research,training", "documents,commentary");
        await env.Edits.IngestAsync(Batch("rita/notes 1.md", "rita", "", Txn(1000, (0, 0, "hers\n"))), null, default);
        await env.Edits.IngestAsync(Batch("shared", "alice", "", Txn(1000, (0, 0, "one\n"))), null, default);
        await env.Edits.IngestAsync(Batch("shared", "rita", "one\n", Txn(2000, (4, 0, "two😀\n")), Txn(2100, (0, 1, "O"))), null, default);
        await env.Comments.AddAsync("shared", 0, 3, "Capital?", "alice", default);
        await new NoteIngest(env.Store, env.Clock).AddAsync("thinking aloud", "rita", null, null, null, default);
        await env.Contributors.PauseAsync("rita", default);
        env.Clock.Advance(TimeSpan.FromMinutes(5));
        await env.Contributors.ResumeAsync("rita", default);
        await env.Contributors.AddTermsAsync("rita", ["Zephyr"], default);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Archive_HoldsEverythingAboutThemWithAManifestOfHashes(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await SeedAsync(env);
        var log = Log(env);
        await log.RecordAsync(new AuditEvent("curator (api token 2)", AuditActions.Read, "rita", "shared", new { what = "replay" }), default);
        await log.RecordAsync(new AuditEvent("curator (api token 2)", AuditActions.Read, "alice", "shared", new { what = "replay" }), default);
        var path = Path.Combine(env.Folder, "rita.zip");

        var result = await new ContributorArchive(env.Store, log, env.Clock).WriteAsync("rita", path, "rita (api token 7)", default);

        using var zip = ZipFile.OpenRead(path);
        Assert.Equal(
            ["events.jsonl", "documents/rita%2Fnotes%201.md/text.txt", "documents/rita%2Fnotes%201.md/revisions.jsonl", "documents/shared/text.txt", "documents/shared/revisions.jsonl",
             "consent.jsonl", "pauses.jsonl", "terms.json", "withdrawals.jsonl", "audit.jsonl", "manifest.json"],
            zip.Entries.Select(e => e.FullName));
        string Read(string name)
        {
            using var reader = new StreamReader(zip.GetEntry(name)!.Open(), Encoding.UTF8);
            return reader.ReadToEnd();
        }

        Assert.Equal("One\ntwo😀\n", Read("documents/shared/text.txt"));
        Assert.Equal("hers\n", Read("documents/rita%2Fnotes%201.md/text.txt"));
        var revisions = Read("documents/shared/revisions.jsonl").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([2, 3], revisions.Select(r => r.GetProperty("revision").GetInt32()));
        Assert.Equal(["1970-01-01T00:00:02.000Z", "1970-01-01T00:00:02.100Z"], revisions.Select(r => r.GetProperty("time").GetString()));
        Assert.Equal("two😀\n", revisions[0].GetProperty("patches")[0][2].GetString());
        Assert.Equal("O", revisions[1].GetProperty("patches")[0][2].GetString());
        var events = Read("events.jsonl").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["edit", "edit", "edit", "note", "gap"], events.Select(e => e.GetProperty("kind").GetString()));
        Assert.All(events, e => Assert.Equal("rita", e.GetProperty("contributor").GetString()));
        Assert.Equal("thinking aloud", events[3].GetProperty("payload").GetProperty("text").GetString());
        var consent = JsonDocument.Parse(Read("consent.jsonl")).RootElement;
        Assert.Equal(["research", "training"], consent.GetProperty("uses").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal("""["Zephyr"]""" + "\n", Read("terms.json"));
        Assert.Equal("""{"from":"2026-11-01T09:00:00.000Z","to":"2026-11-01T09:05:00.000Z"}""" + "\n", Read("pauses.jsonl"));
        Assert.Equal("", Read("withdrawals.jsonl"));
        var audit = Read("audit.jsonl").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([(1L, "read", "curator (api token 2)"), (3L, "archive", "rita (api token 7)")], audit.Select(a => (a.GetProperty("seq").GetInt64(), a.GetProperty("action").GetString(), a.GetProperty("actor").GetString())));
        Assert.Equal(4, result.AuditHead.Split(':')[0] is var c ? long.Parse(c, System.Globalization.CultureInfo.InvariantCulture) : 0); // archive + alice's text read in "shared"
        var aliceRead = (await log.EntriesAboutAsync("alice", default))[^1];
        Assert.Equal(("read", "shared", """{"what":"archive","of":"rita"}"""), (aliceRead.Action, aliceRead.Subject, aliceRead.Detail));

        var manifest = JsonDocument.Parse(Read("manifest.json")).RootElement;
        Assert.Equal("rita", manifest.GetProperty("contributor").GetString());
        Assert.Equal(result.AuditHead, manifest.GetProperty("audit_head").GetString());
        var members = manifest.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(zip.Entries.Count - 1, members.Count);
        foreach (var member in members)
        {
            using var stream = zip.GetEntry(member.GetProperty("name").GetString()!)!.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            Assert.Equal(member.GetProperty("bytes").GetInt64(), copy.Length);
            Assert.Equal(member.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(copy.ToArray())));
        }

        Assert.Equal([5L, 1, 1, 1, 2, 1, 1, 1, 0, 2], members.Select(m => m.GetProperty("records").GetInt64()));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Export_IsLoggedPerContributorAndItsManifestCarriesTheHead(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await DatasetTestKit.MixedStoreAsync(env);
        var log = Log(env);
        var file = Path.Combine(env.Folder, "out", "research.jsonl");

        var result = await new TraceExporter(env.Store, env.Clock, log, "local:ann").ExportAsync(DataUse.Training, file, default);

        Assert.Equal(["r-doc", "shared"], result.Excluded.Select(e => e.Document)); // rita consents to research only
        var head = await log.HeadAsync(default);
        Assert.Equal(head.ToString(), result.AuditHead);
        var entry = Assert.Single(await log.EntriesAboutAsync("alice", default));
        Assert.Equal(("local:ann", "export", file), (entry.Actor, entry.Action, entry.Subject));
        Assert.Empty(await log.EntriesAboutAsync("rita", default));
        var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(file + ".manifest.json")).RootElement;
        Assert.Equal(head.ToString(), manifest.GetProperty("audit_head").GetString());
        Assert.Equal(await DatasetManifest.Sha256Async(file, default), manifest.GetProperty("sha256").GetString());
        Assert.Equal(1, manifest.GetProperty("contributors").GetProperty("alice").GetInt32());
        Assert.Equal($$"""{"kind":"traces","use":"training","documents":1,"sha256":"{{manifest.GetProperty("sha256").GetString()}}"}""", entry.Detail);
        Assert.True((await log.VerifyAsync(head, default)).Ok);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task DatasetBuild_IsLoggedAndTheManifestAuditHeadVerifies(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await DatasetTestKit.MixedStoreAsync(env);
        var log = Log(env);
        var options = DatasetTestKit.Options(env, DatasetKind.NextEdit, DataUse.Research, "ds");

        var result = await new DatasetBuilder(env.Store, env.Clock, log, "local:ann").BuildAsync(options, null, default);

        var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(result.Path, "manifest.json"))).RootElement;
        var head = AuditHead.Parse(manifest.GetProperty("audit_head").GetString()!, "manifest");
        Assert.Equal(await log.HeadAsync(default), head);
        Assert.Equal(2, head.Count); // alice and rita
        Assert.Equal($"plumb audit verify --expect-head {head}", manifest.GetProperty("audit_log").GetString());
        Assert.Equal(["alice", "rita"], (await env.ReadAsync(s => s.AuditEntriesAsync(0, 10, default))).Select(e => e.Contributor));
        Assert.True((await log.VerifyAsync(head, default)).Ok);
        Assert.True((await DatasetTestKit.VerifyAsync(env, result.Path)).Ok);
    }
}
