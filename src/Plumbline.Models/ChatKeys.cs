namespace Plumbline.Models;

/// <summary>Keys Plumbline reads and writes in <c>AdditionalProperties</c> of chat options and responses.</summary>
public static class ChatKeys
{
    /// <summary>Request: which of the K samples of one prompt this is (int, 0-based). Part of the cache key, so that K samples are K distinct entries.</summary>
    public const string SampleIndex = "plumbline.sample_index";

    /// <summary>Request: ask the endpoint for per-token log-probabilities (bool). If the endpoint refuses the parameter (HTTP 400), the request is repeated without it.</summary>
    public const string LogProbabilities = "plumbline.logprobs";

    /// <summary>Request: with <see cref="LogProbabilities"/>, how many most likely alternatives to return per token (int, 1 to 20); they come back in <see cref="TokenLogProbability.Top"/>.</summary>
    public const string TopLogProbabilities = "plumbline.top_logprobs";

    /// <summary>Response: total natural-log probability of the reply's tokens (double), when the backend gives it.</summary>
    public const string LogProbability = "logprob";

    /// <summary>Response: per-token natural-log probabilities (<see cref="TokenLogProbability"/>[]), when the endpoint gives them.</summary>
    public const string TokenLogProbabilities = "token_logprobs";

    /// <summary>Response: true when the reply came from the response cache.</summary>
    public const string Cached = "cached";
}

/// <summary>One token of a reply and its natural-log probability; <paramref name="Top"/> holds the most likely alternatives at that position when they were asked for (<see cref="ChatKeys.TopLogProbabilities"/>).</summary>
public sealed record TokenLogProbability(string Token, double LogProbability, IReadOnlyList<TokenLogProbability>? Top = null)
{
    /// <inheritdoc/>
    public bool Equals(TokenLogProbability? other) =>
        other is not null && Token == other.Token && LogProbability.Equals(other.LogProbability)
        && (Top is null ? other.Top is null : other.Top is not null && Top.SequenceEqual(other.Top));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Token, LogProbability, Top?.Count);
}
