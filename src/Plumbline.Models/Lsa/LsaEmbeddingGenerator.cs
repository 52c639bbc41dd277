using Microsoft.Extensions.AI;

namespace Plumbline.Models.Lsa;

/// <summary>
/// <c>builtin:lsa</c> as an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>. With a fitted
/// model it embeds with that model; without one, every <c>GenerateAsync</c> call fits a fresh model
/// on the values of that call (so embed all the texts to be compared in one call).
/// </summary>
internal sealed class LsaEmbeddingGenerator(LsaModel? model, LsaOptions fitOptions, string modelId) : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata _metadata = new("plumbline-builtin", providerUri: null, defaultModelId: modelId, defaultModelDimensions: model?.Dimensions ?? fitOptions.Dimensions);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        cancellationToken.ThrowIfCancellationRequested();
        var texts = values as IReadOnlyList<string> ?? values.ToArray();
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Count);
        if (texts.Count == 0)
        {
            return Task.FromResult(result);
        }

        var fitted = model ?? LsaModel.Fit(texts, fitOptions);
        var now = DateTimeOffset.UnixEpoch; // no clock: embeddings are a pure function of the input
        foreach (var vector in fitted.Embed(texts))
        {
            result.Add(new Embedding<float>(vector) { ModelId = modelId, CreatedAt = now });
        }

        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return _metadata;
        }

        if (serviceType == typeof(LsaModel))
        {
            return model;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
    }
}
