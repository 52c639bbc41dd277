using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Plumbline.Core.Analysis.Clustering;
using Plumbline.Core.Supervision;
using Plumbline.Core.Supervision.Diff;
using Plumbline.Models;
using Plumbline.Models.Diff;
using Plumbline.Models.Lsa;

// Behaviour-diff benchmark: the offline diff of N responses end to end, and its embed + cluster core
// side by side with scikit-learn (TfidfVectorizer + TruncatedSVD + KMeans, same k, same dimensions)
// on the same texts in the same run: time ratio and adjusted Rand index of the two clusterings.
// Wall and CPU time are both reported: on a shared machine CPU seconds are the steadier measure.
// Usage: dotnet run -c Release --project bench/Plumbline.Bench.Supervision -- [SIZES...] (default 10000 50000 200000)
var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [10_000, 50_000, 200_000];
var root = FindRoot();
var personaDir = Path.Combine(root, "..", "shared", "realdata", "anthropic-evals", "persona");
var statements = Directory.GetFiles(personaDir, "*.jsonl").Order(StringComparer.Ordinal)
    .Select(f => (Persona: Path.GetFileNameWithoutExtension(f), Lines: File.ReadLines(f).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("statement").GetString()!).ToArray()))
    .ToArray();
var scratch = Directory.CreateTempSubdirectory("plumbline-bench-diff-");
var loadBefore = LoadAverage();
var lines = new List<string>
{
    "# Behaviour diff benchmark",
    "",
    $"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; texts: two real persona statements (anthropics/evals, 12 personas) of the same persona joined per response; after-side topic mix shifted.",
    "",
    "| n | plumb diff end to end: wall (CPU) | peak working set | k (silhouette, 1-SE rule) | plumb LSA + k-means: wall (CPU) | scikit-learn TF-IDF + SVD + KMeans: wall (CPU) | sklearn peak RSS | ratio sklearn / plumb: wall (CPU) | ARI plumb vs sklearn | ARI plumb vs persona | ARI sklearn vs persona | null check |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
};
try
{
    foreach (var n in sizes)
    {
        var (before, after, truth) = Build(statements, n, seed: n);
        var texts = before.Concat(after).Select(s => s.Response).ToArray();

        // 1. the offline diff end to end (LSA, k by silhouette, tests, stability, null check)
        var models = DiffModelFactory.Create(ModelCatalog.Empty, "builtin:lsa");
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var report = await BehaviourDiff.RunAsync(before, after, models, new DiffOptions { Seed = 1 });
        var diffSeconds = watch.Elapsed.TotalSeconds;
        process.Refresh();
        var diffCpu = (process.TotalProcessorTime - cpu).TotalSeconds;
        var peak = process.PeakWorkingSet64;
        var k = report.Summary.K;

        // 2. the embed + cluster core with that k, plumb vs scikit-learn on the same texts
        cpu = process.TotalProcessorTime;
        watch.Restart();
        var lsa = LsaModel.Fit(texts, new LsaOptions(Dimensions: 100, Seed: 0));
        var vectors = lsa.Embed(texts);
        var fit = KMeans.Fit(vectors, k, new KMeansOptions(Seed: 0, Restarts: 4));
        var plumbSeconds = watch.Elapsed.TotalSeconds;
        process.Refresh();
        var plumbCpu = (process.TotalProcessorTime - cpu).TotalSeconds;

        var input = Path.Combine(scratch.FullName, $"texts-{n}.jsonl");
        await File.WriteAllLinesAsync(input, texts.Select(t => JsonSerializer.Serialize(new { text = t })));
        var labelsPath = Path.Combine(scratch.FullName, $"labels-{n}.txt");
        var python = Process.Start(new ProcessStartInfo("/usr/bin/python3", [Path.Combine(root, "bench", "Plumbline.Bench.Supervision", "sklearn_lsa_kmeans.py"), input, k.ToString(CultureInfo.InvariantCulture), "100", labelsPath]) { RedirectStandardOutput = true })!;
        var pythonOut = await python.StandardOutput.ReadToEndAsync();
        await python.WaitForExitAsync();
        if (python.ExitCode != 0)
        {
            throw new InvalidOperationException($"scikit-learn baseline failed ({python.ExitCode})");
        }

        var sklearn = JsonDocument.Parse(pythonOut).RootElement;
        var (sklearnSeconds, sklearnCpu, sklearnPeak) = (sklearn.GetProperty("seconds").GetDouble(), sklearn.GetProperty("cpu_seconds").GetDouble(), sklearn.GetProperty("peak_mib").GetDouble());
        var sklearnLabels = (await File.ReadAllLinesAsync(labelsPath)).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        var personaIds = truth.Select(t => Array.FindIndex(statements, s => s.Persona == t)).ToArray();
        var ariPair = AdjustedRandIndex.Compute(fit.Assignments, sklearnLabels);
        var ariPlumbTruth = AdjustedRandIndex.Compute(fit.Assignments, personaIds);
        var ariSklearnTruth = AdjustedRandIndex.Compute(sklearnLabels, personaIds);
        var nullCheck = report.NullCheck is { } nc ? $"{nc.SignificantClusters} of {nc.Clusters} significant" : "–";
        var row = $"| {n:N0} | {diffSeconds:F1} s ({diffCpu:F1} s) | {peak / 1048576.0:F0} MiB | {k} | {plumbSeconds:F2} s ({plumbCpu:F2} s) | {sklearnSeconds:F2} s ({sklearnCpu:F2} s) | {sklearnPeak:F0} MiB | {sklearnSeconds / plumbSeconds:F2} ({sklearnCpu / plumbCpu:F2}) | {ariPair:F3} | {ariPlumbTruth:F3} | {ariSklearnTruth:F3} | {nullCheck} |";
        lines.Add(row);
        await File.WriteAllLinesAsync(Path.Combine(root, "bench", "results", "supervision-diff.md"), lines); // rows so far, in case a larger size is stopped
        Console.Error.WriteLine(row);
        Console.Error.WriteLine($"  diff: {report.Summary.SignificantClusters} significant clusters, {report.Summary.SignificantGroups} groups, null check {report.NullCheck?.SignificantClusters} of {report.NullCheck?.Clusters}; {report.Summary.KRule}");
    }
}
finally
{
    scratch.Delete(recursive: true);
}

lines.Add("");
lines.Add($"Command: `dotnet run -c Release --project bench/Plumbline.Bench.Supervision -- {string.Join(' ', sizes)}` (one run; both sides of each row measured back to back). Load average before: {loadBefore}; after: {LoadAverage()}. Ratio > 1: plumb faster. CPU seconds are summed over threads (plumb and scikit-learn both use the 2 cores).");
var results = Path.Combine(root, "bench", "results", "supervision-diff.md");
await File.WriteAllLinesAsync(results, lines);
Console.WriteLine(string.Join("\n", lines));

// n responses, each two statements of one persona; before: uniform over personas; after: persona 0 doubled, persona 1 halved
static (List<ModelSample> Before, List<ModelSample> After, List<string> Truth) Build((string Persona, string[] Lines)[] statements, int n, int seed)
{
    var random = new Random(seed);
    var before = new List<ModelSample>();
    var after = new List<ModelSample>();
    var truth = new List<string>();
    var weightsAfter = statements.Select((_, i) => i == 0 ? 2.0 : i == 1 ? 0.5 : 1.0).ToArray();
    for (var side = 0; side < 2; side++)
    {
        var list = side == 0 ? before : after;
        var weights = side == 0 ? statements.Select(_ => 1.0).ToArray() : weightsAfter;
        var total = weights.Sum();
        for (var i = 0; i < n / 2; i++)
        {
            var r = random.NextDouble() * total;
            var p = 0;
            while (r > weights[p])
            {
                r -= weights[p];
                p++;
            }

            var lines = statements[p].Lines;
            var text = lines[random.Next(lines.Length)] + ". " + lines[random.Next(lines.Length)];
            list.Add(new ModelSample($"{side}-{i}", side == 0 ? "before" : "after", "", text));
            truth.Add(statements[p].Persona);
        }
    }

    return (before, after, truth);
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Plumbline.slnx")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? throw new InvalidOperationException("no Plumbline.slnx above the benchmark");
}
