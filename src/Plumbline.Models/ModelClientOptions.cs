namespace Plumbline.Models;

/// <summary>What clients made by <see cref="ModelCatalog"/> share with their surroundings.</summary>
public sealed record ModelClientOptions
{
    /// <summary>Clock for retry delays (tests pass a fake so that nothing sleeps).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Folder of the response cache (<c>responses.db</c>, SQLite) or null for no cache. The CLI uses <c>.plumbline/cache</c> under the current directory.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Reads an environment variable (API keys come only from here).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Seed of the retry jitter; null for a random seed.</summary>
    public int? JitterSeed { get; init; }
}
