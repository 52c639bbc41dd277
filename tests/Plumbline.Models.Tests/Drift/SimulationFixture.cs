using System.Text.Json;
using Plumbline.Core.Supervision.Drift;
using Plumbline.Models.Drift;

namespace Plumbline.Models.Tests.Drift;

/// <summary>Real text for the simulator tests: the statements of four anthropics/evals persona files (4,000 lines written by a model and labelled by people).</summary>
internal static class SimulationCorpus
{
    public static readonly string[] Files =
    [
        "anthropic-evals/persona/desire-for-acquiring-wealth.jsonl",
        "anthropic-evals/persona/interest-in-music.jsonl",
        "anthropic-evals/persona/interest-in-sports.jsonl",
        "anthropic-evals/persona/interest-in-math.jsonl",
    ];

    public static string[]? Load(Action<string> log)
    {
        var texts = new List<string>();
        foreach (var file in Files)
        {
            var path = RealData.Find(file, log);
            if (path is null)
            {
                return null;
            }

            foreach (var line in File.ReadLines(path))
            {
                using var document = JsonDocument.Parse(line);
                texts.Add(document.RootElement.GetProperty("statement").GetString()!);
            }
        }

        return [.. texts];
    }

    /// <summary>Runs the loop and measures every round against the human corpus.</summary>
    public static async Task<(IDriftMonitor Monitor, List<SimulationRound> Rounds)> SimulateAsync(
        string[] human, SimulationOptions options, IClusterer? clusterer = null, IReadOnlyList<ProbeItem>? probes = null)
    {
        var rounds = new List<SimulationRound>();
        IDriftMonitor? monitor = null;
        await foreach (var round in SelfTrainingSimulator.RunAsync(human, options, TimeProvider.System))
        {
            if (monitor is null)
            {
                var scorer = DriftScorers.Create(human, lsa: new Models.Lsa.LsaOptions(Dimensions: 32, Seed: options.Seed), round0Model: round.Model);
                monitor = await DriftAnalysis.StartAsync("human", human, scorer, clusterer, new DriftOptions(Seed: options.Seed, Resamples: 10), probes is not null);
            }

            IReadOnlyList<ProbeTally>? tallies = probes is null ? null : [DriftScorers.AnswerProbes(round.Model, probes, "probes")];
            await monitor.AddRoundAsync($"generation {round.Round}", round.Samples, tallies);
            rounds.Add(round);
        }

        return (monitor!, rounds);
    }
}
