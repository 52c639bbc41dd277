using Plumbline.Bench.Models;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plumbline.Models.Lsa;
using Plumbline.Models.Ngram;

// dotnet run -c Release --project bench/Plumbline.Bench.Models -- [--ngram-mb 5] [--lsa-texts 50000] [--nltk-mb 0.5] [--out FILE]
// Builds the corpora from ../shared/realdata, measures Plumbline's built-in models, runs the peer
// baselines (scikit-learn, NLTK via /usr/bin/python3 baseline.py) in the same run and writes a
// markdown report with ratios (default bench/results/models.md).
var ngramMb = Arg("--ngram-mb", 5.0);
var lsaTexts = (int)Arg("--lsa-texts", 50_000);
var nltkMb = Arg("--nltk-mb", 0.5);
var root = RepositoryRoot();
var output = ArgText("--out") ?? Path.Combine(root, "bench", "results", "models.md");
var loadBefore = LoadAverage();
var work = Path.Combine(Path.GetTempPath(), "plumbline-bench-models");
Directory.CreateDirectory(work);

var (distinct, sources) = Corpus.Texts(Path.GetFullPath(Path.Combine(root, "..", "shared", "realdata")));
var distinctBytes = distinct.Sum(t => (long)Encoding.UTF8.GetByteCount(t) + 1);
var ngramTexts = Corpus.ToSize(distinct, (long)(ngramMb * 1024 * 1024));
var nltkTexts = Corpus.ToSize(distinct, (long)(nltkMb * 1024 * 1024));
var lines = Corpus.Lines(distinct);
var lsaCorpus = Enumerable.Range(0, lsaTexts).Select(i => lines[i % lines.Count]).ToArray();
var ngramPath = Path.Combine(work, "ngram.txt");
var nltkPath = Path.Combine(work, "ngram-subset.txt");
var lsaPath = Path.Combine(work, "lsa.txt");
File.WriteAllLines(ngramPath, ngramTexts);
File.WriteAllLines(nltkPath, nltkTexts);
File.WriteAllLines(lsaPath, lsaCorpus);
Console.Error.WriteLine($"corpus: {distinct.Count} distinct texts, {distinctBytes / 1e6:0.00} MB; n-gram corpus {ngramTexts.Count} texts; LSA {lsaCorpus.Length} texts ({Math.Min(lines.Count, lsaTexts)} distinct)");

// n-gram, full corpus
var bytes = new FileInfo(ngramPath).Length;
var sw = Stopwatch.StartNew();
var lm = NgramModel.Train(ngramTexts, new NgramOptions(Order: 3));
var trainSeconds = sw.Elapsed.TotalSeconds;
var tokens = ngramTexts.Sum(t => (long)lm.Tokenize(t).Count + 1);
var modelPath = Path.Combine(work, "lm.bin");
sw.Restart();
lm.Save(modelPath);
var saveSeconds = sw.Elapsed.TotalSeconds;
sw.Restart();
lm = NgramModel.Load(modelPath);
var loadSeconds = sw.Elapsed.TotalSeconds;
sw.Restart();
var scored = 0L;
foreach (var text in ngramTexts.Take(20_000))
{
    scored += lm.Score(text).Tokens.Count;
}

var scoreSeconds = sw.Elapsed.TotalSeconds;
var (sampledExact, exactSeconds) = SampleTokens(lm, 2_000, 1.0);
var (sampledTempered, temperedSeconds) = SampleTokens(lm, 200, 0.8);

// n-gram, the subset NLTK also trains on
sw.Restart();
var small = NgramModel.Train(nltkTexts, new NgramOptions(Order: 3));
var smallTrainSeconds = sw.Elapsed.TotalSeconds;
var smallTokens = nltkTexts.Sum(t => (long)small.Tokenize(t).Count + 1);
sw.Restart();
var smallScored = 0L;
foreach (var text in nltkTexts)
{
    smallScored += small.Score(text).Tokens.Count;
    if (smallScored >= 2000)
    {
        break;
    }
}

var smallScoreSeconds = sw.Elapsed.TotalSeconds;

// LSA: fit (TF-IDF + randomized SVD) and embed 50k texts
sw.Restart();
var lsa = LsaModel.Fit(lsaCorpus, new LsaOptions(Dimensions: 100, Seed: 0));
var fitSeconds = sw.Elapsed.TotalSeconds;
sw.Restart();
var vectors = lsa.Embed(lsaCorpus);
var embedSeconds = sw.Elapsed.TotalSeconds;
GC.KeepAlive(vectors);

// baselines, same run
Console.Error.WriteLine("running the scikit-learn and NLTK baselines ...");
var baseline = RunBaseline(Path.Combine(AppContext.BaseDirectory, "baseline.py"), lsaPath, nltkPath, 100, 0);
var sk = baseline["lsa"]!;
var nl = baseline["ngram"]!;

var report = new StringBuilder();
var inv = CultureInfo.InvariantCulture;
report.AppendLine("# Built-in models: benchmark");
report.AppendLine();
report.AppendLine(inv, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, .NET {Environment.Version}, one run (`dotnet run -c Release --project bench/Plumbline.Bench.Models -- --ngram-mb {ngramMb} --lsa-texts {lsaTexts} --nltk-mb {nltkMb}`).");
report.AppendLine(inv, $"Load average (1 min) before / after: {loadBefore} / {LoadAverage()} — the machine is shared; absolute times stretch with load, the ratios are measured under the same load.");
report.AppendLine(inv, $"Corpus: the question/statement texts of ../shared/realdata/anthropic-evals and the final texts of the editing traces ({sources}): {distinct.Count:N0} distinct texts, {distinctBytes / 1e6:0.00} MB. The n-gram corpus repeats them to {bytes / 1e6:0.00} MB ({ngramTexts.Count:N0} texts, {tokens:N0} tokens with </s>); the LSA corpus is their {lines.Count:N0} distinct non-blank lines, cycled to {lsaCorpus.Length:N0} texts.");
report.AppendLine();
report.AppendLine("## n-gram language model (order 3, interpolated modified Kneser–Ney)");
report.AppendLine();
report.AppendLine("| what | Plumbline | NLTK baseline | ratio (NLTK time / Plumbline time) |");
report.AppendLine("|---|---|---|---|");
var nlTokens = nl["tokens"]?.GetValue<long>() ?? 0;
var nlTrain = (nl["tokenize_seconds"]?.GetValue<double>() ?? double.NaN) + (nl["train_seconds"]?.GetValue<double>() ?? double.NaN);
report.AppendLine(inv, $"| train on {bytes / 1e6:0.00} MB | {trainSeconds:0.00} s ({tokens / trainSeconds / 1e6:0.00} M tokens/s) | — | — |");
report.AppendLine(inv, $"| train on the {nltkMb} MB subset ({smallTokens:N0} tokens), tokenizing included | {smallTrainSeconds:0.000} s ({smallTokens / smallTrainSeconds / 1e6:0.00} M tokens/s) | {nlTrain:0.00} s ({nlTokens / nlTrain / 1e6:0.000} M tokens/s) | {nlTrain / smallTrainSeconds:0.0}× |");
var nlScoreRate = (nl["score_tokens"]?.GetValue<int>() ?? 0) / (nl["score_seconds"]?.GetValue<double>() ?? double.NaN);
report.AppendLine(inv, $"| score (log-probability per token) | {scored / scoreSeconds / 1e6:0.00} M tokens/s (5 MB model, {scored:N0} tokens); {smallScored / smallScoreSeconds / 1e3:0.0} k tokens/s on the subset model's first {smallScored:N0} | {nlScoreRate / 1e3:0.00} k tokens/s (first {nl["score_tokens"]} tokens) | {smallScored / smallScoreSeconds / nlScoreRate:0}× |");
var nlGenRate = (nl["generate_tokens"]?.GetValue<int>() ?? 0) / (nl["generate_seconds"]?.GetValue<double>() ?? double.NaN);
report.AppendLine(inv, $"| sample, temperature 1 (exact, by backing off) | {sampledExact / exactSeconds / 1e3:0.0} k tokens/s ({sampledExact:N0} tokens) | {nlGenRate:0} tokens/s (generate, {nl["generate_tokens"]} tokens, subset model) | {sampledExact / exactSeconds / nlGenRate:0}× |");
report.AppendLine(inv, $"| sample, temperature 0.8 (full distribution per token, vocabulary {lm.VocabularySize:N0}) | {sampledTempered / temperedSeconds / 1e3:0.0} k tokens/s ({sampledTempered:N0} tokens) | — | — |");
report.AppendLine(inv, $"| save / load the 5 MB model ({new FileInfo(modelPath).Length / 1e6:0.0} MB file) | {saveSeconds:0.00} s / {loadSeconds:0.00} s | — | — |");
report.AppendLine();
report.AppendLine(inv, $"NLTK: {nl["library"]}. Its KneserNeyInterpolated is plain interpolated Kneser–Ney (one discount, 0.1), in pure Python; its generate() samples among words seen after the context. The 5 MB run is not given to NLTK (it would take minutes of the shared machine); rates are per token so the subset comparison is like for like.");
report.AppendLine();
report.AppendLine("## LSA embedder (TF-IDF + truncated randomized SVD, 100 dimensions)");
report.AppendLine();
report.AppendLine("| what | Plumbline | scikit-learn baseline | ratio (sklearn time / Plumbline time) |");
report.AppendLine("|---|---|---|---|");
var skTotal = sk["total_seconds"]!.GetValue<double>();
report.AppendLine(inv, $"| fit TF-IDF + SVD on {lsaCorpus.Length:N0} texts | {fitSeconds:0.00} s ({lsa.Terms.Count:N0} terms) | {skTotal:0.00} s ({sk["terms"]} terms; TF-IDF {sk["tfidf_seconds"]!.GetValue<double>():0.00} s, SVD {sk["svd_seconds"]!.GetValue<double>():0.00} s) | {skTotal / fitSeconds:0.00}× |");
report.AppendLine(inv, $"| fit + embed all {lsaCorpus.Length:N0} texts | {fitSeconds + embedSeconds:0.00} s (embed {embedSeconds:0.00} s) | {skTotal:0.00} s (fit_transform) | {skTotal / (fitSeconds + embedSeconds):0.00}× |");
report.AppendLine(inv, $"| top 5 singular values | {string.Join(", ", lsa.SingularValues.Take(5).Select(v => v.ToString("0.000", inv)))} | {string.Join(", ", sk["singular_values"]!.AsArray().Select(v => v!.GetValue<double>().ToString("0.000", inv)))} | — |");
report.AppendLine();
report.AppendLine(inv, $"scikit-learn: {sk["library"]}, `TfidfVectorizer()` defaults and `TruncatedSVD(n_components=100, algorithm=\"randomized\", n_iter=5, random_state=0)`. Its default tokenizer drops one-character words and splits at apostrophes and hyphens, so the vocabularies differ slightly and so do the singular values.");
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
File.WriteAllText(output, report.ToString());
Console.WriteLine(report);
Console.Error.WriteLine($"report written to {output}");
return 0;

static (long Tokens, double Seconds) SampleTokens(NgramModel lm, int samples, double temperature)
{
    var random = new Random(1);
    var options = new SampleOptions(MaxTokens: 64, Temperature: temperature);
    var sw = Stopwatch.StartNew();
    long count = 0;
    for (var i = 0; i < samples; i++)
    {
        count += lm.Sample(random, options).Count + 1;
    }

    return (count, sw.Elapsed.TotalSeconds);
}

static JsonNode RunBaseline(string script, string lsaPath, string ngramPath, int dims, int seed)
{
    var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in new[] { script, lsaPath, ngramPath, dims.ToString(CultureInfo.InvariantCulture), seed.ToString(CultureInfo.InvariantCulture) })
    {
        info.ArgumentList.Add(a);
    }

    using var process = Process.Start(info)!;
    var stdout = process.StandardOutput.ReadToEnd();
    var stderr = process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"baseline.py failed ({process.ExitCode}): {stderr} (apt-get install python3-sklearn python3-nltk)");
    }

    return JsonNode.Parse(stdout)!;
}

double Arg(string name, double fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

string? ArgText(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

static string RepositoryRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Plumbline.slnx")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? throw new InvalidOperationException("run from inside the repository");
}
