using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Core.Supervision.Drift;
using Plumbline.Models;
using Plumbline.Models.Drift;
using Spectre.Console;

namespace Plumbline.Cli.Commands.Drift;

/// <summary>
/// <c>plumb drift --reference HUMAN.jsonl ROUND0.jsonl ROUND1.jsonl … --out DIR [--gate FILE] [--probes FILE]</c>
/// (or <c>--prompts FILE --model M0 --model M1 …</c>, one round per model), and <c>plumb drift watch DIR</c>.
/// </summary>
internal static class DriftCommand
{
    public static Command Create()
    {
        var options = new DriftCliOptions();
        var reference = new Option<FileInfo>("--reference") { Description = "The fixed human reference: samples JSONL (response, or text/statement) or plain text, one text per line", Required = true, HelpName = "FILE" };
        var rounds = new Argument<FileInfo[]>("ROUNDS") { Description = "One samples file per round, round 0 first", Arity = ArgumentArity.ZeroOrMore };
        var prompts = new Option<FileInfo?>("--prompts") { Description = "Prompts (JSONL with prompt, or one per line) to sample each --model on, one round per model", HelpName = "FILE" };
        var models = new Option<string[]>("--model") { Description = "With --prompts: the model of each round, in order (builtin:ngram:PATH, openai:MODEL@URL or a plumbline.yaml name)", HelpName = "MODEL", AllowMultipleArgumentsPerToken = true };
        var perplexity = new Option<string?>("--perplexity-model") { Description = "Score perplexity under this n-gram model (builtin:ngram:PATH) instead of one trained on round 0", HelpName = "MODEL" };
        var command = new Command("drift", "Diversity, distribution shift, perplexity tails, frozen clusters and probes across rounds of self-training, against a human reference; gates exit 3")
        {
            reference, rounds, prompts, models, perplexity,
        };
        foreach (var option in options.All)
        {
            command.Options.Add(option);
        }

        command.Subcommands.Add(CreateWatch());
        return command.WithAction(async (context, ct) =>
        {
            var settings = options.Settings(context, context.Get(perplexity));
            var referenceInput = DriftInputs.ReadTexts(context.Get(reference), "--reference", corpus: true);
            var files = context.Get(rounds) ?? [];
            var promptFile = context.Get(prompts);
            var modelNames = context.Get(models) ?? [];
            if (files.Length > 0 && promptFile is not null)
            {
                throw PlumblineException.BadInput("give round files or --prompts with --model, not both");
            }

            if (files.Length == 0 && (promptFile is null || modelNames.Length == 0))
            {
                throw PlumblineException.BadInput("no rounds: give one samples file per round (ROUND0.jsonl ROUND1.jsonl …) or --prompts FILE with one --model per round");
            }

            var roundInputs = files.Select((f, i) => DriftInputs.ReadTexts(f, $"round {i}")).ToArray();
            var promptInput = promptFile is null ? null : ReadPrompts(promptFile);
            var probes = DriftInputs.ReadProbes(context.Get(options.Probes) ?? []);
            var computed = DriftAnalysis.ComputedMetrics(settings.Clustering, probes.Count > 0);
            var (gate, gateSha) = DriftInputs.ReadGate(context.Get(options.Gate), computed);
            var catalog = ModelCatalog.ForDirectory(Directory.GetCurrentDirectory());
            var clients = modelNames.Select(m => (Name: m, Client: promptInput is null ? null : catalog.CreateChatClient(m))).ToArray();
            var output = DriftInputs.PrepareOut(context.Get(options.Out));

            var inputs = new Dictionary<string, string>(StringComparer.Ordinal) { [referenceInput.Path] = referenceInput.Sha256 };
            foreach (var input in roundInputs)
            {
                inputs[input.Path] = input.Sha256;
            }

            if (promptInput is not null)
            {
                inputs[promptInput.Path] = promptInput.Sha256;
            }

            if (context.Get(options.Gate) is { } gateFile)
            {
                inputs[gateFile.FullName] = gateSha;
            }

            foreach (var (name, sha, _) in probes)
            {
                inputs[name] = sha;
            }

            var modelRefs = new Dictionary<string, string>(StringComparer.Ordinal) { ["embedder"] = settings.Embedder ?? "builtin:lsa (fitted on the reference)", ["perplexity"] = settings.PerplexityModel ?? $"n-gram order {settings.Order} trained on round 0" };
            for (var i = 0; i < modelNames.Length; i++)
            {
                modelRefs[$"round {i}"] = modelNames[i];
            }

            var run = DriftInputs.Run(DriftCliOptions.Seeds(settings), modelRefs, inputs);
            var session = await DriftSession.StartAsync(context, output, settings, referenceInput, gate, run, probes.Count > 0, null, simulation: false, ct);
            var count = promptInput is null ? roundInputs.Length : clients.Length;
            for (var i = 0; i < count; i++)
            {
                IReadOnlyList<SampleLine> samples;
                string source;
                if (promptInput is null)
                {
                    samples = roundInputs[i].Samples;
                    source = roundInputs[i].Name;
                }
                else
                {
                    samples = await SampleAsync(context, clients[i].Name, clients[i].Client!, promptInput.Samples, probes, settings.Seed, ct);
                    source = $"round-{i:D2}.jsonl";
                    await WriteSamplesAsync(Path.Combine(output.FullName, source), samples, ct);
                }

                var tallies = probes.Select(p => DriftScorers.TallyProbes(samples, p.Items, p.Name)).ToArray();
                await session.AddRoundAsync(source, Responses(samples, probes), probes.Count > 0 ? tallies : null, null, ct);
            }

            return session.Finish();
        });
    }

    private static Command CreateWatch()
    {
        var options = new DriftCliOptions();
        var folder = new Argument<DirectoryInfo>("DIR") { Description = "The folder a training loop drops one samples file (*.jsonl) per round into, renamed into place when complete" };
        var reference = new Option<FileInfo>("--reference") { Description = "The fixed human reference", Required = true, HelpName = "FILE" };
        var rounds = new Option<int?>("--rounds") { Description = "Stop (exit 0) after this many rounds; default: until Ctrl-C or a failed gate" };
        var poll = new Option<int>("--poll-ms") { Description = "How often the folder is looked at", DefaultValueFactory = _ => 500 };
        var perplexity = new Option<string?>("--perplexity-model") { Description = "Score perplexity under this n-gram model instead of one trained on round 0", HelpName = "MODEL" };
        var command = new Command("watch", "Follow a folder of round files: measure each on arrival, exit 3 at the first failed gate") { folder, reference, rounds, poll, perplexity };
        foreach (var option in options.All)
        {
            command.Options.Add(option);
        }

        return command.WithAction(async (context, ct) =>
        {
            var settings = options.Settings(context, context.Get(perplexity));
            var directory = context.Get(folder);
            if (!directory.Exists)
            {
                throw PlumblineException.BadInput($"watch: {directory.FullName}: no such folder");
            }

            if (context.Get(rounds) is < 1)
            {
                throw PlumblineException.BadInput($"--rounds must be at least 1 (was {context.Get(rounds)})");
            }

            if (context.Get(poll) < 10)
            {
                throw PlumblineException.BadInput($"--poll-ms must be at least 10 (was {context.Get(poll)})");
            }

            var referenceInput = DriftInputs.ReadTexts(context.Get(reference), "--reference", corpus: true);
            var probes = DriftInputs.ReadProbes(context.Get(options.Probes) ?? []);
            var (gate, gateSha) = DriftInputs.ReadGate(context.Get(options.Gate), DriftAnalysis.ComputedMetrics(settings.Clustering, probes.Count > 0));
            var output = DriftInputs.PrepareOut(context.Get(options.Out));
            var inputs = new Dictionary<string, string>(StringComparer.Ordinal) { [referenceInput.Path] = referenceInput.Sha256 };
            if (context.Get(options.Gate) is { } gateFile)
            {
                inputs[gateFile.FullName] = gateSha;
            }

            var run = DriftInputs.Run(DriftCliOptions.Seeds(settings), new Dictionary<string, string>(StringComparer.Ordinal) { ["embedder"] = settings.Embedder ?? "builtin:lsa (fitted on the reference)" }, inputs);
            var session = await DriftSession.StartAsync(context, output, settings, referenceInput, gate, run, probes.Count > 0, null, simulation: false, ct);
            var watcher = new RoundFolder(directory);
            var limit = context.Get(rounds);
            if (!context.Json)
            {
                context.Error.MarkupLineInterpolated($"[grey]watching {directory.FullName} for *.jsonl round files (Ctrl-C to stop)[/]");
            }

            while (limit is null || session.Monitor.Rounds.Count < limit)
            {
                var next = watcher.NextComplete();
                if (next is null)
                {
                    await Task.Delay(context.Get(poll), ct);
                    continue;
                }

                var input = DriftInputs.ReadTexts(next, $"round {session.Monitor.Rounds.Count}");
                var tallies = probes.Select(p => DriftScorers.TallyProbes(input.Samples, p.Items, p.Name)).ToArray();
                var failures = await session.AddRoundAsync(input.Name, Responses(input.Samples, probes), probes.Count > 0 ? tallies : null, null, ct);
                if (failures.Count > 0)
                {
                    break;
                }
            }

            return session.Finish();
        });
    }

    /// <summary>The responses the metrics measure: every sample but the answers to probe questions (those are tallied apart).</summary>
    private static string[] Responses(IReadOnlyList<SampleLine> samples, IReadOnlyList<(string Name, string Sha256, IReadOnlyList<ProbeItem> Items)> probes)
    {
        var questions = probes.SelectMany(p => p.Items).Select(i => i.Question.Trim()).ToHashSet(StringComparer.Ordinal);
        return samples.Where(s => s.Prompt is null || !questions.Contains(s.Prompt.Trim())).Select(s => s.Response).ToArray();
    }

    private static DriftInputs.Input ReadPrompts(FileInfo file) => DriftInputs.ReadTexts(file, "--prompts", corpus: false) is var input && input.Samples.All(s => s.Prompt is not null)
        ? input with { Samples = input.Samples.Select(s => s with { Response = s.Prompt! }).ToArray() }
        : PromptsFromLines(file);

    private static DriftInputs.Input PromptsFromLines(FileInfo file)
    {
        if (file.Extension.Equals(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            throw PlumblineException.BadInput($"--prompts: {file.Name}: every line needs a \"prompt\" string");
        }

        return DriftInputs.ReadTexts(file, "--prompts");
    }

    /// <summary>
    /// Asks the model every prompt (the text of <paramref name="prompts"/>), four at a time, and every
    /// probe question when probes are given; request i carries the seed <c>seed·1000003 + i</c>, so
    /// seeded backends (the n-gram model, vLLM) give the same round again.
    /// </summary>
    private static async Task<IReadOnlyList<SampleLine>> SampleAsync(CliContext context, string model, IChatClient client, IReadOnlyList<SampleLine> prompts, IReadOnlyList<(string Name, string Sha256, IReadOnlyList<ProbeItem> Items)> probes, int seed, CancellationToken cancellationToken)
    {
        var questions = prompts.Select(p => (p.Id, Text: p.Response))
            .Concat(probes.SelectMany(p => p.Items).Select(item => (item.Id, Text: item.Question)))
            .ToArray();
        var results = new SampleLine[questions.Length];
        using var gate = new SemaphoreSlim(4);
        var done = 0;
        await context.WithProgressAsync($"Sampling {model}", async progress =>
        {
            await Task.WhenAll(questions.Select(async (q, i) =>
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    var response = await client.GetResponseAsync(q.Text, new ChatOptions { Seed = unchecked(((long)seed * 1_000_003) + i) }, cancellationToken);
                    results[i] = new SampleLine(q.Id, model, q.Text, response.Text, i + 1);
                    progress?.Report((double)Interlocked.Increment(ref done) / questions.Length);
                }
                finally
                {
                    gate.Release();
                }
            }));
            return 0;
        });
        return results;
    }

    private static async Task WriteSamplesAsync(string path, IReadOnlyList<SampleLine> samples, CancellationToken cancellationToken)
    {
        var lines = samples.Select(s => JsonSerializer.Serialize(new { id = s.Id, model = s.Model, prompt = s.Prompt, response = s.Response }, DriftReportWriter.Compact));
        await DriftReportWriter.WriteAtomicAsync(path, string.Join('\n', lines) + "\n", cancellationToken);
    }
}

/// <summary>
/// The round files of a watched folder: <c>*.jsonl</c> (not hidden, not the report's own output)
/// in natural name order, each taken once and only when complete — it ends with a newline and its
/// size and time were the same at the previous look (so a file written in place is not read half done;
/// renaming a finished file into place is the safe way).
/// </summary>
internal sealed class RoundFolder(DirectoryInfo directory)
{
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Length, DateTime Written)> _seen = new(StringComparer.Ordinal);

    public FileInfo? NextComplete()
    {
        var candidates = directory.EnumerateFiles("*.jsonl")
            .Where(f => !f.Name.StartsWith('.') && !_taken.Contains(f.Name))
            .OrderBy(f => f.Name, NaturalComparer.Instance)
            .ToArray();
        foreach (var file in candidates)
        {
            file.Refresh();
            var stamp = (file.Length, file.LastWriteTimeUtc);
            var stable = _seen.TryGetValue(file.Name, out var previous) && previous == stamp;
            _seen[file.Name] = stamp;
            if (!stable || file.Length == 0 || !EndsWithNewline(file))
            {
                return null; // rounds are taken in order: wait for this one
            }

            _taken.Add(file.Name);
            return file;
        }

        return null;
    }

    private static bool EndsWithNewline(FileInfo file)
    {
        using var stream = file.OpenRead();
        stream.Seek(-1, SeekOrigin.End);
        return stream.ReadByte() == '\n';
    }
}

/// <summary>Orders names with their digit runs compared as numbers: round-2 before round-10.</summary>
internal sealed class NaturalComparer : IComparer<string>
{
    public static NaturalComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return string.CompareOrdinal(x, y);
        }

        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                var si = i;
                var sj = j;
                while (i < x.Length && char.IsAsciiDigit(x[i]))
                {
                    i++;
                }

                while (j < y.Length && char.IsAsciiDigit(y[j]))
                {
                    j++;
                }

                var a = x[si..i].TrimStart('0');
                var b = y[sj..j].TrimStart('0');
                var c = a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
                if (c != 0)
                {
                    return c;
                }
            }
            else
            {
                if (x[i] != y[j])
                {
                    return x[i].CompareTo(y[j]);
                }

                i++;
                j++;
            }
        }

        return (x.Length - i).CompareTo(y.Length - j) is var rest && rest != 0 ? rest : string.CompareOrdinal(x, y);
    }
}
