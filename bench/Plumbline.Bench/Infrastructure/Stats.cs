namespace Plumbline.Bench.Infrastructure;

/// <summary>Order statistics of a set of measurements (nearest-rank percentiles).</summary>
internal sealed record Summary(int Count, double Min, double Median, double Mean, double P95, double P99, double Max)
{
    public static Summary Of(IReadOnlyCollection<double> values)
    {
        ArgumentOutOfRangeException.ThrowIfZero(values.Count);
        var sorted = values.Order().ToArray();
        return new Summary(
            sorted.Length,
            sorted[0],
            MedianOf(sorted),
            sorted.Average(),
            Percentile(sorted, 0.95),
            Percentile(sorted, 0.99),
            sorted[^1]);
    }

    private static double MedianOf(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>Elapsed-time helpers on the monotonic high-resolution clock.</summary>
internal static class Clock
{
    public static long Now() => System.Diagnostics.Stopwatch.GetTimestamp();

    public static double MillisecondsSince(long start) => System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}

/// <summary>Garbage collections and total GC pause time between <see cref="Start"/> and <see cref="Stop"/>.</summary>
internal readonly record struct GcDelta(int Gen0, int Gen1, int Gen2, double PauseMs)
{
    public static GcDelta Start() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration().TotalMilliseconds);

    public GcDelta Stop() => new(
        GC.CollectionCount(0) - Gen0,
        GC.CollectionCount(1) - Gen1,
        GC.CollectionCount(2) - Gen2,
        GC.GetTotalPauseDuration().TotalMilliseconds - PauseMs);

    /// <summary>"gen0/gen1/gen2, pause ms" for the report.</summary>
    public override string ToString() => $"{Gen0}/{Gen1}/{Gen2}, {Format.Ms(PauseMs)} ms";
}
