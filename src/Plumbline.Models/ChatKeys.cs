namespace Plumbline.Models;

/// <summary>Keys Plumbline reads and writes in <c>AdditionalProperties</c> of chat options and responses.</summary>
public static class ChatKeys
{
    /// <summary>Request: which of the K samples of one prompt this is (int, 0-based). Part of the cache key, so that K samples are K distinct entries.</summary>
    public const string SampleIndex = "plumbline.sample_index";

    /// <summary>Request: ask the endpoint for per-token log-probabilities (bool). If the endpoint refuses the parameter (HTTP 400), the request is repeated without it.</summary>
    public const string LogProbabilities = "plumbline.logprobs";

    /// <summary>Response: total natural-log probability of the reply's tokens (double), when the backend gives it.</summary>
    public const string LogProbability = "logprob";

    /// <summary>Response: per-token natural-log probabilities (<see cref="TokenLogProbability"/>[]), when the endpoint gives them.</summary>
    public const string TokenLogProbabilities = "token_logprobs";

    /// <summary>Response: true when the reply came from the response cache.</summary>
    public const string Cached = "cached";
}

/// <summary>One token of a reply and its natural-log probability.</summary>
public sealed record TokenLogProbability(string Token, double LogProbability);
