using Plumbline.Models.Ngram;

namespace Plumbline.Models.Tests.Ngram;

/// <summary>
/// Interpolated modified Kneser–Ney against probabilities worked out by hand.
///
/// Corpus (one sentence per text): "a b", "a c", "b c", i.e.
///   &lt;s&gt; a b &lt;/s&gt;  ·  &lt;s&gt; a c &lt;/s&gt;  ·  &lt;s&gt; b c &lt;/s&gt;
/// Vocabulary: &lt;s&gt; &lt;/s&gt; &lt;unk&gt; a b c; the 5 predictable tokens are &lt;/s&gt; &lt;unk&gt; a b c, so uniform = 1/5.
///
/// Bigram model (order 2)
///   bigram counts (highest order: raw): (&lt;s&gt;,a)=2 (&lt;s&gt;,b)=1 (a,b)=1 (a,c)=1 (b,c)=1 (b,&lt;/s&gt;)=1 (c,&lt;/s&gt;)=2
///   unigram counts (continuation, distinct left words): a=1 {&lt;s&gt;}, b=2 {&lt;s&gt;,a}, c=2 {a,b}, &lt;/s&gt;=2 {b,c}
///   count-of-counts have n3 = 0 at both orders, so Chen–Goodman is undefined → fallback D1=0.5, D2=1, D3+=1.5
///   unigrams: total 7, N1=1, N2=3 → γ = (0.5·1 + 1·3)/7 = 1/2
///     p(a) = (1−0.5)/7 + ½·⅕ = 12/70;  p(b) = p(c) = p(&lt;/s&gt;) = (2−1)/7 + 1/10 = 17/70;  p(&lt;unk&gt;) = 7/70
///   context a: b=1, c=1, total 2, N1=2 → γ = 0.5·2/2 = ½
///     p(b|a) = (1−0.5)/2 + ½·17/70 = 52/140 = 13/35;  p(a|a) = ½·12/70 = 3/35;  p(&lt;unk&gt;|a) = ½·7/70 = 1/20
///   context &lt;s&gt;: a=2, b=1, total 3, N1=1, N2=1 → γ = (0.5+1)/3 = ½
///     p(a|&lt;s&gt;) = (2−1)/3 + ½·12/70 = 44/105;  p(b|&lt;s&gt;) = (1−0.5)/3 + ½·17/70 = 121/420
///   context b: c=1, &lt;/s&gt;=1 → p(&lt;/s&gt;|b) = 13/35;  context c: &lt;/s&gt;=2, N2=1 → γ = ½, p(&lt;/s&gt;|c) = ½ + 17/140 = 87/140
/// </summary>
public class KneserNeyTests
{
    private static readonly string[] Corpus = ["a b", "a c", "b c"];

    [Fact]
    public void Bigram_TinyCorpus_MatchesHandComputedProbabilities()
    {
        var lm = NgramModel.Train(Corpus, new NgramOptions(Order: 2));

        Assert.Equal([KneserNeyDiscounts.Fallback, KneserNeyDiscounts.Fallback], lm.Discounts);
        Assert.Equal(12.0 / 70, lm.Probability("a", []), 12);
        Assert.Equal(17.0 / 70, lm.Probability("b", []), 12);
        Assert.Equal(17.0 / 70, lm.Probability("</s>", []), 12);
        Assert.Equal(7.0 / 70, lm.Probability("<unk>", []), 12);
        Assert.Equal(13.0 / 35, lm.Probability("b", ["a"]), 12);
        Assert.Equal(13.0 / 35, lm.Probability("c", ["a"]), 12);
        Assert.Equal(3.0 / 35, lm.Probability("a", ["a"]), 12);
        Assert.Equal(1.0 / 20, lm.Probability("zebra", ["a"]), 12);
        Assert.Equal(44.0 / 105, lm.Probability("a", ["<s>"]), 12);
        Assert.Equal(121.0 / 420, lm.Probability("b", ["<s>"]), 12);
        Assert.Equal(13.0 / 35, lm.Probability("</s>", ["b"]), 12);
        Assert.Equal(87.0 / 140, lm.Probability("</s>", ["c"]), 12);
        Assert.Equal(0.0, lm.Probability("<s>", ["a"]));
    }

    [Fact]
    public void Score_TinyCorpus_SumsHandComputedLogProbabilities()
    {
        var lm = NgramModel.Train(Corpus, new NgramOptions(Order: 2));

        var score = lm.Score("a b");

        // ln p(a|<s>) + ln p(b|a) + ln p(</s>|b) = ln(44/105) + 2·ln(13/35); perplexity over 3 tokens
        var expected = Math.Log(44.0 / 105) + 2 * Math.Log(13.0 / 35);
        Assert.Equal(["a", "b", "</s>"], score.Tokens.Select(t => t.Token));
        Assert.Equal(Math.Log(44.0 / 105), score.Tokens[0].LogProbability, 12);
        Assert.Equal(expected, score.LogProbability, 12);
        Assert.Equal(Math.Exp(-expected / 3), score.Perplexity, 12);
    }

    [Fact]
    public void Score_UnknownWord_UsesUnkAndBacksOffFromUnseenContext()
    {
        var lm = NgramModel.Train(Corpus, new NgramOptions(Order: 2));

        var score = lm.Score("a zebra");

        // p(<unk>|a) = 1/20; context <unk> was never seen, so p(</s>|<unk>) = p(</s>) = 17/70
        Assert.True(score.Tokens[1].Unknown);
        Assert.Equal(Math.Log(1.0 / 20), score.Tokens[1].LogProbability, 12);
        Assert.Equal(Math.Log(17.0 / 70), score.Tokens[2].LogProbability, 12);
    }

    /// <summary>
    /// Trigram on the same corpus. Bigrams now get continuation counts, except those starting with
    /// &lt;s&gt; (no left context), which keep raw counts: (&lt;s&gt;,a)=2 (&lt;s&gt;,b)=1, (a,b)=1 {&lt;s&gt;}, (a,c)=1,
    /// (b,c)=1, (b,&lt;/s&gt;)=1 {a}, (c,&lt;/s&gt;)=2 {a,b}. So p₂(b|a) = 13/35 and p₂(&lt;/s&gt;|b) = 13/35 as above.
    ///   p(a|&lt;s&gt;) — only one word of history: the bigram value 44/105
    ///   p(b|&lt;s&gt; a): trigram context (&lt;s&gt;,a) has b=1, c=1 → γ=½ → ¼ + ½·13/35 = 61/140
    ///   p(&lt;/s&gt;|a b): context (a,b) has &lt;/s&gt;=1 → γ=½ → ½ + ½·13/35 = 24/35
    /// </summary>
    [Fact]
    public void Trigram_TinyCorpus_KeepsRawCountsForSentenceStartAndMatchesHandComputation()
    {
        var lm = NgramModel.Train(Corpus, new NgramOptions(Order: 3));

        Assert.Equal(44.0 / 105, lm.Probability("a", ["<s>"]), 12);
        Assert.Equal(61.0 / 140, lm.Probability("b", ["<s>", "a"]), 12);
        Assert.Equal(24.0 / 35, lm.Probability("</s>", ["a", "b"]), 12);
        Assert.Equal(Math.Log(44.0 / 105) + Math.Log(61.0 / 140) + Math.Log(24.0 / 35), lm.Score("a b").LogProbability, 12);
    }

    [Fact]
    public void Estimate_FromCountOfCounts_FollowsChenAndGoodman()
    {
        // n1=100 n2=40 n3=20 n4=10: Y = 100/180 = 5/9; D1 = 1 − 2·(5/9)·(40/100) = 5/9;
        // D2 = 2 − 3·(5/9)·(20/40) = 7/6; D3+ = 3 − 4·(5/9)·(10/20) = 17/9
        var d = KneserNeyDiscounts.Estimate(100, 40, 20, 10);

        Assert.NotNull(d);
        Assert.Equal(5.0 / 9, d.Value.D1, 12);
        Assert.Equal(7.0 / 6, d.Value.D2, 12);
        Assert.Equal(17.0 / 9, d.Value.D3Plus, 12);
        Assert.Null(KneserNeyDiscounts.Estimate(10, 5, 0, 1));
    }

    [Fact]
    public void Train_Unigram_EstimatesDiscountsFromItsOwnCountOfCounts()
    {
        // one sentence "a b b c c c d d d d e": raw counts a=1 b=2 c=3 d=4 e=1 </s>=1, so n1=3 n2=1 n3=1 n4=1
        // Y = 3/5; D1 = 1 − 2·(3/5)·(1/3) = 3/5; D2 = 2 − 3·(3/5)·1 = 1/5; D3+ = 3 − 4·(3/5)·1 = 3/5
        var lm = NgramModel.Train(["a b b c c c d d d d e"], new NgramOptions(Order: 1));

        var d = Assert.Single(lm.Discounts);
        Assert.Equal(0.6, d.D1, 12);
        Assert.Equal(0.2, d.D2, 12);
        Assert.Equal(0.6, d.D3Plus, 12);

        // total 12, N1=3 N2=1 N3+=2 → γ = (0.6·3 + 0.2·1 + 0.6·2)/12 = 3.2/12; 7 predictable tokens
        // p(d) = (4 − 0.6)/12 + (3.2/12)/7
        Assert.Equal(3.4 / 12 + 3.2 / 12 / 7, lm.Probability("d", []), 12);
    }
}
