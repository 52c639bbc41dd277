using System.Text.Json;
using Plumbline.Core.Consent;
using Plumbline.Core.Datasets;
using Plumbline.Storage.Datasets;
using static Plumbline.Storage.Tests.StoreEnvironment;

namespace Plumbline.Storage.Tests.Datasets;

/// <summary>Small hand-made stores and the calls the dataset tests share.</summary>
internal static class DatasetTestKit
{
    /// <summary>alice consents to research and training, rita to research only; a-doc by alice, r-doc by rita, shared by both.</summary>
    public static async Task MixedStoreAsync(StoreEnvironment env)
    {
        await env.AddConsentingAsync("alice", "research,training", "documents,commentary");
        await env.AddConsentingAsync("rita", "research", "documents,commentary");
        await env.Edits.IngestAsync(Batch("a-doc", "alice", "", Txn(1000, (0, 0, "alpha\n"))), null, default);
        await env.Edits.IngestAsync(Batch("r-doc", "rita", "", Txn(1000, (0, 0, "rho\n"))), null, default);
        await env.Edits.IngestAsync(Batch("shared", "alice", "", Txn(1000, (0, 0, "one\n"))), null, default);
        await env.Edits.IngestAsync(Batch("shared", "rita", "one\n", Txn(2000, (4, 0, "two\n"))), null, default);
    }

    public static DatasetBuildOptions Options(StoreEnvironment env, DatasetKind kind, DataUse use, string name, DatasetFormat format = DatasetFormat.Zeta) => new()
    {
        Kind = kind,
        Use = use,
        Output = Path.Combine(env.Folder, name),
        Format = format,
        Split = [1.0],
        DedupThreshold = 0,
    };

    public static Task<DatasetBuildResult> BuildAsync(StoreEnvironment env, DatasetBuildOptions options) =>
        new DatasetBuilder(env.Store, env.Clock).BuildAsync(options, null, default);

    public static Task<VerifyResult> VerifyAsync(StoreEnvironment env, string folder, string? prune = null) =>
        new DatasetVerifier(env.Store, env.Clock).VerifyAsync(folder, prune, default);

    public static List<JsonElement> Lines(string path) =>
        File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    public static async Task SetConsentAsync(StoreEnvironment env, string name, string uses, string sources = "documents,commentary") =>
        await env.Contributors.SetConsentAsync(
            name,
            new ConsentTerms(ConsentTerms.ParseSources(sources, "sources"), ConsentTerms.ParseUses(uses, "uses"), null),
            null,
            "test",
            default);
}
