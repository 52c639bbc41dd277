namespace Plumbline.Models.Resilience;

/// <summary>At most N requests in flight to one endpoint, shared by every client of a <see cref="ModelCatalog"/> that talks to it.</summary>
internal sealed class EndpointLimiter(int limit)
{
    private readonly SemaphoreSlim _slots = new(limit, limit);
    private int _inFlight;
    private int _peak;

    public int Limit { get; } = limit;

    /// <summary>Most requests seen in flight at once (for tests and progress).</summary>
    public int Peak => Volatile.Read(ref _peak);

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            var now = Interlocked.Increment(ref _inFlight);
            int peak;
            while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
            {
            }

            return await call(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            _slots.Release();
        }
    }
}
