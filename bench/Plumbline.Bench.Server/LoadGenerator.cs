using System.Diagnostics;
using Plumbline.Core;
using Plumbline.Server.Client;
using Plumbline.Server.Contracts;

namespace Plumbline.Bench.Server;

/// <summary>What a load run measured. Latencies in milliseconds; <see cref="Errors"/> must be 0.</summary>
public sealed record LoadResult(
    int Clients,
    int Requests,
    int Writes,
    int Reads,
    int Errors,
    double Seconds,
    double RequestsPerSecond,
    double P50,
    double P99,
    double WriteP50,
    double WriteP99,
    double ReadP50,
    double ReadP99,
    IReadOnlyList<string> ErrorSamples)
{
    public override string ToString() =>
        $"{Clients} clients, {Requests} requests ({Writes} batches of {LoadGenerator.Keystrokes} keystrokes, {Reads} replays) in {Seconds:F2} s: " +
        $"{RequestsPerSecond:F0} requests/s, p50 {P50:F1} ms, p99 {P99:F1} ms (batches p50 {WriteP50:F1} / p99 {WriteP99:F1}, replays p50 {ReadP50:F1} / p99 {ReadP99:F1}), {Errors} errors";
}

/// <summary>
/// Concurrent clients on loopback, each with its own connection and document: two edit batches (a few
/// keystrokes appended, based on the revision it last saw) for every replay of the whole document.
/// Bounded by count (<c>clients × requestsPerClient</c>) and by <c>cap</c> in time; stops by itself.
/// </summary>
public static class LoadGenerator
{
    public const int Keystrokes = 4;

    public static async Task<LoadResult> RunAsync(Uri server, string token, int clients, int requestsPerClient, TimeSpan cap, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clients, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(requestsPerClient, 1);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(cap);
        var run = Guid.NewGuid().ToString("N")[..8];
        var writes = new List<double>[clients];
        var reads = new List<double>[clients];
        var errors = new List<string>[clients];
        var total = Stopwatch.StartNew();
        await Parallel.ForAsync(0, clients, new ParallelOptions { MaxDegreeOfParallelism = clients }, async (c, _) =>
        {
            (writes[c], reads[c], errors[c]) = ([], [], []);
            using var client = PlumblineClient.Create(server, token, TimeSpan.FromSeconds(60));
            var document = $"load-{run}-{c}";
            var revision = 0;
            var length = 0;
            for (var i = 0; i < requestsPerClient && !timeout.IsCancellationRequested; i++)
            {
                var watch = Stopwatch.StartNew();
                try
                {
                    if (i % 3 == 2)
                    {
                        var replay = await client.ReplayAsync(document, null, null, timeout.Token);
                        if (replay.Length != length)
                        {
                            throw new InvalidOperationException($"{document}: replay has {replay.Length} code points, expected {length}");
                        }

                        reads[c].Add(watch.Elapsed.TotalMilliseconds);
                    }
                    else
                    {
                        var transactions = Enumerable.Range(0, Keystrokes)
                            .Select(k => new TransactionDto([new PatchDto(length + k, 0, "é")]))
                            .ToList();
                        var result = await client.PostBatchAsync(document, new EditBatchRequest($"{document}-{i}", revision, transactions), timeout.Token);
                        writes[c].Add(watch.Elapsed.TotalMilliseconds);
                        revision = result.Revision;
                        length += Keystrokes;
                    }
                }
                catch (Exception e) when (e is PlumblineException or InvalidOperationException or HttpRequestException)
                {
                    errors[c].Add(e.Message);
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                {
                    break;
                }
            }
        });
        total.Stop();
        var all = writes.SelectMany(w => w).Concat(reads.SelectMany(r => r)).Order().ToList();
        var w = writes.SelectMany(x => x).Order().ToList();
        var r = reads.SelectMany(x => x).Order().ToList();
        var errorCount = errors.Sum(e => e.Count);
        return new LoadResult(
            clients,
            all.Count + errorCount,
            w.Count,
            r.Count,
            errorCount,
            total.Elapsed.TotalSeconds,
            (all.Count + errorCount) / total.Elapsed.TotalSeconds,
            Percentile(all, 0.50),
            Percentile(all, 0.99),
            Percentile(w, 0.50),
            Percentile(w, 0.99),
            Percentile(r, 0.50),
            Percentile(r, 0.99),
            errors.SelectMany(e => e).Take(5).ToList());
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
