using Plumbline.Core;

namespace Plumbline.Storage;

/// <summary>
/// Re-runs a whole write session when it failed transiently: a PostgreSQL deadlock or serialization
/// failure, a document or batch that a concurrent writer stored first, a dropped connection.
/// </summary>
internal static class StoreRetry
{
    /// <summary>Attempts in all, the first included.</summary>
    public const int Attempts = 6;

    public static async Task<T> RunAsync<T>(TimeProvider time, Func<Task<T>> session, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await session();
            }
            catch (PlumblineException e) when (e.IsTransient && attempt < Attempts)
            {
                // 10, 20, 40, 80, 160 ms, each plus up to as much again at random so that racers spread out
                var backoff = 10 * (1 << (attempt - 1));
                await Task.Delay(TimeSpan.FromMilliseconds(backoff + Random.Shared.Next(backoff)), time, cancellationToken);
            }
        }
    }
}
