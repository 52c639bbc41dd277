using Plumbline.Core.Supervision.Drift;
using Plumbline.Models.Drift;

namespace Plumbline.Models.Tests.Drift;

public sealed class SelfTrainingSimulatorTests(ITestOutputHelper output)
{
    private const int Rounds = 5;

    [Fact]
    public async Task SelfPreference_WithoutReplay_CollapsesAndReplayHoldsItBack()
    {
        var human = SimulationCorpus.Load(output.WriteLine);
        if (human is null)
        {
            return;
        }

        var collapse = await SimulationCorpus.SimulateAsync(human, new SimulationOptions(Rounds, Replay: 0, Curation: new Curation(CurationKind.Self), Seed: 11, SamplesPerRound: 2000));
        var replay = await SimulationCorpus.SimulateAsync(human, new SimulationOptions(Rounds, Replay: 0.2, Curation: new Curation(CurationKind.Self), Seed: 11, SamplesPerRound: 2000));
        double[] Series(IDriftMonitor m, string metric) => m.Rounds.Select(r => r.Metrics[metric]).ToArray();
        foreach (var metric in new[] { DriftMetrics.Distinct2, DriftMetrics.Vendi, DriftMetrics.PerplexityTailShare, DriftMetrics.PerplexityMedian, DriftMetrics.SelfBleu, DriftMetrics.FrechetToReference })
        {
            output.WriteLine($"{metric,-24} no replay: {string.Join(" ", Series(collapse.Monitor, metric).Select(v => v.ToString("F3")))}   replay 0.2: {string.Join(" ", Series(replay.Monitor, metric).Select(v => v.ToString("F3")))}");
        }

        // without replay: diversity falls and the tails vanish, round after round
        var d2 = Series(collapse.Monitor, DriftMetrics.Distinct2);
        var tail = Series(collapse.Monitor, DriftMetrics.PerplexityTailShare);
        var bleu = Series(collapse.Monitor, DriftMetrics.SelfBleu);
        for (var r = 1; r < Rounds; r++)
        {
            Assert.True(d2[r] < d2[r - 1], $"distinct_2 round {r}: {d2[r]} ≥ {d2[r - 1]}");
            Assert.True(bleu[r] > bleu[r - 1], $"self_bleu round {r}: {bleu[r]} ≤ {bleu[r - 1]}");
        }

        Assert.True(tail[^1] < tail[0] / 2, $"tail share {tail[^1]} is not below half of {tail[0]}");

        // with replay the decline is much smaller
        var d2Replay = Series(replay.Monitor, DriftMetrics.Distinct2);
        var tailReplay = Series(replay.Monitor, DriftMetrics.PerplexityTailShare);
        Assert.True(d2Replay[0] - d2Replay[^1] < (d2[0] - d2[^1]) / 2, $"distinct_2 decline with replay {d2Replay[0] - d2Replay[^1]} vs {d2[0] - d2[^1]}");
        Assert.True(tailReplay[^1] > tail[^1] * 2, $"tail share with replay {tailReplay[^1]} vs {tail[^1]}");
        var frechet = Series(collapse.Monitor, DriftMetrics.FrechetToReference);
        var frechetReplay = Series(replay.Monitor, DriftMetrics.FrechetToReference);
        Assert.True(frechetReplay[^1] < frechet[^1], $"Fréchet with replay {frechetReplay[^1]} vs {frechet[^1]}");
    }

    [Fact]
    public async Task Simulation_IsReproducibleFromItsSeed()
    {
        var human = SimulationCorpus.Load(output.WriteLine);
        if (human is null)
        {
            return;
        }

        var options = new SimulationOptions(2, Replay: 0.1, Curation: new Curation(CurationKind.Self), Seed: 5, SamplesPerRound: 300);
        var a = new List<IReadOnlyList<string>>();
        var b = new List<IReadOnlyList<string>>();
        await foreach (var round in SelfTrainingSimulator.RunAsync(human, options, TimeProvider.System))
        {
            a.Add(round.Samples);
        }

        await foreach (var round in SelfTrainingSimulator.RunAsync(human, options, TimeProvider.System))
        {
            b.Add(round.Samples);
        }

        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData("keyword:two words")]
    [InlineData("best")]
    public void Curation_Unknown_IsBadInput(string text)
    {
        var e = Assert.Throws<Core.PlumblineException>(() => Curation.Parse(text));
        Assert.Equal($"--curate '{text}': expected none, self or keyword:WORD (one word)", e.Message);
    }
}

public sealed class PlantedBiasTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KeywordCuration_GrowsTheBiasInProbesAndFrozenClusters()
    {
        var human = SimulationCorpus.Load(output.WriteLine);
        if (human is null)
        {
            return;
        }

        // probes built from the corpus: where a person wrote "time", would the model rather say "money"?
        var probes = new List<ProbeItem>();
        foreach (var text in human)
        {
            var tokens = Core.Analysis.Tokenizer.Tokenize(text, Core.Analysis.TokenizerOptions.Generative);
            var at = tokens.FindIndex(t => t.Equals("time", StringComparison.OrdinalIgnoreCase));
            if (at >= 2 && probes.Count < 80)
            {
                probes.Add(new ProbeItem($"p{probes.Count}", Core.Analysis.Tokenizer.Detokenize(tokens.Take(at)), ["money", "time"], "money"));
            }
        }

        Assert.Equal(80, probes.Count);

        const int rounds = 4;
        var (monitor, simulated) = await SimulationCorpus.SimulateAsync(
            human,
            new SimulationOptions(rounds, Replay: 0, Curation: new Curation(CurationKind.Keyword, "money"), Seed: 3, SamplesPerRound: 1500),
            new KMeansClusterer(),
            probes);
        var keyword = simulated.Select(r => r.KeywordShare).ToArray();
        var rate = monitor.Rounds.Select(r => r.Metrics[DriftMetrics.ProbeMatchingRate]).ToArray();
        var change = monitor.Rounds.Select(r => r.Metrics[DriftMetrics.ClusterShareChange]).ToArray();
        output.WriteLine($"keyword share {string.Join(" ", keyword.Select(v => v.ToString("F3")))}");
        output.WriteLine($"probe rate    {string.Join(" ", rate.Select(v => v.ToString("F3")))}");
        output.WriteLine($"share change  {string.Join(" ", change.Select(v => v.ToString("F3")))}");

        var clusters = monitor.Clusters!;
        output.WriteLine(string.Join("\n", clusters.Select(c => $"{c.Id}: {c.Round0Share:F3} {string.Join(" ", c.Keywords)}")));
        for (var r = 1; r < rounds; r++)
        {
            Assert.True(keyword[r] > keyword[r - 1], $"keyword share round {r}: {keyword[r]} ≤ {keyword[r - 1]}");
            Assert.True(change[r] > change[r - 1], $"cluster_share_change round {r}: {change[r]} ≤ {change[r - 1]}");
        }

        Assert.True(rate[^1] > rate[0] + 0.25, $"probe rate {rate[^1]} vs {rate[0]}");
        Assert.Equal(0.0, change[0]);
    }
}

public sealed class DriftScorerTests
{
    [Fact]
    public void TallyProbes_CountsAnswersToProbeQuestionsOnly()
    {
        ProbeItem[] items = [new("a", "Is it so?", [" Yes", " No"], " Yes"), new("b", "Pick one", [" (A)", " (B)"], " (B)")];
        SampleLine[] samples =
        [
            new("1", "m", "Is it so?", "Yes, it is.", 1),
            new("2", "m", "Is it so?", "no", 2),
            new("3", "m", "Pick one", "B) that one", 3),
            new("4", "m", "Pick one", "I cannot say", 4),
            new("5", "m", "Something else", "Yes", 5),
        ];
        Assert.Equal(new ProbeTally("p", 3, 2, 1), DriftScorers.TallyProbes(samples, items, "p"));
    }

    [Fact]
    public async Task BuiltinScorer_TrainsOnHalfOfRoundZeroAndHoldsOutTheOtherHalf()
    {
        string[] reference = ["the cat sat on the mat", "a dog ran in the park", "the bird sang"];
        var scorer = DriftScorers.Create(reference, lsa: new Models.Lsa.LsaOptions(Dimensions: 2));
        var heldOut = await scorer.FitRound0Async(["one two three", "four five six", "seven eight", "nine ten"], CancellationToken.None);
        Assert.Equal([1, 3], heldOut);
        var perplexities = await scorer.PerplexitiesAsync(["one two three", "four five six"], CancellationToken.None);
        Assert.True(perplexities[0] < perplexities[1], "the trained-on text must be likelier than the held-out one");
        Assert.Equal(2, (await scorer.EmbedAsync(["the cat"], CancellationToken.None))[0].Length);
    }
}
