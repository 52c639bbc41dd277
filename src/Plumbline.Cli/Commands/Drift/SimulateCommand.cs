using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Core.Supervision.Drift;
using Plumbline.Models.Drift;

namespace Plumbline.Cli.Commands.Drift;

/// <summary>
/// <c>plumb simulate --corpus HUMAN.txt --rounds N --out DIR [--replay F] [--curate none|self|keyword:WORD] [--seed S]</c>:
/// a seeded self-training loop with the built-in n-gram model, measured by the drift monitor round by round.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var options = new DriftCliOptions();
        var corpus = new Option<FileInfo>("--corpus") { Description = "The human corpus: plain text, one text per line, or JSONL (response, text or statement)", Required = true, HelpName = "FILE" };
        var rounds = new Option<int>("--rounds") { Description = "Generations to run (round 0 is the model trained on the corpus)", Required = true };
        var replay = new Option<double>("--replay") { Description = "Share of each training set drawn from the human corpus, 0.0 to 1.0", DefaultValueFactory = _ => 0.0 };
        var curate = new Option<string>("--curate") { Description = "What is kept of the samples: none, self (the model's own most likely) or keyword:WORD (samples with WORD first)", DefaultValueFactory = _ => "none", HelpName = "none|self|keyword:WORD" };
        var samples = new Option<int?>("--samples") { Description = "Samples per generation, and the size of each training set (default: the corpus's number of texts)" };
        var keep = new Option<double>("--keep") { Description = "With curation: the share of the drawn candidates that is kept", DefaultValueFactory = _ => 0.5 };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature", DefaultValueFactory = _ => 1.0 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Longest sample, in tokens", DefaultValueFactory = _ => 64 };
        var command = new Command("simulate", "Self-training loop with the built-in n-gram model: sample, curate, replay human data, retrain; writes per-round samples and models and the drift report")
        {
            corpus, rounds, replay, curate, samples, keep, temperature, maxTokens,
        };
        foreach (var option in options.All)
        {
            command.Options.Add(option);
        }

        return command.WithAction(async (context, ct) =>
        {
            var settings = options.Settings(context, null);
            var simulation = new SimulationOptions(
                context.Get(rounds),
                context.Get(replay),
                Curation.Parse(context.Get(curate)),
                settings.Seed,
                context.Get(samples),
                context.Get(keep),
                settings.Order,
                context.Get(temperature),
                context.Get(maxTokens));
            var errors = simulation.Validate();
            if (errors.Count > 0)
            {
                throw PlumblineException.BadInput(string.Join("; ", errors));
            }

            var human = DriftInputs.ReadTexts(context.Get(corpus), "--corpus", corpus: true);
            var probes = DriftInputs.ReadProbes(context.Get(options.Probes) ?? []);
            var (gate, gateSha) = DriftInputs.ReadGate(context.Get(options.Gate), DriftAnalysis.ComputedMetrics(settings.Clustering, probes.Count > 0));
            var output = DriftInputs.PrepareOut(context.Get(options.Out));
            var inputs = new Dictionary<string, string>(StringComparer.Ordinal) { [human.Path] = human.Sha256 };
            if (context.Get(options.Gate) is { } gateFile)
            {
                inputs[gateFile.FullName] = gateSha;
            }

            foreach (var (name, sha, _) in probes)
            {
                inputs[name] = sha;
            }

            var models = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["embedder"] = settings.Embedder ?? "builtin:lsa (fitted on the corpus)",
                ["generations"] = $"builtin:ngram:{Path.Combine(output.FullName, "model-NN.bin")} (order {settings.Order}, modified Kneser–Ney)",
                ["perplexity"] = $"builtin:ngram:{Path.Combine(output.FullName, "model-00.bin")}",
                ["curation"] = simulation.Curating.ToString(),
                ["replay"] = simulation.Replay.ToString(CultureInfo.InvariantCulture),
            };
            var run = DriftInputs.Run(DriftCliOptions.Seeds(settings), models, inputs);
            DriftSession? session = null;
            await foreach (var round in SelfTrainingSimulator.RunAsync(human.Texts, simulation, context.Time, ct))
            {
                var name = $"round-{round.Round:D2}";
                round.Model.Save(Path.Combine(output.FullName, $"model-{round.Round:D2}.bin"));
                var lines = round.Samples.Select((text, i) => JsonSerializer.Serialize(new { id = $"g{round.Round}-{i}", model = $"simulate:generation-{round.Round}", prompt = string.Empty, response = text }, DriftReportWriter.Compact));
                await DriftReportWriter.WriteAtomicAsync(Path.Combine(output.FullName, name + ".jsonl"), string.Join('\n', lines) + "\n", ct);
                session ??= await DriftSession.StartAsync(context, output, settings, human, gate, run, probes.Count > 0, round.Model, simulation: true, ct);
                var tallies = probes.Select(p => DriftScorers.AnswerProbes(round.Model, p.Items, p.Name)).ToArray();
                var step = new SimulationStep(round.Round, round.TrainingTexts, round.HumanTexts, round.KeywordShare, round.Elapsed.TotalSeconds);
                var failures = await session.AddRoundAsync($"generation {round.Round} ({name}.jsonl)", round.Samples, probes.Count > 0 ? tallies : null, step, ct);
                if (failures.Count > 0)
                {
                    break; // a gate stops the run
                }
            }

            return session!.Finish();
        });
    }
}
