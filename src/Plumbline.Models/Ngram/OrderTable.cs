namespace Plumbline.Models.Ngram;

/// <summary>
/// The n-grams of one order, grouped by context: for each context the words that followed it
/// (sorted by id) with their adjusted counts, and the context's interpolation weight γ.
/// </summary>
internal sealed class OrderTable
{
    public OrderTable(int order, KneserNeyDiscounts discounts, Dictionary<UInt128, int> contextIndex, UInt128[] contextKeys, int[] childStart, int[] childWord, int[] childCount)
    {
        Order = order;
        Discounts = discounts;
        ContextIndex = contextIndex;
        ContextKeys = contextKeys;
        ChildStart = childStart;
        ChildWord = childWord;
        ChildCount = childCount;
        var contexts = contextKeys.Length;
        InverseTotal = new double[contexts];
        Gamma = new double[contexts];
        Cumulative = new double[childWord.Length];
        for (var c = 0; c < contexts; c++)
        {
            long total = 0;
            long n1 = 0, n2 = 0, n3 = 0;
            var running = 0.0;
            for (var p = childStart[c]; p < childStart[c + 1]; p++)
            {
                var a = childCount[p];
                total += a;
                switch (a)
                {
                    case 1: n1++; break;
                    case 2: n2++; break;
                    case >= 3: n3++; break;
                }

                running += Math.Max(a - discounts.For(a), 0);
                Cumulative[p] = running;
            }

            InverseTotal[c] = total > 0 ? 1.0 / total : 0;
            Gamma[c] = total > 0 ? (discounts.D1 * n1 + discounts.D2 * n2 + discounts.D3Plus * n3) / total : 1.0;
        }
    }

    public int Order { get; }

    public KneserNeyDiscounts Discounts { get; }

    public Dictionary<UInt128, int> ContextIndex { get; }

    public UInt128[] ContextKeys { get; }

    public int[] ChildStart { get; }

    public int[] ChildWord { get; }

    public int[] ChildCount { get; }

    /// <summary>Running sum of discounted counts max(a−D(a),0) within each context, for sampling by binary search.</summary>
    public double[] Cumulative { get; }

    public double[] InverseTotal { get; }

    /// <summary>γ(h) = (D1·N1(h·) + D2·N2(h·) + D3+·N3+(h·)) / Σ a(h·): the mass left for the lower order.</summary>
    public double[] Gamma { get; }

    /// <summary>Adjusted count a(h w), 0 when unseen.</summary>
    public int CountOf(int context, int word)
    {
        var lo = ChildStart[context];
        var hi = ChildStart[context + 1] - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var w = ChildWord[mid];
            if (w == word)
            {
                return ChildCount[mid];
            }

            if (w < word)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return 0;
    }

    /// <summary>The discounted, normalised part u(w|h) = max(a(hw) − D, 0) / Σ a(h·).</summary>
    public double Discounted(int context, int word)
    {
        var a = CountOf(context, word);
        return a == 0 ? 0 : Math.Max(a - Discounts.For(a), 0) * InverseTotal[context];
    }

    /// <summary>Builds a table from adjusted counts keyed by the folded n-gram (context in the high bits, word in the low 24).</summary>
    public static OrderTable Build(int order, KneserNeyDiscounts discounts, Dictionary<UInt128, int> adjusted)
    {
        var entries = adjusted.Select(kv => (Context: kv.Key >> NgramKey.Bits, Word: (int)(uint)(kv.Key & NgramKey.Mask) - 1, Count: kv.Value))
            .OrderBy(e => e.Context).ThenBy(e => e.Word).ToArray();
        var contextIndex = new Dictionary<UInt128, int>();
        var keys = new List<UInt128>();
        var starts = new List<int>();
        var words = new int[entries.Length];
        var counts = new int[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            if (i == 0 || entries[i].Context != entries[i - 1].Context)
            {
                contextIndex[entries[i].Context] = keys.Count;
                keys.Add(entries[i].Context);
                starts.Add(i);
            }

            words[i] = entries[i].Word;
            counts[i] = entries[i].Count;
        }

        starts.Add(entries.Length);
        return new OrderTable(order, discounts, contextIndex, keys.ToArray(), starts.ToArray(), words, counts);
    }
}

/// <summary>N-grams as one 128-bit key: each token id + 1 in 24 bits, the last token lowest (so the context is key &gt;&gt; 24).</summary>
internal static class NgramKey
{
    public const int Bits = 24;
    public const int MaxVocabulary = (1 << Bits) - 2;
    public static readonly UInt128 Mask = (UInt128.One << Bits) - 1;

    public static UInt128 Of(ReadOnlySpan<int> tokens)
    {
        UInt128 key = 0;
        foreach (var t in tokens)
        {
            key = (key << Bits) | (uint)(t + 1);
        }

        return key;
    }

    /// <summary>Drops the first (oldest) of <paramref name="length"/> tokens.</summary>
    public static UInt128 WithoutFirst(UInt128 key, int length) => key & ((UInt128.One << (Bits * (length - 1))) - 1);

    /// <summary>The first (oldest) of <paramref name="length"/> tokens.</summary>
    public static int First(UInt128 key, int length) => (int)(uint)(key >> (Bits * (length - 1))) - 1;
}
