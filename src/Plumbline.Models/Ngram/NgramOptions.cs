namespace Plumbline.Models.Ngram;

/// <summary>The three discounts of modified Kneser–Ney for one order (Chen and Goodman 1998): for n-grams seen once, twice, and three or more times.</summary>
public readonly record struct KneserNeyDiscounts(double D1, double D2, double D3Plus)
{
    /// <summary>What is used when the count-of-counts cannot give valid discounts (a tiny corpus): 0.5, 1, 1.5, as KenLM's <c>--discount_fallback</c>.</summary>
    public static KneserNeyDiscounts Fallback { get; } = new(0.5, 1.0, 1.5);

    /// <summary>The discount for an n-gram with (adjusted) count <paramref name="count"/>.</summary>
    public double For(long count) => count switch
    {
        <= 0 => 0,
        1 => D1,
        2 => D2,
        _ => D3Plus,
    };

    /// <summary>
    /// Chen and Goodman's estimates from the count-of-counts n1..n4 of one order:
    /// Y = n1/(n1+2·n2), D1 = 1−2Y·n2/n1, D2 = 2−3Y·n3/n2, D3+ = 3−4Y·n4/n3.
    /// Returns null when a count-of-count is zero or a discount falls outside (0, k].
    /// </summary>
    public static KneserNeyDiscounts? Estimate(long n1, long n2, long n3, long n4)
    {
        if (n1 <= 0 || n2 <= 0 || n3 <= 0 || n4 <= 0)
        {
            return null;
        }

        var y = n1 / (n1 + 2.0 * n2);
        var d1 = 1 - 2 * y * n2 / n1;
        var d2 = 2 - 3 * y * n3 / n2;
        var d3 = 3 - 4 * y * n4 / n3;
        if (d1 <= 0 || d1 > 1 || d2 <= 0 || d2 > 2 || d3 <= 0 || d3 > 3)
        {
            return null;
        }

        return new KneserNeyDiscounts(d1, d2, d3);
    }
}

/// <summary>How an <see cref="NgramModel"/> is trained.</summary>
/// <param name="Order">Longest n-gram (1 to 6); default 3.</param>
/// <param name="Lowercase">Fold the text to lower case before training (and scoring, sampling); default false.</param>
/// <param name="Discounts">Fixed discounts per order (index 0 = unigrams); null estimates them from the count-of-counts, falling back to <see cref="KneserNeyDiscounts.Fallback"/> where the estimate is undefined.</param>
public sealed record NgramOptions(int Order = 3, bool Lowercase = false, IReadOnlyList<KneserNeyDiscounts>? Discounts = null)
{
    /// <summary>Largest supported order.</summary>
    public const int MaxOrder = 6;

    internal void Validate()
    {
        if (Order is < 1 or > MaxOrder)
        {
            throw new ArgumentOutOfRangeException(nameof(Order), Order, $"order must be 1 to {MaxOrder}");
        }

        if (Discounts is not null && Discounts.Count != Order)
        {
            throw new ArgumentException($"Discounts must give one entry per order ({Order}), got {Discounts.Count}", nameof(Discounts));
        }
    }
}

/// <summary>The score of one token: its natural-log probability given the tokens before it.</summary>
public readonly record struct TokenScore(string Token, double LogProbability, bool Unknown);

/// <summary>The score of one text under an n-gram model.</summary>
/// <param name="Tokens">One entry per token, ending with <c>&lt;/s&gt;</c>.</param>
/// <param name="LogProbability">Sum of the natural-log probabilities.</param>
/// <param name="Perplexity">exp(−LogProbability / Tokens.Count), the end-of-sentence token included (as KenLM and SRILM count it).</param>
public sealed record TextScore(IReadOnlyList<TokenScore> Tokens, double LogProbability, double Perplexity);

/// <summary>Options for <see cref="NgramModel.Sample(Random, SampleOptions?)"/>.</summary>
/// <param name="Prompt">Text to continue (its last Order−1 tokens condition the first sampled token); null or empty starts a sentence.</param>
/// <param name="MaxTokens">Stop after this many tokens if the end of sentence has not been drawn; default 64.</param>
/// <param name="Temperature">1 samples the model's distribution exactly; lower sharpens, higher flattens (p^(1/T)); 0 takes the most probable token.</param>
public sealed record SampleOptions(string? Prompt = null, int MaxTokens = 64, double Temperature = 1.0);
