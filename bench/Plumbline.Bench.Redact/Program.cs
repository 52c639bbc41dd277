using System.Diagnostics;
using Plumbline.Core.Capture.Traces;
using Plumbline.Core.Privacy;
using Plumbline.Core.Text;

// Review redaction of a span on a real keystroke trace: the characters of the span by identity only (before:
// TraceSpan) against the span with its older copies and the text typed inside it (after: ReachSpan), each followed by
// the same rewrite of every revision (RedactCharacters). Alternating rounds in one run; medians and their ratio. Then,
// for each, how many revisions of the rewritten history still show 20 code points of the span's text.
// dotnet run -c Release --project bench/Plumbline.Bench.Redact -- [TRACE.json.gz] [--rounds N] [--span FROM:TO]
var trace = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && a.EndsWith(".gz", StringComparison.Ordinal))
    ?? Path.Combine(FindRoot(), "..", "shared", "realdata", "editing-traces", "sveltecomponent.json.gz");
var rounds = int.Parse(Option("--rounds") ?? "5", System.Globalization.CultureInfo.InvariantCulture);
var parsed = EditingTraceReader.Parse(await File.ReadAllBytesAsync(trace), Path.GetFileName(trace), 0);
var patches = parsed.Transactions.Select(t => t.Patches).ToList();
var end = parsed.EndContent!;
var (from, to) = Option("--span") is { } span
    ? (int.Parse(span.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(span.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture))
    : (CodePoints.Count(end) / 2, (CodePoints.Count(end) / 2) + 80);
var spanText = Slice(end, from, to);
Console.Error.WriteLine($"{Path.GetFileName(trace)}: {patches.Count:N0} revisions, {patches.Sum(p => p.Length):N0} patches; span {from}:{to}; {rounds} rounds");

IReadOnlySet<int> Before() => HistoryRedactor.TraceSpan(parsed.StartContent, patches, from, to).Ids.ToHashSet();
IReadOnlySet<int> After() => HistoryRedactor.ReachSpan(parsed.StartContent, patches, from, to, _ => true).Ids;

var beforeMs = new List<double>();
var afterMs = new List<double>();
var reachMs = new List<double>();
Measure(Before); // warm-up, not counted
Measure(After);
for (var round = 0; round < rounds; round++)
{
    beforeMs.Add(Measure(Before).Total);
    var after = Measure(After);
    afterMs.Add(after.Total);
    reachMs.Add(after.Ids);
    Console.Error.WriteLine($"round {round + 1}: before {beforeMs[^1]:F0} ms, after {afterMs[^1]:F0} ms (of which finding the characters {reachMs[^1]:F0} ms)");
}

var reach = HistoryRedactor.ReachSpan(parsed.StartContent, patches, from, to, _ => true);
var (beforeShown, _) = Shown(Before());
var (afterShown, finalText) = Shown(reach.Ids);
var report = new System.Text.StringBuilder()
    .AppendLine("# Review redaction of a span: by identity only (before) vs with older copies and text typed inside (after)")
    .AppendLine()
    .AppendLine($"`dotnet run -c Release --project bench/Plumbline.Bench.Redact -- --rounds {rounds}`; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores, load average before: {LoadAverage()}.")
    .AppendLine("Each time is finding the characters plus rewriting every revision (`RedactCharacters`), in memory; medians of alternating rounds in one run.")
    .AppendLine()
    .AppendLine("| trace | revisions | span | characters redacted before → after | median before | median after | ratio | revisions still showing 20 code points of the span before → after |")
    .AppendLine("|---|---|---|---|---|---|---|---|")
    .AppendLine(
        $"| {Path.GetFileName(trace)} | {patches.Count:N0} | {from}:{to} | {to - from} → {reach.Ids.Count} ({reach.Copies} copies, {reach.CopyCharacters} copied, {reach.TypedInside} typed inside) | {Median(beforeMs):F0} ms | {Median(afterMs):F0} ms (finding the characters {Median(reachMs):F0} ms) | {Median(afterMs) / Median(beforeMs):F1}× | {beforeShown:N0} → {afterShown:N0} |")
    .AppendLine()
    .AppendLine($"Rounds (ms): before {string.Join(", ", beforeMs.Select(x => x.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}; after {string.Join(", ", afterMs.Select(x => x.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}; load average after: {LoadAverage()}.")
    .ToString();
Console.Write(report);
var results = Path.Combine(FindRoot(), "bench", "results", "redact.md");
await File.WriteAllTextAsync(results, report);
Console.Error.WriteLine($"written {results}");
if (finalText != Slice(end, 0, from) + HistoryRedactor.ReviewPlaceholder + end[CodePoints.ToUtf16Index(end, to)..])
{
    throw new InvalidOperationException("the rewritten history does not end in the redacted text");
}

(double Total, double Ids) Measure(Func<IReadOnlySet<int>> ids)
{
    var watch = Stopwatch.StartNew();
    var set = ids();
    var found = watch.Elapsed.TotalMilliseconds;
    var redacted = HistoryRedactor.RedactCharacters(parsed.StartContent, patches, set);
    GC.KeepAlive(redacted);
    return (watch.Elapsed.TotalMilliseconds, found);
}

// Revisions of the rewritten history that contain the first, middle or last 20 code points of the span.
(int Count, string Final) Shown(IReadOnlySet<int> ids)
{
    var redacted = HistoryRedactor.RedactCharacters(parsed.StartContent, patches, ids);
    string[] probes = [spanText[..20], spanText[30..50], spanText[^20..]];
    var text = new TextBuffer(redacted.Start);
    var count = 0;
    foreach (var revision in redacted.Revisions)
    {
        foreach (var patch in revision)
        {
            text.Apply(patch);
        }

        var shown = text.ToString();
        count += probes.Any(p => shown.Contains(p, StringComparison.Ordinal)) ? 1 : 0;
    }

    return (count, text.ToString());
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static string Slice(string s, int from, int to) => s[CodePoints.ToUtf16Index(s, from)..CodePoints.ToUtf16Index(s, to)];

static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Plumbline.slnx")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("Plumbline.slnx not found above " + AppContext.BaseDirectory);
}
