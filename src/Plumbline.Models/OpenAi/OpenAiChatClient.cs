#pragma warning disable OPENAI001 // Seed is marked experimental in the OpenAI package
using System.ClientModel;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Plumbline.Core;
using Plumbline.Models.Resilience;
using OpenAIChat = OpenAI.Chat;

namespace Plumbline.Models.OpenAi;

/// <summary>
/// The thin adapter from <see cref="IChatClient"/> to the official OpenAI package's chat client
/// against any OpenAI-compatible endpoint: no streaming (a "streaming" call gets the whole reply as
/// one update), retries with backoff inside the endpoint's concurrency limit, log-probabilities when
/// asked for (<see cref="ChatKeys.LogProbabilities"/>) and given.
/// </summary>
internal sealed class OpenAiChatClient(OpenAIChat.ChatClient client, ModelSettings settings, RetryPolicy retry, EndpointLimiter limiter, OpenAiErrors errors) : IChatClient
{
    private readonly ChatClientMetadata _metadata = new("openai-compatible", settings.Reference.Endpoint, settings.Reference.Model);
    private volatile bool _logprobsRefused;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var converted = messages.Select(Convert).ToList();
        if (converted.Count == 0)
        {
            throw PlumblineException.BadInput($"{settings.Name}: a chat request needs at least one message");
        }

        var wantLogprobs = options?.AdditionalProperties?.TryGetValue(ChatKeys.LogProbabilities, out var flag) == true && flag is true;
        return await retry.ExecuteAsync(ct => limiter.RunAsync(inner => CallAsync(converted, options, wantLogprobs && !_logprobsRefused, inner), ct), cancellationToken);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
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

        if (serviceType == typeof(EndpointLimiter))
        {
            return limiter;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
    }

    private async Task<ChatResponse> CallAsync(List<OpenAIChat.ChatMessage> messages, ChatOptions? options, bool logprobs, CancellationToken cancellationToken)
    {
        var request = new OpenAIChat.ChatCompletionOptions
        {
            Temperature = options?.Temperature,
            TopP = options?.TopP,
            MaxOutputTokenCount = options?.MaxOutputTokens,
            Seed = options?.Seed,
        };
        if (options?.StopSequences is { Count: > 0 } stops)
        {
            foreach (var stop in stops)
            {
                request.StopSequences.Add(stop);
            }
        }

        if (logprobs)
        {
            request.IncludeLogProbabilities = true;
        }

        ClientResult<OpenAIChat.ChatCompletion> result;
        try
        {
            result = await client.CompleteChatAsync(messages, request, cancellationToken);
            return ToResponse(result.Value, logprobs);
        }
        catch (ClientResultException e) when (logprobs && e.Status == 400)
        {
            // the endpoint does not offer log-probabilities: ask again without them, and stop asking
            _logprobsRefused = true;
            return await CallAsync(messages, options, logprobs: false, cancellationToken);
        }
        catch (Exception e) when (errors.Map(e, cancellationToken) is var mapped && !ReferenceEquals(mapped, e))
        {
            throw mapped;
        }
    }

    private ChatResponse ToResponse(OpenAIChat.ChatCompletion completion, bool logprobs)
    {
        var text = string.Concat(completion.Content.Where(p => p.Kind == OpenAIChat.ChatMessageContentPartKind.Text).Select(p => p.Text));
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = string.IsNullOrEmpty(completion.Model) ? settings.Reference.Model : completion.Model,
            ResponseId = completion.Id,
            CreatedAt = completion.CreatedAt,
            FinishReason = completion.FinishReason switch
            {
                OpenAIChat.ChatFinishReason.Stop => ChatFinishReason.Stop,
                OpenAIChat.ChatFinishReason.Length => ChatFinishReason.Length,
                OpenAIChat.ChatFinishReason.ContentFilter => ChatFinishReason.ContentFilter,
                OpenAIChat.ChatFinishReason.ToolCalls or OpenAIChat.ChatFinishReason.FunctionCall => ChatFinishReason.ToolCalls,
                _ => null,
            },
            Usage = completion.Usage is { } usage
                ? new UsageDetails { InputTokenCount = usage.InputTokenCount, OutputTokenCount = usage.OutputTokenCount, TotalTokenCount = usage.TotalTokenCount }
                : null,
            AdditionalProperties = [],
        };
        if (logprobs && completion.ContentTokenLogProbabilities is { Count: > 0 } tokens)
        {
            var list = tokens.Select(t => new TokenLogProbability(t.Token, t.LogProbability)).ToArray();
            response.AdditionalProperties[ChatKeys.TokenLogProbabilities] = list;
            response.AdditionalProperties[ChatKeys.LogProbability] = list.Sum(t => t.LogProbability);
        }

        return response;
    }

    private OpenAIChat.ChatMessage Convert(ChatMessage message)
    {
        var text = message.Text;
        if (message.Role == ChatRole.System)
        {
            return new OpenAIChat.SystemChatMessage(text);
        }

        if (message.Role == ChatRole.Assistant)
        {
            return new OpenAIChat.AssistantChatMessage(text);
        }

        if (message.Role == ChatRole.User)
        {
            return new OpenAIChat.UserChatMessage(text);
        }

        throw PlumblineException.BadInput($"{settings.Name}: role '{message.Role}' is not supported (system, user, assistant)");
    }
}
