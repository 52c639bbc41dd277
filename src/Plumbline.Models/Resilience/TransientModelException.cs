namespace Plumbline.Models.Resilience;

/// <summary>A failure worth retrying (429, 5xx, timeout, malformed body), with the server's Retry-After when it gave one. Never escapes the retry loop: it becomes a <see cref="Core.PlumblineException"/> when retries run out.</summary>
internal sealed class TransientModelException(string message, TimeSpan? retryAfter = null, Exception? inner = null) : Exception(message, inner)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
