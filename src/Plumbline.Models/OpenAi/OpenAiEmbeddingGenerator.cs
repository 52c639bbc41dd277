using System.ClientModel;
using Microsoft.Extensions.AI;
using Plumbline.Models.Resilience;
using OpenAIEmbeddings = OpenAI.Embeddings;

namespace Plumbline.Models.OpenAi;

/// <summary>The thin adapter from <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> to the OpenAI package's embedding client: batches of 128 texts, each with retries inside the endpoint's concurrency limit.</summary>
internal sealed class OpenAiEmbeddingGenerator(OpenAIEmbeddings.EmbeddingClient client, ModelSettings settings, RetryPolicy retry, EndpointLimiter limiter, OpenAiErrors errors) : IEmbeddingGenerator<string, Embedding<float>>
{
    private const int BatchSize = 128;
    private readonly EmbeddingGeneratorMetadata _metadata = new("openai-compatible", settings.Reference.Endpoint, settings.Reference.Model);

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values.ToArray();
        var batches = texts.Chunk(BatchSize).ToArray();
        var results = await Task.WhenAll(batches.Select(batch => retry.ExecuteAsync(ct => limiter.RunAsync(inner => CallAsync(batch, options, inner), ct), cancellationToken)));
        var all = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        foreach (var batch in results)
        {
            all.AddRange(batch);
        }

        return all;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata : serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
    }

    private async Task<List<Embedding<float>>> CallAsync(string[] batch, EmbeddingGenerationOptions? options, CancellationToken cancellationToken)
    {
        try
        {
            var request = new OpenAIEmbeddings.EmbeddingGenerationOptions { Dimensions = options?.Dimensions };
            ClientResult<OpenAIEmbeddings.OpenAIEmbeddingCollection> result = await client.GenerateEmbeddingsAsync(batch, request, cancellationToken);
            var byIndex = result.Value.OrderBy(e => e.Index).ToList();
            if (byIndex.Count != batch.Length || byIndex.Select(e => e.Index).Where((index, i) => index != i).Any())
            {
                throw new TransientModelException($"{settings.Name}: malformed response: {byIndex.Count} embeddings for {batch.Length} texts");
            }

            return byIndex.Select(e => new Embedding<float>(e.ToFloats()) { ModelId = result.Value.Model ?? settings.Reference.Model }).ToList();
        }
        catch (Exception e) when (errors.Map(e, cancellationToken) is var mapped && !ReferenceEquals(mapped, e))
        {
            throw mapped;
        }
    }
}
