using Plumbline.Core.Capture.Traces;
using Plumbline.Core.Text;

namespace Plumbline.Bench.Infrastructure;

/// <summary>Uniformly random revisions, replayed from the store and checked against an in-memory replay of the trace.</summary>
internal static class RandomRevisions
{
    /// <summary><paramref name="count"/> revisions drawn uniformly from 0..<paramref name="revisions"/> with a fixed seed.</summary>
    public static int[] Draw(int revisions, int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(0, revisions + 1)).ToArray();
    }

    /// <summary>Milliseconds per load (read session + replay + text), each result checked against the reference; and the GC work meanwhile.</summary>
    public static async Task<(Summary Times, GcDelta Gc)> MeasureAsync(
        BenchStore store,
        TraceFile trace,
        int[] revisions,
        int warmup,
        CancellationToken cancellationToken,
        Func<int, CancellationToken, Task<string>>? load = null)
    {
        load ??= store.LoadTextAsync;
        var expected = Fingerprints(trace.Trace, revisions);
        foreach (var revision in Draw(store.Document.Revisions, warmup, seed: 7))
        {
            await load(revision, cancellationToken);
        }

        var times = new List<double>(revisions.Length);
        var gc = GcDelta.Start();
        foreach (var revision in revisions)
        {
            var start = Clock.Now();
            var text = await load(revision, cancellationToken);
            times.Add(Clock.MillisecondsSince(start));
            if (Fingerprint.Of(text) != expected[revision])
            {
                throw new InvalidOperationException($"{trace.Name}: revision {revision} replayed from the store differs from the trace replayed in memory");
            }
        }

        return (Summary.Of(times), gc.Stop());
    }

    /// <summary>The text at each wanted revision, replayed in memory straight from the trace (one pass).</summary>
    public static Dictionary<int, Fingerprint> Fingerprints(EditingTrace trace, IEnumerable<int> revisions)
    {
        var wanted = new SortedSet<int>(revisions);
        var result = new Dictionary<int, Fingerprint>();
        var buffer = new TextBuffer(trace.StartContent);
        var revision = 0;
        foreach (var want in wanted)
        {
            for (; revision < want; revision++)
            {
                foreach (var patch in trace.Transactions[revision].Patches)
                {
                    buffer.Apply(patch);
                }
            }

            result[want] = Fingerprint.Of(buffer.ToString());
        }

        return result;
    }
}

/// <summary>Length and a process-local hash of a text: enough to tell two replays apart without keeping both.</summary>
internal readonly record struct Fingerprint(int Length, int Hash)
{
    public static Fingerprint Of(string text) => new(text.Length, string.GetHashCode(text, StringComparison.Ordinal));
}
