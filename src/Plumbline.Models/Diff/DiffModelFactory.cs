using Microsoft.Extensions.AI;
using Plumbline.Core.Supervision.Diff;

namespace Plumbline.Models.Diff;

/// <summary>The models of a behaviour diff, made from model references through a <see cref="ModelCatalog"/>.</summary>
public static class DiffModelFactory
{
    /// <summary>
    /// The embedder (default <c>builtin:lsa</c>), and the optional facet writer, labeler and judge
    /// (chat models: <c>openai:MODEL@URL</c>, <c>builtin:ngram:PATH</c> or a name from <c>plumbline.yaml</c>).
    /// </summary>
    public static DiffModels Create(ModelCatalog catalog, string? embedder = null, string? facets = null, string? labeler = null, string? judge = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        embedder ??= "builtin:lsa";
        return new DiffModels(
            new GeneratorEmbedder(catalog.CreateEmbeddingGenerator(embedder), embedder),
            facets is null ? null : new ChatFacetWriter(catalog.CreateChatClient(facets), facets),
            labeler is null ? null : new ChatClusterLabeler(catalog.CreateChatClient(labeler), labeler),
            judge is null ? null : new ChatShiftJudge(catalog.CreateChatClient(judge), judge));
    }

    /// <summary>The same over clients already made (for tests and hosts that build their own).</summary>
    public static DiffModels Create(IEmbeddingGenerator<string, Embedding<float>> embedder, string embedderName, IChatClient? facets = null, IChatClient? labeler = null, IChatClient? judge = null)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        return new DiffModels(
            new GeneratorEmbedder(embedder, embedderName),
            facets is null ? null : new ChatFacetWriter(facets, Name(facets)),
            labeler is null ? null : new ChatClusterLabeler(labeler, Name(labeler)),
            judge is null ? null : new ChatShiftJudge(judge, Name(judge)));
    }

    private static string Name(IChatClient client) => client.GetService<ChatClientMetadata>()?.DefaultModelId ?? "chat";
}

internal sealed class GeneratorEmbedder(IEmbeddingGenerator<string, Embedding<float>> generator, string name) : IDiffEmbedder
{
    public string Name => name;

    public Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) => generator.EmbedAsync(texts, cancellationToken);
}
