using Plumbline.Core;

namespace Plumbline.Models.Resilience;

/// <summary>
/// Retries transient failures: exponential backoff from <see cref="ModelSettings.RetryBaseDelay"/>
/// (doubling per retry, "equal jitter": a uniform draw between half and all of it), capped at
/// <see cref="ModelSettings.RetryMaxDelay"/>; a server's Retry-After replaces the backoff (capped too).
/// Delays run on the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed class RetryPolicy(ModelSettings settings, TimeProvider time, Random jitter)
{
    private readonly Lock _gate = new();

    public int MaxRetries => settings.MaxRetries;

    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call(cancellationToken);
            }
            catch (TransientModelException e) when (attempt < settings.MaxRetries)
            {
                await Task.Delay(DelayFor(attempt, e.RetryAfter), time, cancellationToken);
            }
            catch (TransientModelException e)
            {
                throw new PlumblineException(FailureKind.Runtime, $"{e.Message} (gave up after {attempt + 1} attempts)", isTransient: true, inner: e);
            }
        }
    }

    /// <summary>The wait before retry number <paramref name="attempt"/> + 1.</summary>
    public TimeSpan DelayFor(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } after)
        {
            return after < TimeSpan.Zero ? TimeSpan.Zero : after > settings.RetryMaxDelay ? settings.RetryMaxDelay : after;
        }

        var backoff = settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        double draw;
        lock (_gate)
        {
            draw = jitter.NextDouble();
        }

        var ms = Math.Min(backoff * (0.5 + 0.5 * draw), settings.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Math.Round(ms)); // timers count whole milliseconds
    }

    /// <summary>Reads a Retry-After value: delta-seconds or an HTTP date.</summary>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(value, "r", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var date))
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
