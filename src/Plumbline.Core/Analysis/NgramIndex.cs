using System.Runtime.InteropServices;

namespace Plumbline.Core.Analysis;

/// <summary>
/// The shared n-gram count index of a <see cref="TokenizedCorpus"/> for one order n: every distinct
/// n-gram with the texts it occurs in and how often (a posting list), every text with its n-grams,
/// and per n-gram the two largest per-text counts. Built once in O(total tokens); distinct-n, entropy
/// and self-BLEU (clipping against "every other text") are then linear scans, and so are their
/// bootstrap resamples.
/// </summary>
public sealed class NgramIndex
{
    private readonly int[] _gramStart;  // per gram: offsets into _postText/_postCount (length Distinct+1)
    private readonly int[] _postText;
    private readonly int[] _postCount;
    private readonly int[] _textStart;  // per text: offsets into _textGram/_textCount (length texts+1)
    private readonly int[] _textGram;
    private readonly int[] _textCount;
    private readonly int[] _max1;
    private readonly int[] _max1Text;
    private readonly int[] _max2;
    private readonly int[] _totalPerText;

    private NgramIndex(int order, int[] textStart, int[] textGram, int[] textCount, int distinct, int[] totalPerText)
    {
        Order = order;
        _textStart = textStart;
        _textGram = textGram;
        _textCount = textCount;
        _totalPerText = totalPerText;
        Distinct = distinct;
        Total = totalPerText.Sum(t => (long)t);

        // postings by gram (counting sort of the by-text entries)
        _gramStart = new int[distinct + 1];
        foreach (var g in textGram)
        {
            _gramStart[g + 1]++;
        }

        for (var g = 0; g < distinct; g++)
        {
            _gramStart[g + 1] += _gramStart[g];
        }

        _postText = new int[textGram.Length];
        _postCount = new int[textGram.Length];
        var fill = (int[])_gramStart.Clone();
        _max1 = new int[distinct];
        _max1Text = new int[distinct];
        _max2 = new int[distinct];
        Array.Fill(_max1Text, -1);
        var texts = textStart.Length - 1;
        for (var t = 0; t < texts; t++)
        {
            for (var e = textStart[t]; e < textStart[t + 1]; e++)
            {
                var g = textGram[e];
                var c = textCount[e];
                var at = fill[g]++;
                _postText[at] = t;
                _postCount[at] = c;
                if (c > _max1[g])
                {
                    _max2[g] = _max1[g];
                    _max1[g] = c;
                    _max1Text[g] = t;
                }
                else if (c > _max2[g])
                {
                    _max2[g] = c;
                }
            }
        }
    }

    /// <summary>The n of the n-grams.</summary>
    public int Order { get; }

    /// <summary>Number of distinct n-grams over the corpus.</summary>
    public int Distinct { get; }

    /// <summary>Number of n-gram occurrences over the corpus (Σ max(0, length − n + 1)).</summary>
    public long Total { get; }

    /// <summary>Number of texts indexed.</summary>
    public int Texts => _textStart.Length - 1;

    /// <summary>Builds the index of order <paramref name="order"/> (1 to 4).</summary>
    public static NgramIndex Build(TokenizedCorpus corpus, int order)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, 4);
        var ids = new Dictionary<UInt128, int>();
        var local = new Dictionary<int, int>();
        var textStart = new int[corpus.Count + 1];
        var textGram = new List<int>();
        var textCount = new List<int>();
        var totals = new int[corpus.Count];
        for (var t = 0; t < corpus.Count; t++)
        {
            var tokens = corpus.Texts[t];
            local.Clear();
            for (var j = 0; j + order <= tokens.Length; j++)
            {
                var key = Key(tokens.AsSpan(j, order));
                ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(ids, key, out var exists);
                if (!exists)
                {
                    id = ids.Count - 1;
                }

                ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(local, id, out _);
                count++;
            }

            totals[t] = Math.Max(0, tokens.Length - order + 1);
            foreach (var (g, c) in local)
            {
                textGram.Add(g);
                textCount.Add(c);
            }

            textStart[t + 1] = textGram.Count;
        }

        return new NgramIndex(order, textStart, [.. textGram], [.. textCount], ids.Count, totals);
    }

    /// <summary>Number of n-grams in text <paramref name="text"/>.</summary>
    public int TotalIn(int text) => _totalPerText[text];

    /// <summary>distinct-n (Li et al. 2016): distinct n-grams over all n-gram occurrences; 0 when there is none.</summary>
    public double DistinctRatio() => Total == 0 ? 0 : (double)Distinct / Total;

    /// <summary>distinct-n of a bootstrap resample: text t taken <paramref name="multiplicity"/>[t] times.</summary>
    public double DistinctRatio(ReadOnlySpan<int> multiplicity)
    {
        CheckLength(multiplicity);
        long total = 0;
        for (var t = 0; t < multiplicity.Length; t++)
        {
            total += (long)multiplicity[t] * _totalPerText[t];
        }

        if (total == 0)
        {
            return 0;
        }

        var distinct = 0;
        for (var g = 0; g < Distinct; g++)
        {
            for (var p = _gramStart[g]; p < _gramStart[g + 1]; p++)
            {
                if (multiplicity[_postText[p]] > 0)
                {
                    distinct++;
                    break;
                }
            }
        }

        return (double)distinct / total;
    }

    /// <summary>Shannon entropy in bits of the n-gram distribution over the whole corpus.</summary>
    public double Entropy()
    {
        if (Total == 0)
        {
            return 0;
        }

        var h = 0.0;
        for (var g = 0; g < Distinct; g++)
        {
            long c = 0;
            for (var p = _gramStart[g]; p < _gramStart[g + 1]; p++)
            {
                c += _postCount[p];
            }

            var q = (double)c / Total;
            h -= q * Math.Log2(q);
        }

        return h;
    }

    /// <summary>Entropy (bits) of a bootstrap resample.</summary>
    public double Entropy(ReadOnlySpan<int> multiplicity)
    {
        CheckLength(multiplicity);
        long total = 0;
        for (var t = 0; t < multiplicity.Length; t++)
        {
            total += (long)multiplicity[t] * _totalPerText[t];
        }

        if (total == 0)
        {
            return 0;
        }

        var h = 0.0;
        for (var g = 0; g < Distinct; g++)
        {
            long c = 0;
            for (var p = _gramStart[g]; p < _gramStart[g + 1]; p++)
            {
                c += (long)_postCount[p] * multiplicity[_postText[p]];
            }

            if (c > 0)
            {
                var q = (double)c / total;
                h -= q * Math.Log2(q);
            }
        }

        return h;
    }

    /// <summary>
    /// BLEU's clipped match count of text <paramref name="text"/> against every other text as a
    /// reference: Σ over its n-grams of min(count in the text, max count in any other text).
    /// </summary>
    public int ClippedMatchesAgainstOthers(int text)
    {
        var matches = 0;
        for (var e = _textStart[text]; e < _textStart[text + 1]; e++)
        {
            var g = _textGram[e];
            var other = _max1Text[g] == text ? _max2[g] : _max1[g];
            matches += Math.Min(_textCount[e], other);
        }

        return matches;
    }

    private void CheckLength(ReadOnlySpan<int> multiplicity)
    {
        if (multiplicity.Length != Texts)
        {
            throw new ArgumentException($"expected one multiplicity per text ({Texts}), got {multiplicity.Length}", nameof(multiplicity));
        }
    }

    private static UInt128 Key(ReadOnlySpan<int> ids)
    {
        UInt128 key = 0;
        foreach (var id in ids)
        {
            key = unchecked((key << 32) | (uint)(id + 1));
        }

        return key;
    }
}
