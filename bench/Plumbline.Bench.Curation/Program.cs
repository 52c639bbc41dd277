using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Plumbline.Core.Curation;
using Plumbline.Core.Curation.Agreement;
using Plumbline.Core.Curation.Aggregation;

// Dawid–Skene and Krippendorff's alpha on simulated labels, next to a NumPy implementation of the same
// algorithms measured in the same run (see bench/curation.sh and README.md in this folder).
//   all [--tasks N] [--workers N] [--overlap N] [--classes K] [--iterations N] [--repeat N] [--out FILE]
//   measure ds|alpha DIR ITERATIONS        (one measurement in this process; prints a JSON line)
var invariant = CultureInfo.InvariantCulture;
if (args.Length >= 4 && args[0] == "measure")
{
    Console.WriteLine(Measure(args[1], args[2], int.Parse(args[3], invariant)));
    return 0;
}

var options = Options(args);
var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
var scratch = Directory.CreateTempSubdirectory("plumbline-curation-bench-").FullName;
try
{
    var generate = Stopwatch.StartNew();
    var simulation = LabelSimulator.Generate(new SimulationOptions(options.Tasks, options.Workers, options.Classes, options.Overlap, Seed: 1, MinAccuracy: 0.55, MaxAccuracy: 0.9, Spammers: options.Workers / 20));
    Write(scratch, simulation, options);
    Console.Error.WriteLine($"generated {simulation.Labels.Count:N0} labels in {generate.Elapsed.TotalSeconds:0.0} s → {scratch}");
    var python = Environment.GetEnvironmentVariable("PYTHON") ?? "/usr/bin/python3";
    var script = Path.Combine(AppContext.BaseDirectory, "em_numpy.py");
    var self = Environment.ProcessPath!;
    var selfArgs = self.EndsWith("dotnet", StringComparison.Ordinal) ? new[] { typeof(BenchOptions).Assembly.Location } : [];
    var results = new List<JsonElement>();
    for (var r = 0; r < options.Repeat; r++)
    {
        foreach (var task in new[] { "ds", "alpha" })
        {
            // Interleaved: C# then NumPy, for each repetition, so both see the same machine load.
            results.Add(Run(self, [.. selfArgs, "measure", task, scratch, $"{options.Iterations}"]));
            results.Add(Run(python, [script, task, scratch, $"{options.Iterations}"]));
            Console.Error.WriteLine($"{task} #{r + 1}: C# {Seconds(results[^2]):0.000} s, NumPy {Seconds(results[^1]):0.000} s");
        }

        var ours = File.ReadAllBytes(Path.Combine(scratch, "labels-csharp.i32"));
        var theirs = File.ReadAllBytes(Path.Combine(scratch, "labels-numpy.i32"));
        var same = 0;
        for (var i = 0; i < ours.Length; i += 4)
        {
            same += BitConverter.ToInt32(ours, i) == BitConverter.ToInt32(theirs, i) ? 1 : 0;
        }

        results.Add(JsonDocument.Parse($"{{\"impl\":\"both\",\"task\":\"label_agreement\",\"share\":{((double)same / (ours.Length / 4)).ToString("R", invariant)}}}").RootElement);
    }

    var report = Report(options, results, simulation.Labels.Count)
        + $"\nLoad average (/proc/loadavg) before: `{loadBefore}`, after: `{File.ReadAllText("/proc/loadavg").Trim()}` — the machine is shared; absolute times move with its load, the interleaved ratio much less.\n";
    Console.Write(report);
    if (options.Out is { } path)
    {
        File.WriteAllText(path, report);
        Console.Error.WriteLine($"wrote {path}");
    }

    return 0;
}
finally
{
    Directory.Delete(scratch, recursive: true);
}

static double Seconds(JsonElement e) => e.GetProperty("seconds").GetDouble();

static string Measure(string task, string folder, int iterations)
{
    var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "meta.json"))).RootElement;
    var set = LabelSet.FromCodes(
        meta.GetProperty("tasks").GetInt32(),
        meta.GetProperty("workers").GetInt32(),
        meta.GetProperty("classes").GetInt32(),
        ReadInts(Path.Combine(folder, "task.i32")),
        ReadInts(Path.Combine(folder, "worker.i32")),
        ReadInts(Path.Combine(folder, "label.i32")));
    GC.Collect();
    GC.WaitForPendingFinalizers();
    var before = PeakRssMb();
    var watch = Stopwatch.StartNew();
    string check;
    if (task == "ds")
    {
        // A fixed number of iterations (no early stop) so that both implementations do the same work.
        var result = DawidSkene.Fit(set, iterations, double.NegativeInfinity);
        watch.Stop();
        var truth = ReadInts(Path.Combine(folder, "truth.i32"));
        var labels = result.Labels.ToArray();
        var right = Enumerable.Range(0, labels.Length).Count(t => labels[t] == truth[t]);
        WriteInts(Path.Combine(folder, "labels-csharp.i32"), labels);
        check = $"{{\"accuracy\":{((double)right / labels.Length).ToString("R", CultureInfo.InvariantCulture)},\"iterations\":{result.Iterations}}}";
    }
    else
    {
        var alpha = Krippendorff.Alpha(set, MeasurementLevel.Nominal);
        watch.Stop();
        check = $"{{\"alpha\":{alpha.ToString("R", CultureInfo.InvariantCulture)}}}";
    }

    return string.Create(CultureInfo.InvariantCulture, $"{{\"impl\":\"csharp\",\"task\":\"{task}\",\"seconds\":{watch.Elapsed.TotalSeconds:R},\"peak_rss_mb\":{PeakRssMb():0.0},\"rss_before_mb\":{before:0.0},\"check\":{check},\"dotnet\":\"{Environment.Version}\"}}");
}

/// <summary>Peak resident set (VmHWM) of this process, MB — what getrusage's ru_maxrss gives Python.</summary>
static double PeakRssMb()
{
    var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}

static JsonElement Run(string file, string[] arguments)
{
    var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var a in arguments)
    {
        info.ArgumentList.Add(a);
    }

    using var process = Process.Start(info)!;
    var output = process.StandardOutput.ReadToEnd();
    var error = process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {error}");
    }

    return JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
}

static void Write(string folder, Simulation simulation, BenchOptions options)
{
    var set = simulation.Labels;
    var task = new int[set.Count];
    var worker = new int[set.Count];
    var label = new int[set.Count];
    var i = 0;
    for (var t = 0; t < set.Tasks.Count; t++)
    {
        // The set is grouped by task; positions within a task follow worker order.
        foreach (var (w, c) in set.LabelsOfTask(t))
        {
            task[i] = t;
            worker[i] = w;
            label[i] = c;
            i++;
        }
    }

    WriteInts(Path.Combine(folder, "task.i32"), task);
    WriteInts(Path.Combine(folder, "worker.i32"), worker);
    WriteInts(Path.Combine(folder, "label.i32"), label);
    WriteInts(Path.Combine(folder, "truth.i32"), [.. simulation.Truth]);
    File.WriteAllText(Path.Combine(folder, "meta.json"), $"{{\"tasks\":{options.Tasks},\"workers\":{options.Workers},\"classes\":{options.Classes}}}");
}

static int[] ReadInts(string path)
{
    var bytes = File.ReadAllBytes(path);
    var values = new int[bytes.Length / 4];
    Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
    return values;
}

static void WriteInts(string path, int[] values)
{
    var bytes = new byte[values.Length * 4];
    Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
    File.WriteAllBytes(path, bytes);
}

static string Report(BenchOptions options, List<JsonElement> results, int labels)
{
    var c = CultureInfo.InvariantCulture;
    static double Median(IEnumerable<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[(s.Length / 2) - 1] + s[s.Length / 2]) / 2;
    }

    JsonElement[] Of(string impl, string task) => results.Where(r => r.GetProperty("impl").GetString() == impl && r.GetProperty("task").GetString() == task).ToArray();
    var text = new StringBuilder();
    text.Append(c, $"# Curation benchmark\n\n");
    text.Append(c, $"Command: `{Environment.GetEnvironmentVariable("PLUMBLINE_BENCH_COMMAND") ?? "bench/curation.sh"}`  \n");
    text.Append(c, $"Data: {labels:N0} simulated labels — {options.Tasks:N0} tasks × {options.Overlap} labels, {options.Workers:N0} raters ({options.Workers / 20} spammers), {options.Classes} classes, seed 1.  \n");
    text.Append(c, $"Dawid–Skene: {options.Iterations} EM iterations on both sides (no early stop; ELBO computed every iteration as crowd-kit does). Alpha: nominal, coincidence matrix.  \n");
    text.Append(c, $"Each cell is the median of {options.Repeat} runs, C# and NumPy interleaved in the same loop; one process per measurement; time is the algorithm alone (data already in memory), memory is the process's peak RSS.  \n");
    text.Append(c, $".NET {Environment.Version}, {Environment.ProcessorCount} cores; NumPy {Of("numpy", "ds").FirstOrDefault().GetProperty("numpy").GetString()} (/usr/bin/python3).\n\n");
    text.Append("| algorithm | C# time (s) | NumPy time (s) | NumPy ÷ C# | C# peak RSS (MB) | NumPy peak RSS (MB) | C# RSS before (MB) | NumPy RSS before (MB) | check |\n|---|---|---|---|---|---|---|---|---|\n");
    foreach (var task in new[] { "ds", "alpha" })
    {
        var ours = Of("csharp", task);
        var theirs = Of("numpy", task);
        var ourTime = Median(ours.Select(r => r.GetProperty("seconds").GetDouble()));
        var theirTime = Median(theirs.Select(r => r.GetProperty("seconds").GetDouble()));
        var check = task == "ds"
            ? string.Format(c, "accuracy vs planted truth: C# {0:0.0000}, NumPy {1:0.0000}; same label on {2:P3} of tasks", ours[0].GetProperty("check").GetProperty("accuracy").GetDouble(), theirs[0].GetProperty("check").GetProperty("accuracy").GetDouble(), Of("both", "label_agreement")[0].GetProperty("share").GetDouble())
            : string.Format(c, "α: C# {0:0.000000}, NumPy {1:0.000000}", ours[0].GetProperty("check").GetProperty("alpha").GetDouble(), theirs[0].GetProperty("check").GetProperty("alpha").GetDouble());
        text.Append(c, $"| {(task == "ds" ? "Dawid–Skene" : "Krippendorff's α")} | {ourTime:0.000} | {theirTime:0.000} | {theirTime / ourTime:0.00}× | {Median(ours.Select(r => r.GetProperty("peak_rss_mb").GetDouble())):0} | {Median(theirs.Select(r => r.GetProperty("peak_rss_mb").GetDouble())):0} | {Median(ours.Select(r => r.GetProperty("rss_before_mb").GetDouble())):0} | {Median(theirs.Select(r => r.GetProperty("rss_before_mb").GetDouble())):0} | {check} |\n");
    }

    text.Append("\nAll runs:\n\n```\n");
    foreach (var r in results)
    {
        text.Append(r.GetRawText()).Append('\n');
    }

    text.Append("```\n");
    return text.ToString();
}

static BenchOptions Options(string[] args)
{
    var o = new BenchOptions();
    for (var i = 0; i < args.Length; i++)
    {
        int Next() => int.Parse(args[++i], CultureInfo.InvariantCulture);
        o = args[i] switch
        {
            "all" => o,
            "--tasks" => o with { Tasks = Next() },
            "--workers" => o with { Workers = Next() },
            "--overlap" => o with { Overlap = Next() },
            "--classes" => o with { Classes = Next() },
            "--iterations" => o with { Iterations = Next() },
            "--repeat" => o with { Repeat = Next() },
            "--out" => o with { Out = args[++i] },
            _ => throw new ArgumentException($"unknown argument {args[i]}"),
        };
    }

    return o;
}

internal sealed record BenchOptions(int Tasks = 100_000, int Workers = 1_000, int Overlap = 10, int Classes = 4, int Iterations = 20, int Repeat = 3, string? Out = null);
