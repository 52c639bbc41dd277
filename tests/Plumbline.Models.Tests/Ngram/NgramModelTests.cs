using System.Text.Json;
using Plumbline.Core;
using Plumbline.Models.Ngram;

namespace Plumbline.Models.Tests.Ngram;

public class NgramModelTests
{
    private static readonly string[] Tiny = ["a b", "a c", "b c"];

    [Fact]
    public void Probability_EveryContextOfARealCorpus_SumsToOneOverTheVocabulary()
    {
        var texts = EvalTexts.Load(400);
        var lm = NgramModel.Train(texts, new NgramOptions(Order: 3));
        var vocabulary = Vocabulary(lm, texts);

        // contexts: sentence start, a seen bigram context, a seen unigram context, and an unseen one
        var first = lm.Tokenize(texts[0]);
        string[][] contexts = [["<s>"], ["<s>", first[0]], [first[0], first[1]], [first[1]], ["never-seen-word", "another"]];
        foreach (var context in contexts)
        {
            var sum = vocabulary.Sum(w => lm.Probability(w, context));
            Assert.Equal(1.0, sum, 10);
        }

        Assert.True(lm.Discounts.All(d => d != KneserNeyDiscounts.Fallback), "a real corpus has n1..n4 > 0 at every order");
    }

    [Fact]
    public void SaveLoad_RoundTrip_GivesIdenticalScoresAndSamples()
    {
        using var dir = new TempDirectory();
        var texts = EvalTexts.Load(300);
        var lm = NgramModel.Train(texts, new NgramOptions(Order: 3));
        lm.Save(dir.File("lm.bin"));

        var loaded = NgramModel.Load(dir.File("lm.bin"));

        Assert.Equal(lm.Order, loaded.Order);
        Assert.Equal(lm.VocabularySize, loaded.VocabularySize);
        Assert.Equal(lm.NgramCounts, loaded.NgramCounts);
        Assert.Equal(lm.Discounts, loaded.Discounts);
        foreach (var text in texts.Take(20).Append("text with unseen zyzzyva words"))
        {
            Assert.Equal(lm.Score(text).LogProbability, loaded.Score(text).LogProbability);
        }

        Assert.Equal(lm.SampleText(new Random(5), new SampleOptions(Temperature: 0.7)), loaded.SampleText(new Random(5), new SampleOptions(Temperature: 0.7)));
        Assert.False(File.Exists(dir.File("lm.bin.tmp")));
    }

    [Fact]
    public void Load_MissingOrForeignOrTruncatedFile_FailsWithFileName()
    {
        using var dir = new TempDirectory();
        var missing = Assert.Throws<PlumblineException>(() => NgramModel.Load(dir.File("nope.bin")));
        Assert.Equal(FailureKind.NotFound, missing.Kind);
        Assert.Equal($"{dir.File("nope.bin")}: no such n-gram model file", missing.Message);

        File.WriteAllText(dir.File("text.bin"), "hello world, not a model");
        var foreign = Assert.Throws<PlumblineException>(() => NgramModel.Load(dir.File("text.bin")));
        Assert.Equal($"{dir.File("text.bin")}: not a Plumbline n-gram model (bad magic)", foreign.Message);

        NgramModel.Train(Tiny).Save(dir.File("lm.bin"));
        var bytes = File.ReadAllBytes(dir.File("lm.bin"));
        File.WriteAllBytes(dir.File("cut.bin"), bytes[..(bytes.Length - 3)]);
        var cut = Assert.Throws<PlumblineException>(() => NgramModel.Load(dir.File("cut.bin")));
        Assert.Equal(FailureKind.BadInput, cut.Kind);
        Assert.Equal($"{dir.File("cut.bin")}: n-gram model file is truncated", cut.Message);
    }

    [Fact]
    public void Sample_SameSeed_SameText_DifferentSeed_DifferentText()
    {
        var lm = NgramModel.Train(EvalTexts.Load(300), new NgramOptions(Order: 3));

        var a = lm.SampleText(new Random(11));
        var b = lm.SampleText(new Random(11));
        var others = Enumerable.Range(12, 5).Select(s => lm.SampleText(new Random(s))).ToArray();

        Assert.Equal(a, b);
        Assert.NotEmpty(a);
        Assert.Contains(others, o => o != a);
    }

    [Fact]
    public void Sample_TemperatureOne_DrawsTheModelDistributionExceptUnk()
    {
        var lm = NgramModel.Train(Tiny, new NgramOptions(Order: 2));
        var random = new Random(1234);
        const int draws = 40_000;
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < draws; i++)
        {
            var first = lm.Sample(random, new SampleOptions(MaxTokens: 1)).FirstOrDefault() ?? "</s>";
            counts[first] = counts.GetValueOrDefault(first) + 1;
        }

        // p(·|<s>) from the hand computation in KneserNeyTests, renormalised without <unk> (p(<unk>|<s>) = ½·7/70 = 1/20)
        var keep = 1 - 1.0 / 20;
        Assert.Equal(44.0 / 105 / keep, counts["a"] / (double)draws, 2);
        Assert.Equal(121.0 / 420 / keep, counts["b"] / (double)draws, 2);
        Assert.False(counts.ContainsKey("<unk>"));
    }

    [Fact]
    public void Sample_TemperatureZero_TakesTheMostProbableTokenEachStep()
    {
        var lm = NgramModel.Train(Tiny, new NgramOptions(Order: 2));

        // p(a|<s>) = 44/105 is the largest; after a, b and c tie at 13/35 and the lower id (b, seen first) wins;
        // after b, c and </s> tie at 13/35 and </s> (id 1) wins
        Assert.Equal(["a", "b"], lm.Sample(new Random(0), new SampleOptions(Temperature: 0)));
    }

    [Fact]
    public void Sample_Prompt_ConditionsTheNextTokens()
    {
        var lm = NgramModel.Train(["the cat sat on the mat", "the dog sat on the rug"], new NgramOptions(Order: 3));

        // greedy: after "sat on" the trigram has the=2 (γ = D2·1/2 = ½, so p(the) ≥ ½); after "on the", mat and rug tie
        // and the lower id (mat, seen first) wins
        Assert.Equal(["the", "mat"], lm.Sample(new Random(0), new SampleOptions(Prompt: "the cat sat on", MaxTokens: 2, Temperature: 0)));

        // sampled: "the" follows "sat on" more often than every other word together
        var firsts = Enumerable.Range(0, 200).Select(seed => lm.Sample(new Random(seed), new SampleOptions(Prompt: "the cat sat on", MaxTokens: 1)).FirstOrDefault()).ToArray();
        Assert.True(firsts.Count(t => t == "the") > 100, string.Join(' ', firsts));
    }

    [Fact]
    public void Perplexity_TrainingTextBelowShuffledText()
    {
        var texts = EvalTexts.Load(400);
        var lm = NgramModel.Train(texts, new NgramOptions(Order: 3));
        var shuffled = string.Join(' ', lm.Tokenize(texts[0]).Reverse());

        Assert.True(lm.Score(texts[0]).Perplexity < lm.Score(shuffled).Perplexity);
        var perplexities = lm.Perplexities(texts.Take(10).ToArray());
        Assert.Equal(lm.Score(texts[3]).Perplexity, perplexities[3]);
    }

    private static List<string> Vocabulary(NgramModel lm, IEnumerable<string> texts)
    {
        var words = new HashSet<string>(StringComparer.Ordinal) { "</s>", "<unk>" };
        foreach (var t in texts)
        {
            words.UnionWith(lm.Tokenize(t));
        }

        Assert.Equal(lm.VocabularySize - 1, words.Count);
        return words.ToList();
    }
}

/// <summary>Statements from the anthropic-evals persona sets in ../shared/realdata (12,000 in 12 files), in file order.</summary>
internal static class EvalTexts
{
    public static List<string> Load(int count)
    {
        var folder = Path.GetFullPath(Path.Combine(RealData.RepositoryRoot, "..", "shared", "realdata", "anthropic-evals", "persona"));
        if (!Directory.Exists(folder))
        {
            throw new InvalidOperationException($"real data {folder} is absent (expected ../shared/realdata beside the repository)");
        }

        var result = new List<string>();
        foreach (var file in Directory.GetFiles(folder, "*.jsonl").Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(file))
            {
                using var doc = JsonDocument.Parse(line);
                result.Add(doc.RootElement.GetProperty("statement").GetString()!);
                if (result.Count == count)
                {
                    return result;
                }
            }
        }

        return result;
    }
}
