using System.Text.Json;
using Plumbline.Core.Capture.Traces;
using Plumbline.Core.Consent;
using Plumbline.Storage.Export;
using static Plumbline.Storage.Tests.StoreEnvironment;

namespace Plumbline.Storage.Tests.Export;

public class TraceExporterTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Export_KeepsOnlyDocumentsEveryAuthorReleasesForTheUse(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice", uses: "research,training");
        await env.AddConsentingAsync("bob", uses: "research");
        await env.AddConsentingAsync("erin", uses: "all", embargo: new DateOnly(2027, 1, 1));
        await env.Edits.IngestAsync(Batch("a-doc", "alice", "", Txn(1, (0, 0, "alpha"))), null, default);
        await env.Edits.IngestAsync(Batch("b-doc", "bob", "", Txn(2, (0, 0, "beta"))), null, default);
        await env.Edits.IngestAsync(Batch("e-doc", "erin", "", Txn(3, (0, 0, "epsilon"))), null, default);
        var exporter = new TraceExporter(env.Store, env.Clock);

        var training = await exporter.ExportAsync(DataUse.Training, env.Folder + "/training.jsonl", default);
        var research = await exporter.ExportAsync(DataUse.Research, env.Folder + "/research.jsonl", default);

        Assert.Equal(1, training.Documents);
        Assert.Equal(["b-doc", "e-doc"], training.Excluded.Select(e => e.Document));
        Assert.Equal("bob: consent does not cover the use 'training'", Assert.Single(training.Excluded[0].Reasons));
        Assert.Equal("erin: embargoed until 2027-01-01", Assert.Single(training.Excluded[1].Reasons));
        Assert.Equal(2, research.Documents);
        var lines = await File.ReadAllLinesAsync(env.Folder + "/training.jsonl");
        using var json = JsonDocument.Parse(Assert.Single(lines));
        Assert.Equal("a-doc", json.RootElement.GetProperty("document").GetString());
        Assert.Equal("alpha", json.RootElement.GetProperty("endContent").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Export_ConsentWithdrawnLater_AppliesToTheNextExport(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice", uses: "training");
        await env.Edits.IngestAsync(Batch("a-doc", "alice", "", Txn(1, (0, 0, "alpha"))), null, default);
        await env.Contributors.SetConsentAsync("alice", new ConsentTerms(ConsentTerms.ParseSources("documents", "s"), ConsentTerms.ParseUses("research", "u"), null), null, "test", default);

        var result = await new TraceExporter(env.Store, env.Clock).ExportAsync(DataUse.Training, env.Folder + "/t.jsonl", default);

        Assert.Equal(0, result.Documents);
        Assert.Equal("alice: consent does not cover the use 'training'", Assert.Single(Assert.Single(result.Excluded).Reasons));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Export_LineReimportsAsATraceThatReplaysTheSameText(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        await env.Edits.IngestAsync(Batch("d", "alice", "x😀", Txn(1_700_000_000_000, (2, 0, "🎉ab"), (0, 1, "")), Txn(1_700_000_001_000, (3, 1, "c"))), null, default);
        var path = env.Folder + "/r.jsonl";
        await new TraceExporter(env.Store, env.Clock).ExportAsync(DataUse.Research, path, default);

        var trace = EditingTraceReader.Parse(await File.ReadAllBytesAsync(path), "r.jsonl", 0);

        Assert.Equal("x😀", trace.StartContent);
        Assert.Equal("😀🎉ac", trace.EndContent);
        Assert.Equal(2, trace.Transactions.Count);
        Assert.Equal(1_700_000_001_000, trace.Transactions[1].Time);
        Assert.Equal(await env.ReplayAsync("d"), trace.EndContent);
    }
}
