namespace Plumbline.Models;

/// <summary>
/// A model reference with its settings: from a <c>plumbline.yaml</c> entry, or the documented
/// defaults for an ad-hoc reference.
/// </summary>
public sealed record ModelSettings
{
    /// <summary>Default environment variable holding the API key.</summary>
    public const string DefaultApiKeyVariable = "OPENAI_API_KEY";

    /// <summary>The name under <c>models:</c> in plumbline.yaml, or the ad-hoc reference text.</summary>
    public required string Name { get; init; }

    /// <summary>What the name points at.</summary>
    public required ModelReference Reference { get; init; }

    /// <summary>Environment variable holding the API key (<c>api_key_env</c>); keys are never read from files. Default <c>OPENAI_API_KEY</c>.</summary>
    public string ApiKeyVariable { get; init; } = DefaultApiKeyVariable;

    /// <summary>True when the configuration named the key variable, so that its absence is an error rather than "no key needed".</summary>
    public bool ApiKeyRequired { get; init; }

    /// <summary>Requests in flight at once to this endpoint (<c>max_concurrency</c>); default 4.</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>Time allowed for one HTTP request (<c>timeout_seconds</c>); default 120 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Retries of a transient failure (429, 5xx, timeout, malformed body) (<c>max_retries</c>); default 5.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>First backoff delay (<c>retry_base_seconds</c>); doubled per retry, with jitter; default 1 s.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between retries, also the cap on Retry-After; default 60 s.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Embedding size for <c>builtin:lsa</c> (<c>dimensions</c>); default 100.</summary>
    public int Dimensions { get; init; } = 100;

    /// <summary>Seed for <c>builtin:lsa</c> fitting (<c>seed</c>); default 0.</summary>
    public int Seed { get; init; }

    /// <summary>The settings used for an ad-hoc reference.</summary>
    public static ModelSettings ForReference(ModelReference reference) => new() { Name = reference.ToString(), Reference = reference };
}
