using System.Diagnostics;
using System.Globalization;
using System.Text;
using Plumbline.Bench.Capture;

// Capture-path benchmarks: `plumb watch` under a burst of saves, and a 5,000-commit git import.
// Usage: dotnet run -c Release --project bench/Plumbline.Bench.Capture -- [watch|git|redaction|all] [--files N] [--saves N] [--commits N]
var what = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

var report = new StringBuilder();
report.AppendLine("# Capture benchmarks");
report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"- Command: `dotnet run -c Release --project bench/Plumbline.Bench.Capture -- {string.Join(' ', args)}`");
report.AppendLine(CultureInfo.InvariantCulture, $"- Date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} logical CPUs; .NET {Environment.Version}");
report.AppendLine();
if (what is "watch" or "all")
{
    await WatchBurst.RunAsync(report, Option("--files", 1000), Option("--saves", 10_000));
}

if (what is "redaction" or "all")
{
    await RedactionCost.RunAsync(report, Option("--rounds", 3));
}

if (what is "git" or "all")
{
    await GitHistory.RunAsync(report, Option("--commits", 5000));
}

var output = Path.Combine(FindBench(), "results", "capture.md");
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
await File.WriteAllTextAsync(output, report.ToString());
Console.WriteLine(report);
Console.WriteLine($"written to {output}");

static string FindBench()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Plumbline.slnx")))
        {
            return Path.Combine(dir.FullName, "bench");
        }
    }

    return Path.GetTempPath();
}

namespace Plumbline.Bench.Capture
{
    internal static class Setup
    {
        public static async Task<Plumbline.Storage.ITraceStore> StoreAsync(string folder, string sources)
        {
            var store = Plumbline.Storage.TraceStores.Open(Path.Combine(folder, "bench.db"));
            var contributors = new Plumbline.Storage.Consent.ContributorService(store, TimeProvider.System);
            await contributors.AddAsync("ada", default);
            await contributors.SetConsentAsync(
                "ada",
                new Plumbline.Core.Consent.ConsentTerms(
                    Plumbline.Core.Consent.ConsentTerms.ParseSources(sources, "s"),
                    Plumbline.Core.Consent.ConsentTerms.ParseUses("research", "u"),
                    null),
                null,
                "bench",
                default);
            return store;
        }

        public static string Percentiles(List<double> values)
        {
            if (values.Count == 0)
            {
                return "–";
            }

            values.Sort();
            double P(double q) => values[Math.Min(values.Count - 1, (int)(q * values.Count))];
            return string.Create(CultureInfo.InvariantCulture, $"p50 {P(0.5):F0} ms, p95 {P(0.95):F0} ms, max {values[^1]:F0} ms");
        }

        public static Stopwatch Time() => Stopwatch.StartNew();
    }
}
