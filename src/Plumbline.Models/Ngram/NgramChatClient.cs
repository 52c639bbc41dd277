using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Plumbline.Models.Ngram;

/// <summary>
/// <c>builtin:ngram:PATH</c> as an <see cref="IChatClient"/>: the reply continues the text of the
/// last user message (its last Order−1 tokens are the context). <see cref="ChatOptions.Temperature"/>
/// (default 1), <see cref="ChatOptions.Seed"/> (default: a random seed) and
/// <see cref="ChatOptions.MaxOutputTokens"/> (default 64) are honoured. The reply carries the total
/// natural-log probability of the sampled tokens in <c>AdditionalProperties["logprob"]</c>.
/// </summary>
internal sealed class NgramChatClient(NgramModel model, string modelId) : IChatClient
{
    private readonly ChatClientMetadata _metadata = new("plumbline-builtin", providerUri: null, defaultModelId: modelId);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        var prompt = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        var seed = options?.Seed ?? Random.Shared.NextInt64();
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        var sample = new SampleOptions(prompt, options?.MaxOutputTokens ?? 64, options?.Temperature ?? 1.0);
        var tokens = model.Sample(random, sample);
        var text = Core.Analysis.Tokenizer.Detokenize(tokens);
        var finish = tokens.Count >= sample.MaxTokens ? ChatFinishReason.Length : ChatFinishReason.Stop;
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = modelId,
            FinishReason = finish,
            Usage = new UsageDetails { InputTokenCount = model.Tokenize(prompt).Count, OutputTokenCount = tokens.Count },
            AdditionalProperties = new AdditionalPropertiesDictionary { ["logprob"] = LogProbabilityOf(prompt, tokens) },
        };
        return Task.FromResult(response);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // no token streaming: the whole reply arrives as one update
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return _metadata;
        }

        if (serviceType == typeof(NgramModel))
        {
            return model;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
    }

    private double LogProbabilityOf(string prompt, IReadOnlyList<string> sampled)
    {
        var history = new List<string> { NgramModel.StartToken };
        history.AddRange(model.Tokenize(prompt));
        var total = 0.0;
        foreach (var token in sampled)
        {
            total += Math.Log(model.Probability(token, history.TakeLast(model.Order - 1).ToArray()));
            history.Add(token);
        }

        return total;
    }
}
