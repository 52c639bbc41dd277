namespace Plumbline.Server.Hosting;

/// <summary>How <c>plumb serve</c> runs. Defaults are documented per property; <see cref="Validate"/> reports every problem at once.</summary>
public sealed record ServerOptions
{
    /// <summary>The store: a SQLite path or a PostgreSQL connection string (required).</summary>
    public required string Store { get; init; }

    /// <summary>The key folder (default: <see cref="Storage.Keys.KeyLocation.For"/> of the store).</summary>
    public string? Keys { get; init; }

    /// <summary>Where to listen (default http://127.0.0.1:5080; port 0 picks a free port).</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>The largest request body accepted; larger ones get 413 (default 64 MiB: a 250,000-keystroke trace in one batch).</summary>
    public long MaxRequestBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>How long a graceful shutdown waits for requests in flight (default 10 s).</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Store))
        {
            errors.Add("--store: give a SQLite path or a PostgreSQL connection string");
        }

        foreach (var url in Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
            {
                errors.Add($"--urls: '{url}' is not an http:// URL (put TLS in front with a reverse proxy)");
            }
        }

        if (MaxRequestBytes is < 1024 or > 1024L * 1024 * 1024)
        {
            errors.Add($"--max-request-bytes: must be in 1024..1073741824 (was {MaxRequestBytes})");
        }

        return errors;
    }
}
