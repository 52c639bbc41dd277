using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Plumbline.Storage.Diagnostics;

/// <summary>
/// Opt-in timing spans around the phases of a write (<c>PLUMBLINE_WRITE_PROFILE=1</c>): waiting for the
/// write lock, each phase of the edit ingest while the lock is held, the commit. A summary (count, p50,
/// p90, p99, max, total per phase, in ms) goes to stderr when the process exits. Off by default; when
/// off, a span costs one field read.
/// </summary>
internal static class WriteProfile
{
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("PLUMBLINE_WRITE_PROFILE") == "1";

    private static readonly ConcurrentDictionary<string, ConcurrentQueue<double>> Spans = new(StringComparer.Ordinal);

    static WriteProfile()
    {
        if (Enabled)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Console.Error.Write(Summary());
        }
    }

    /// <summary>A timestamp to measure from (0 when profiling is off).</summary>
    public static long Start() => Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>Records the time since <paramref name="since"/> under <paramref name="phase"/> and moves <paramref name="since"/> to now.</summary>
    public static void Lap(string phase, ref long since)
    {
        if (!Enabled)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        Record(phase, Stopwatch.GetElapsedTime(since, now).TotalMilliseconds);
        since = now;
    }

    public static void Record(string phase, double milliseconds)
    {
        if (Enabled)
        {
            Spans.GetOrAdd(phase, _ => new ConcurrentQueue<double>()).Enqueue(milliseconds);
        }
    }

    public static string Summary()
    {
        var text = new StringBuilder();
        text.AppendLine("write profile (ms): phase | count | p50 | p90 | p99 | max | total");
        foreach (var (phase, queue) in Spans.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var values = queue.Order().ToArray();
            double At(double p) => values[Math.Clamp((int)Math.Ceiling(p * values.Length) - 1, 0, values.Length - 1)];
            text.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"write profile: {phase} | {values.Length} | {At(0.5):F2} | {At(0.9):F2} | {At(0.99):F2} | {values[^1]:F2} | {values.Sum():F0}"));
        }

        return text.ToString();
    }
}
