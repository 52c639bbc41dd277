using Microsoft.Extensions.AI;

namespace Plumbline.Models;

/// <summary>Small conveniences over <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>.</summary>
public static class Embeddings
{
    /// <summary>
    /// Embeds <paramref name="texts"/> in one call and returns one float vector per text, in order.
    /// With <c>builtin:lsa</c> (no saved model) the LSA is fitted on exactly these texts, so pass all
    /// the texts that will be compared together.
    /// </summary>
    public static async Task<float[][]> EmbedAsync(this IEmbeddingGenerator<string, Embedding<float>> generator, IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(texts);
        var generated = await generator.GenerateAsync(texts, cancellationToken: cancellationToken);
        if (generated.Count != texts.Count)
        {
            throw new Core.PlumblineException(Core.FailureKind.Runtime, $"the embedder returned {generated.Count} vectors for {texts.Count} texts");
        }

        return generated.Select(e => e.Vector.ToArray()).ToArray();
    }
}
