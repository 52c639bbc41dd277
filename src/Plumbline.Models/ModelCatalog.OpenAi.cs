using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using Plumbline.Core;
using Plumbline.Models.Caching;
using Plumbline.Models.OpenAi;
using Plumbline.Models.Resilience;

namespace Plumbline.Models;

public sealed partial class ModelCatalog
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, EndpointLimiter> _limiters = new(StringComparer.Ordinal);
    private readonly Lazy<ResponseCache?> _cache;
    private readonly Lazy<Random> _jitter;

    private IChatClient CreateOpenAiChatClient(ModelSettings settings)
    {
        var (options, keyIsSet, credential) = OpenAiOptions(settings);
        var client = new OpenAI.Chat.ChatClient(settings.Reference.Model, credential, options);
        var errors = new OpenAiErrors(settings, keyIsSet, Options.TimeProvider);
        IChatClient chat = new OpenAiChatClient(client, settings, Retry(settings), Limiter(settings), errors);
        return _cache.Value is { } cache ? new CachingChatClient(chat, cache, settings.Reference.ToString()) : chat;
    }

    private IEmbeddingGenerator<string, Embedding<float>> CreateOpenAiEmbeddingGenerator(ModelSettings settings)
    {
        var (options, keyIsSet, credential) = OpenAiOptions(settings);
        var client = new OpenAI.Embeddings.EmbeddingClient(settings.Reference.Model, credential, options);
        return new OpenAiEmbeddingGenerator(client, settings, Retry(settings), Limiter(settings), new OpenAiErrors(settings, keyIsSet, Options.TimeProvider));
    }

    private (OpenAIClientOptions Options, bool KeyIsSet, ApiKeyCredential Credential) OpenAiOptions(ModelSettings settings)
    {
        var endpoint = settings.Reference.Endpoint!;
        var key = Options.Environment(settings.ApiKeyVariable);
        var keyIsSet = !string.IsNullOrEmpty(key);
        if (!keyIsSet && settings.ApiKeyRequired)
        {
            throw PlumblineException.BadInput($"model '{settings.Name}': the environment variable {settings.ApiKeyVariable} (api_key_env) is not set");
        }

        if (!keyIsSet && endpoint.Host.Equals("api.openai.com", StringComparison.OrdinalIgnoreCase))
        {
            throw PlumblineException.BadInput($"model '{settings.Name}': {endpoint.Host} needs an API key; set {settings.ApiKeyVariable}");
        }

        var options = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            NetworkTimeout = settings.Timeout,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0), // Plumbline's own retry policy decides, on the injected clock
            UserAgentApplicationId = "plumbline",
        };

        // local servers (vLLM, Ollama, llama.cpp) take no key, but the client wants one
        return (options, keyIsSet, new ApiKeyCredential(keyIsSet ? key! : "no-key"));
    }

    private RetryPolicy Retry(ModelSettings settings) => new(settings, Options.TimeProvider, _jitter.Value);

    /// <summary>One limiter per endpoint (scheme, host, port, path); the first client made for an endpoint sets its limit.</summary>
    private EndpointLimiter Limiter(ModelSettings settings)
    {
        var endpoint = settings.Reference.Endpoint!;
        var key = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return _limiters.GetOrAdd(key, _ => new EndpointLimiter(settings.MaxConcurrency));
    }
}
