// Drift benchmark (issue 12): the self-training simulator on the ~2 MB real corpus, and the drift
// metrics on 50,000 responses per round. Writes a markdown report (default bench/results/drift.md).
//   dotnet run -c Release --project bench/Plumbline.Bench.Drift -- [--part all|simulate|metrics] [--rounds 10] [--responses 50000] [--resamples 20] [--out FILE]
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Plumbline.Core.Analysis;
using Plumbline.Core.Supervision.Drift;
using Plumbline.Models.Drift;
using Plumbline.Models.Lsa;
using Plumbline.Models.Ngram;

var rounds = Arg("--rounds", 10);
var responses = Arg("--responses", 50_000);
var resamples = Arg("--resamples", 20);
var part = ArgText("--part", "all");
var outPath = ArgText("--out", Path.Combine(Root(), "bench", "results", part == "all" ? "drift.md" : $"drift-{part}.md"));
var report = new StringBuilder();
void Line(string text = "")
{
    report.AppendLine(text);
    Console.WriteLine(text);
}

var realdata = Path.Combine(Root(), "..", "shared", "realdata");
var corpus = LoadCorpus(realdata);
var bytes = corpus.Sum(t => (long)Encoding.UTF8.GetByteCount(t) + 1);
Line("# Drift benchmark");
Line();
Line($"Command: `dotnet run -c Release --project bench/Plumbline.Bench.Drift -- --part {part} --rounds {rounds} --responses {responses} --resamples {resamples}`  ");
Line($"Machine: {Environment.ProcessorCount} logical cores, {RuntimeDescription()}; load average at start {LoadAverage()} (shared machine: absolute times are noisy, ratios are measured in the same run).");
Line();
Line($"Corpus: the final texts of the four editing traces (one text per non-empty line), the statements of the 12 persona files and the questions of the 3 advanced-ai-risk files: {corpus.Count:N0} texts, {bytes / 1e6:F2} MB.");
Line();

// ---- 1. simulate: time per round, with and without replay, and the collapse table
if (part is "all" or "simulate")
{
    await Simulate();
}

if (part is "all" or "metrics")
{
    await Metrics();
}

Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
File.WriteAllText(outPath, report.ToString());
Console.Error.WriteLine($"written {outPath}");

async Task Simulate()
{
    var tables = new List<(string Name, IDriftMonitor Monitor, List<SimulationRound> Steps, List<double> MetricSeconds)>();
    foreach (var (name, replay) in new[] { ("self-preference, no replay", 0.0), ("self-preference, replay 0.1", 0.1) })
    {
        var options = new SimulationOptions(rounds, replay, new Curation(CurationKind.Self), Seed: 1);
        IDriftMonitor? monitor = null;
        var steps = new List<SimulationRound>();
        var metricSeconds = new List<double>();
        await foreach (var step in SelfTrainingSimulator.RunAsync(corpus, options, TimeProvider.System))
        {
            var watch = Stopwatch.StartNew();
            if (monitor is null)
            {
                var scorer = DriftScorers.Create(corpus, lsa: new LsaOptions(Dimensions: 100, Seed: 1), round0Model: step.Model);
                monitor = await DriftAnalysis.StartAsync("corpus", corpus, scorer, new KMeansClusterer(), new DriftOptions(Seed: 1, Resamples: resamples), probes: false);
            }

            await monitor.AddRoundAsync($"generation {step.Round}", step.Samples);
            metricSeconds.Add(watch.Elapsed.TotalSeconds);
            steps.Add(step);
            Console.Error.WriteLine($"{name}: round {step.Round} simulate {step.Elapsed.TotalSeconds:F1} s, metrics {metricSeconds[^1]:F1} s");
        }

        tables.Add((name, monitor!, steps, metricSeconds));
    }

    var trainWatch = Stopwatch.StartNew();
    NgramModel.Train(corpus, new NgramOptions(Order: 3));
    var baselineTrain = trainWatch.Elapsed.TotalSeconds;
    Line($"## Simulate: {rounds} rounds, {corpus.Count:N0} samples per round (order-3 n-gram, self-preference curation keeping the likelier half of 2× candidates)");
    Line();
    Line($"Baseline measured in the same run: training one order-3 model on the corpus = {baselineTrain:F2} s.");
    Line();
    Line("| run | round | train + sample (s) | ÷ baseline train | drift metrics (s) |");
    Line("|---|---:|---:|---:|---:|");
    foreach (var (name, _, steps, metricSeconds) in tables)
    {
        for (var r = 0; r < steps.Count; r++)
        {
            Line($"| {name} | {r} | {steps[r].Elapsed.TotalSeconds:F2} | {steps[r].Elapsed.TotalSeconds / baselineTrain:F1}× | {metricSeconds[r]:F2} |");
        }
    }

    Line();
    Line("## Collapse, round by round (the same runs)");
    Line();
    string[] shown = [DriftMetrics.Distinct2, DriftMetrics.SelfBleu, DriftMetrics.MeanLength, DriftMetrics.EmptyShare, DriftMetrics.Vendi, DriftMetrics.TokenEntropy, DriftMetrics.FrechetToReference, DriftMetrics.ClassifierAucToReference, DriftMetrics.PerplexityMedian, DriftMetrics.PerplexityTailShare, DriftMetrics.ClustersVanished];
    foreach (var (name, monitor, _, _) in tables)
    {
        Line($"**{name}**");
        Line();
        Line("| round | " + string.Join(" | ", shown) + " |");
        Line("|---:|" + string.Concat(shown.Select(_ => "---:|")));
        Line("| reference | " + string.Join(" | ", shown.Select(m => F(monitor.Reference.Metrics.GetValueOrDefault(m, double.NaN)))) + " |");
        foreach (var round in monitor.Rounds)
        {
            Line($"| {round.Round} | " + string.Join(" | ", shown.Select(m => F(round.Metrics.GetValueOrDefault(m, double.NaN)))) + " |");
        }

        Line();
    }
}

// ---- 2. metrics on 50k responses per round
async Task Metrics()
{
    Line($"## Drift metrics on {responses:N0} responses per round ({resamples} bootstrap resamples per metric, k = 8, LSA d = 100)");
    Line();
    var model0 = NgramModel.Train(corpus, new NgramOptions(Order: 3));
    var round0 = Draw(model0, responses, 7);
    var model1 = NgramModel.Train(round0, new NgramOptions(Order: 3));
    var round1 = Draw(model1, responses, 8);
    var reference = Enumerable.Range(0, responses).Select(i => corpus[i % corpus.Count]).ToArray();
    GC.Collect();
    var before = GC.GetTotalAllocatedBytes(precise: true);
    var total = Stopwatch.StartNew();
    var phase = Stopwatch.StartNew();
    var bigScorer = DriftScorers.Create(reference, lsa: new LsaOptions(Dimensions: 100, Seed: 1));
    var lsaSeconds = phase.Elapsed.TotalSeconds;
    phase.Restart();
    var big = await DriftAnalysis.StartAsync("reference", reference, bigScorer, new KMeansClusterer(), new DriftOptions(Seed: 1, Resamples: resamples), probes: false);
    var referenceSeconds = phase.Elapsed.TotalSeconds;
    phase.Restart();
    await big.AddRoundAsync("round 0", round0);
    var round0Seconds = phase.Elapsed.TotalSeconds;
    phase.Restart();
    await big.AddRoundAsync("round 1", round1);
    var round1Seconds = phase.Elapsed.TotalSeconds;
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
    var peak = Process.GetCurrentProcess().PeakWorkingSet64;

    // baselines in the same run: tokenizing 50k responses (the least any text metric does), and naive self-BLEU (every text against all others) at small n
    phase.Restart();
    var tokenized = TokenizedCorpus.Create(round1);
    var tokenizeSeconds = phase.Elapsed.TotalSeconds;
    var small = round1.Take(1000).ToArray();
    phase.Restart();
    var smallCorpus = TokenizedCorpus.Create(small);
    var indexScores = Bleu.SelfBleuScores(Enumerable.Range(1, 4).Select(n => NgramIndex.Build(smallCorpus, n)).ToArray());
    var indexSeconds = phase.Elapsed.TotalSeconds;
    phase.Restart();
    var tokens = small.Select(t => (IReadOnlyList<string>)Tokenizer.Tokenize(t)).ToArray();
    var naive = new double[small.Length];
    for (var i = 0; i < small.Length; i++)
    {
        naive[i] = Bleu.Sentence(tokens[i], tokens.Where((_, j) => j != i).ToArray());
}

var naiveSeconds = phase.Elapsed.TotalSeconds;
var maxDifference = naive.Zip(indexScores, (a, b) => Math.Abs(a - b)).Max();
Line("| step | time (s) |");
Line("|---|---:|");
Line($"| fit LSA on the reference ({responses:N0} texts) | {lsaSeconds:F2} |");
Line($"| reference: embed, n-gram index, diversity, k-means | {referenceSeconds:F2} |");
Line($"| round 0: all metrics + n-gram model on round 0 + reference perplexities | {round0Seconds:F2} |");
Line($"| round 1: all metrics | {round1Seconds:F2} |");
Line($"| total | {total.Elapsed.TotalSeconds - tokenizeSeconds - indexSeconds - naiveSeconds:F2} |");
Line();
Line($"Memory: peak working set {peak / 1e6:F0} MB; {allocated / 1e9:F2} GB allocated over the whole measurement.  ");
Line($"Baseline (same run): tokenizing the {responses:N0} responses of round 1 takes {tokenizeSeconds:F2} s, so one full round of metrics costs {round1Seconds / tokenizeSeconds:F0}× a tokenization pass.  ");
Line($"Self-BLEU through the shared n-gram index vs NLTK-style sentence BLEU of each text against all others, on 1,000 responses: {indexSeconds * 1000:F0} ms vs {naiveSeconds:F1} s ({naiveSeconds / indexSeconds:F0}× faster; largest difference between the two {maxDifference:E1}); the naive cost grows with n², so at {responses:N0} it would be about {naiveSeconds * Math.Pow(responses / 1000.0, 2) / 3600:F0} h.");
GC.KeepAlive(tokenized);
}

static string[] Draw(NgramModel model, int count, int seed)
{
    var result = new string[count];
    Parallel.For(0, count, i => result[i] = model.SampleText(new Random(unchecked((seed * 1_000_003) + i)), new SampleOptions(MaxTokens: 64)));
    return result;
}

static List<string> LoadCorpus(string realdata)
{
    var texts = new List<string>();
    foreach (var trace in Directory.GetFiles(Path.Combine(realdata, "editing-traces"), "*.json.gz").Order(StringComparer.Ordinal))
    {
        using var stream = new GZipStream(File.OpenRead(trace), CompressionMode.Decompress);
        using var document = JsonDocument.Parse(stream);
        texts.AddRange(document.RootElement.GetProperty("endContent").GetString()!.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
    }

    foreach (var file in Directory.GetFiles(Path.Combine(realdata, "anthropic-evals"), "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
    {
        if (file.Contains("prompts_for_few_shot", StringComparison.Ordinal))
        {
            continue;
        }

        foreach (var line in File.ReadLines(file))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var text = root.TryGetProperty("statement", out var statement) ? statement.GetString()! : root.GetProperty("question").GetString()!;
            texts.Add(string.Join(' ', text.Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries)));
        }
    }

    return texts;
}

static string F(double value) => double.IsFinite(value) ? value.ToString(Math.Abs(value) >= 100 ? "F1" : "F3", CultureInfo.InvariantCulture) : "–";

static string Root()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Plumbline.slnx")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? Directory.GetCurrentDirectory();
}

static string RuntimeDescription() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

string ArgText(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
