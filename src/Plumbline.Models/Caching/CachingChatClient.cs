using Microsoft.Extensions.AI;

namespace Plumbline.Models.Caching;

/// <summary>Answers a request from the <see cref="ResponseCache"/> when it has been answered before (same request, sample index and seed); otherwise asks the inner client and stores the reply.</summary>
internal sealed class CachingChatClient(IChatClient inner, ResponseCache cache, string model) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var key = ResponseCache.KeyOf(model, list, options);
        if (await cache.GetAsync(key, cancellationToken) is { } hit)
        {
            return hit;
        }

        var response = await base.GetResponseAsync(list, options, cancellationToken);
        await cache.PutAsync(key, model, response, cancellationToken);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public override object? GetService(Type serviceType, object? serviceKey = null)
        => serviceKey is null && serviceType == typeof(ResponseCache) ? cache : base.GetService(serviceType, serviceKey);
}
