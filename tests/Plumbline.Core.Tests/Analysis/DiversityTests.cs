using Plumbline.Core.Analysis;

namespace Plumbline.Core.Tests.Analysis;

public sealed class DiversityTests
{
    private static readonly TokenizedCorpus CatCorpus = TokenizedCorpus.Create(["The cat sat.", "the cat ran"]);

    [Fact]
    public void DistinctN_OnTwoSentences_CountsDistinctOverAll()
    {
        // unigrams: the cat sat the cat ran → 4 distinct of 6; bigrams: the-cat ×2, cat-sat, cat-ran → 3 of 4; trigrams 2 of 2
        Assert.Equal(4.0 / 6, NgramIndex.Build(CatCorpus, 1).DistinctRatio(), 15);
        Assert.Equal(3.0 / 4, NgramIndex.Build(CatCorpus, 2).DistinctRatio(), 15);
        Assert.Equal(1.0, NgramIndex.Build(CatCorpus, 3).DistinctRatio(), 15);
        var four = NgramIndex.Build(CatCorpus, 4);
        Assert.Equal(0, four.Total);
        Assert.Equal(0.0, four.DistinctRatio());
    }

    [Fact]
    public void DistinctN_OfAResample_CountsRepeatsOnlyInTheDenominator()
    {
        var index = NgramIndex.Build(CatCorpus, 1);
        Assert.Equal(4.0 / 6, index.DistinctRatio([1, 1]), 15);
        Assert.Equal(3.0 / 6, index.DistinctRatio([2, 0]), 15); // "the cat sat" twice: 3 distinct of 6
    }

    [Fact]
    public void Entropy_OfUnigrams_IsShannonInBits()
    {
        // counts the:2 cat:2 sat:1 ran:1 of 6
        var expected = -((2 * (2.0 / 6) * Math.Log2(2.0 / 6)) + (2 * (1.0 / 6) * Math.Log2(1.0 / 6)));
        var index = NgramIndex.Build(CatCorpus, 1);
        Assert.Equal(expected, index.Entropy(), 12);
        Assert.Equal(expected, index.Entropy([1, 1]), 12);
        Assert.Equal(Math.Log2(3), index.Entropy([3, 0]), 12);
    }

    // NLTK's documented example (nltk/translate/bleu_score.py, sentence_bleu and modified_precision docstrings)
    private static readonly string[] Hypothesis1 = "It is a guide to action which ensures that the military always obeys the commands of the party".Split(' ');
    private static readonly string[] Reference1 = "It is a guide to action that ensures that the military will forever heed Party commands".Split(' ');
    private static readonly string[] Reference2 = "It is the guiding principle which guarantees the military forces always being under the command of the Party".Split(' ');
    private static readonly string[] Reference3 = "It is the practical guide for the army always to heed the directions of the party".Split(' ');

    [Fact]
    public void Bleu_NltkDocumentedExample_MatchesPublishedValues()
    {
        IReadOnlyList<string>[] references = [Reference1, Reference2, Reference3];
        Assert.Equal((17, 18), Bleu.ModifiedPrecision(Hypothesis1, references, 1));
        Assert.Equal((10, 17), Bleu.ModifiedPrecision(Hypothesis1, references, 2));
        Assert.Equal(0.5045666840058485, Bleu.Sentence(Hypothesis1, references), 12);
    }

    [Fact]
    public void SelfBleu_ThroughTheIndex_EqualsSentenceBleuAgainstAllOthers()
    {
        string[] texts =
        [
            "It is a guide to action which ensures that the military always obeys the commands of the party",
            "It is a guide to action that ensures that the military will forever heed Party commands",
            "It is the guiding principle which guarantees the military forces always being under the command of the Party",
            "It is the practical guide for the army always to heed the directions of the party",
            "the party always heeds the army",
            "nothing in common here",
            "It is a guide",
        ];
        var corpus = TokenizedCorpus.Create(texts);
        var indexes = Enumerable.Range(1, 4).Select(n => NgramIndex.Build(corpus, n)).ToArray();
        var scores = Bleu.SelfBleuScores(indexes);
        var tokens = texts.Select(t => (IReadOnlyList<string>)Tokenizer.Tokenize(t)).ToArray();
        for (var i = 0; i < texts.Length; i++)
        {
            var others = tokens.Where((_, j) => j != i).ToArray();
            Assert.Equal(Bleu.Sentence(tokens[i], others), scores[i], 12);
        }

        Assert.Equal(0.0, scores[5]); // no unigram in common: 0, as in NLTK
    }

    [Fact]
    public void SelfBleu_OfIdenticalTexts_IsOne()
    {
        var corpus = TokenizedCorpus.Create(["a b c d e", "a b c d e", "a b c d e"]);
        var scores = Bleu.SelfBleuScores(Enumerable.Range(1, 4).Select(n => NgramIndex.Build(corpus, n)).ToArray());
        Assert.All(scores, s => Assert.Equal(1.0, s, 15));
    }

    [Fact]
    public void SelfBleu_ShortHypothesis_UsesNltkSmoothingAndBrevityPenalty()
    {
        // "a b" against "a b c": p1 = 2/2, p2 = 1/1, p3 = 0 → 0.1/1, p4 = 0 → 0.1/1; BP = exp(1 − 3/2)
        var corpus = TokenizedCorpus.Create(["a b", "a b c"]);
        var scores = Bleu.SelfBleuScores(Enumerable.Range(1, 4).Select(n => NgramIndex.Build(corpus, n)).ToArray());
        Assert.Equal(Math.Exp(1 - 1.5) * Math.Exp((Math.Log(0.1) * 2) / 4), scores[0], 14);
    }

    [Fact]
    public void Quantile_IsNumpysLinearDefault()
    {
        double[] values = [1, 2, 3, 4];
        Assert.Equal(2.5, Bootstrap.Quantile(values, 0.5));
        Assert.Equal(1.75, Bootstrap.Quantile(values, 0.25));
        Assert.Equal(4, Bootstrap.Quantile(values, 1));
    }

    [Fact]
    public void BootstrapInterval_IsReproducibleAndContainsTheMeanOfAWideSample()
    {
        var values = Enumerable.Range(0, 1000).Select(i => (double)(i % 10)).ToArray();
        var a = Bootstrap.Interval(values.Average(), 200, 7, r => Bootstrap.ResampleMean(values, r));
        var b = Bootstrap.Interval(values.Average(), 200, 7, r => Bootstrap.ResampleMean(values, r));
        Assert.Equal(a, b);
        Assert.True(a.Low < 4.5 && 4.5 < a.High, $"{a}");
        Assert.True(a.High - a.Low < 0.5, $"{a}");
    }

    [Fact]
    public void BootstrapInterval_OfDistinctN_IsRecentredOnTheEstimate()
    {
        // resampling with replacement repeats texts, so raw resample values of distinct-n sit well below the estimate
        var texts = Enumerable.Range(0, 300).Select(i => $"w{i % 50} v{i % 7} common u{i % 13} x{i}").ToArray();
        var index = NgramIndex.Build(TokenizedCorpus.Create(texts), 2);
        var value = index.DistinctRatio();
        var raw = Enumerable.Range(0, 50).Select(b => index.DistinctRatio(Bootstrap.Multiplicities(300, new Random(b)))).Average();
        Assert.True(raw < value - 0.05, $"{raw} vs {value}");
        var interval = Bootstrap.Interval(value, 100, 1, r => index.DistinctRatio(Bootstrap.Multiplicities(300, r)));
        Assert.True(interval.Low < value && value < interval.High, $"{interval}");
    }
}
