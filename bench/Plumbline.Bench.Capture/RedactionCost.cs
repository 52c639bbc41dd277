using System.Globalization;
using System.Text;
using Plumbline.Core.Capture;
using Plumbline.Core.Capture.Traces;
using Plumbline.Storage;
using Plumbline.Storage.Ingest;

namespace Plumbline.Bench.Capture;

/// <summary>In-process ingest of real traces with and without the redaction stage, interleaved, in fresh stores.</summary>
internal static class RedactionCost
{
    public static async Task RunAsync(StringBuilder report, int rounds)
    {
        report.AppendLine("## Redaction: its cost on ingest");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"`EditIngest` in process (trace already parsed), fresh SQLite store per run, median of {rounds} interleaved rounds; `StoreOptions.Redact = false` is the baseline.");
        report.AppendLine();
        report.AppendLine("| trace | patches | ingest without redaction | with redaction | ratio | secrets found |");
        report.AppendLine("|---|---|---|---|---|---|");
        var data = FindRealData();
        foreach (var name in new[] { "automerge-paper", "seph-blog1", "rustcode", "sveltecomponent" })
        {
            var trace = EditingTraceReader.Parse(await File.ReadAllBytesAsync(Path.Combine(data, "editing-traces", name + ".json.gz")), name, 0);
            var off = new List<double>();
            var on = new List<double>();
            var secrets = 0;
            for (var round = 0; round < rounds; round++)
            {
                off.Add((await IngestAsync(trace, name, redact: false)).Ms);
                var (ms, found) = await IngestAsync(trace, name, redact: true);
                on.Add(ms);
                secrets = found;
            }

            off.Sort();
            on.Sort();
            var (a, b) = (off[off.Count / 2], on[on.Count / 2]);
            report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {trace.PatchCount:N0} | {a:F0} ms | {b:F0} ms | {b / a:F2}× | {secrets} |");
        }

        report.AppendLine();
    }

    private static async Task<(double Ms, int Secrets)> IngestAsync(EditingTrace trace, string name, bool redact)
    {
        var root = Path.Combine(Path.GetTempPath(), "plumbline-bench-redact-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            await using var store = await Setup.StoreAsync(root, "documents");
            var ingest = new EditIngest(store, TimeProvider.System, new StoreOptions { Redact = redact });
            var batch = new EditBatch { Document = name, StartContent = trace.StartContent, Transactions = trace.Transactions, Actor = "ada", BatchId = name };
            var clock = Setup.Time();
            var result = await ingest.IngestAsync(batch, null, default);
            return (clock.Elapsed.TotalMilliseconds, result.Redacted);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string FindRealData()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "realdata");
            if (File.Exists(Path.Combine(dir.FullName, "Plumbline.slnx")) && Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("../shared/realdata not found");
    }
}
