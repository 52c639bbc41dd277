using Plumbline.Core;
using Plumbline.Core.Analysis;

namespace Plumbline.Models.Ngram;

/// <summary>
/// A word n-gram language model with interpolated modified Kneser–Ney smoothing (Chen and Goodman
/// 1998, as built by KenLM's lmplz): the highest order uses raw counts, lower orders use
/// continuation counts N1+(·w) except for n-grams that begin with <c>&lt;s&gt;</c> (which have no
/// left context and keep raw counts); each order has three discounts D1, D2, D3+ estimated from its
/// count-of-counts; unigrams are interpolated with the uniform distribution over the vocabulary
/// (words, <c>&lt;/s&gt;</c> and <c>&lt;unk&gt;</c>).
/// </summary>
/// <remarks>
/// p(w | h) = max(a(hw) − D(a(hw)), 0) / Σₓ a(hx) + γ(h) · p(w | h′), with h′ = h without its
/// oldest word and γ(h) = (D1·N1(h·) + D2·N2(h·) + D3+·N3+(h·)) / Σₓ a(hx); an unseen context
/// passes all its mass down (γ = 1). Each text is one sentence: <c>&lt;s&gt; w1 … wm &lt;/s&gt;</c>.
/// Tokens come from <see cref="Tokenizer"/> with <see cref="TokenizerOptions.Generative"/>.
/// </remarks>
/// <example>
/// <code>
/// var lm = NgramModel.Train(lines, new NgramOptions(Order: 3));
/// TextScore s = lm.Score("the cat sat");        // s.Perplexity, s.Tokens[i].LogProbability
/// string text = lm.SampleText(new Random(42), new SampleOptions(Temperature: 0.8));
/// lm.Save("lm.bin");                            // later: NgramModel.Load("lm.bin")
/// </code>
/// </example>
public sealed class NgramModel
{
    /// <summary>Start of sentence (context only, never predicted).</summary>
    public const string StartToken = "<s>";

    /// <summary>End of sentence.</summary>
    public const string EndToken = "</s>";

    /// <summary>Any word not seen in training.</summary>
    public const string UnknownToken = "<unk>";

    internal const int Start = 0;
    internal const int End = 1;
    internal const int Unknown = 2;
    private const uint Magic = 0x474E4C50; // "PLNG"
    private const int FormatVersion = 1;

    private readonly string[] _words;
    private readonly Dictionary<string, int> _ids;
    private readonly OrderTable[] _tables; // index k-1 holds order k
    private readonly double[] _unigram; // p(w) for every id; 0 for <s>

    private NgramModel(string[] words, OrderTable[] tables, bool lowercase)
    {
        _words = words;
        _tables = tables;
        Lowercase = lowercase;
        _ids = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (var i = 0; i < words.Length; i++)
        {
            _ids[words[i]] = i;
        }

        _unigram = new double[words.Length];
        var uniform = 1.0 / (words.Length - 1);
        var unigrams = _tables[0];
        var root = unigrams.ContextIndex.GetValueOrDefault(UInt128.Zero, -1);
        for (var w = 1; w < words.Length; w++)
        {
            _unigram[w] = root < 0 ? uniform : unigrams.Discounted(root, w) + unigrams.Gamma[root] * uniform;
        }
    }

    /// <summary>Longest n-gram.</summary>
    public int Order => _tables.Length;

    /// <summary>Whether text is lower-cased before it is tokenized.</summary>
    public bool Lowercase { get; }

    /// <summary>Vocabulary size, counting <c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c> and <c>&lt;unk&gt;</c>.</summary>
    public int VocabularySize => _words.Length;

    /// <summary>The discounts in use, per order (index 0 = unigrams).</summary>
    public IReadOnlyList<KneserNeyDiscounts> Discounts => _tables.Select(t => t.Discounts).ToArray();

    /// <summary>Number of distinct n-grams stored per order (index 0 = unigrams).</summary>
    public IReadOnlyList<int> NgramCounts => _tables.Select(t => t.ChildWord.Length).ToArray();

    /// <summary>Trains a model on <paramref name="texts"/>, one sentence per text.</summary>
    public static NgramModel Train(IEnumerable<string> texts, NgramOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        options ??= new NgramOptions();
        options.Validate();
        var n = options.Order;
        var words = new List<string> { StartToken, EndToken, UnknownToken };
        var ids = new Dictionary<string, int>(StringComparer.Ordinal) { [StartToken] = Start, [EndToken] = End, [UnknownToken] = Unknown };
        var raw = new Dictionary<UInt128, int>[n];
        for (var k = 0; k < n; k++)
        {
            raw[k] = new Dictionary<UInt128, int>();
        }

        var sentence = new List<int>();
        foreach (var text in texts)
        {
            sentence.Clear();
            sentence.Add(Start);
            foreach (var token in TokensOf(text ?? string.Empty, options.Lowercase))
            {
                if (!ids.TryGetValue(token, out var id))
                {
                    if (words.Count > NgramKey.MaxVocabulary)
                    {
                        throw PlumblineException.BadInput($"n-gram vocabulary exceeds {NgramKey.MaxVocabulary} words");
                    }

                    id = words.Count;
                    ids[token] = id;
                    words.Add(token);
                }

                sentence.Add(id);
            }

            sentence.Add(End);
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(sentence);
            for (var j = 1; j < span.Length; j++)
            {
                for (var k = 1; k <= Math.Min(n, j + 1); k++)
                {
                    var key = NgramKey.Of(span.Slice(j - k + 1, k));
                    ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(raw[k - 1], key, out _);
                    count++;
                }
            }
        }

        // adjusted counts: raw at the highest order and for n-grams that begin with <s>; otherwise the number of distinct left extensions
        var adjusted = new Dictionary<UInt128, int>[n];
        adjusted[n - 1] = raw[n - 1];
        for (var k = n - 1; k >= 1; k--)
        {
            var lower = new Dictionary<UInt128, int>(raw[k - 1].Count);
            foreach (var key in raw[k].Keys)
            {
                ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(lower, NgramKey.WithoutFirst(key, k + 1), out _);
                count++;
            }

            foreach (var (key, count) in raw[k - 1])
            {
                if (NgramKey.First(key, k) == Start)
                {
                    lower[key] = count;
                }
            }

            adjusted[k - 1] = lower;
        }

        var tables = new OrderTable[n];
        for (var k = 1; k <= n; k++)
        {
            var discounts = options.Discounts?[k - 1] ?? EstimateDiscounts(adjusted[k - 1]);
            tables[k - 1] = OrderTable.Build(k, discounts, adjusted[k - 1]);
        }

        return new NgramModel(words.ToArray(), tables, options.Lowercase);
    }

    /// <summary>The count-of-counts n1..n4 of an order's adjusted counts.</summary>
    internal static KneserNeyDiscounts EstimateDiscounts(IReadOnlyDictionary<UInt128, int> adjusted)
    {
        long n1 = 0, n2 = 0, n3 = 0, n4 = 0;
        foreach (var a in adjusted.Values)
        {
            switch (a)
            {
                case 1: n1++; break;
                case 2: n2++; break;
                case 3: n3++; break;
                case 4: n4++; break;
            }
        }

        return KneserNeyDiscounts.Estimate(n1, n2, n3, n4) ?? KneserNeyDiscounts.Fallback;
    }

    /// <summary>The tokens the model sees for a text (tokenizer output, lower-cased if the model is).</summary>
    public IReadOnlyList<string> Tokenize(string text) => TokensOf(text, Lowercase);

    /// <summary>p(word | history) with the history as tokens (the most recent last; <c>&lt;s&gt;</c> allowed first). Unknown words are <c>&lt;unk&gt;</c>.</summary>
    public double Probability(string word, IReadOnlyList<string> history)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(history);
        var context = history.Select(IdOf).ToArray();
        return Probability(IdOf(word), context);
    }

    /// <summary>Scores a text as one sentence: natural-log probability of each token and of <c>&lt;/s&gt;</c>, and the perplexity.</summary>
    public TextScore Score(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = TokensOf(text, Lowercase);
        var ids = new int[tokens.Count + 2];
        ids[0] = Start;
        for (var i = 0; i < tokens.Count; i++)
        {
            ids[i + 1] = IdOf(tokens[i]);
        }

        ids[^1] = End;
        var scores = new TokenScore[ids.Length - 1];
        var sum = 0.0;
        for (var j = 1; j < ids.Length; j++)
        {
            var from = Math.Max(0, j - (Order - 1));
            var logp = Math.Log(Probability(ids[j], ids.AsSpan(from, j - from)));
            sum += logp;
            scores[j - 1] = new TokenScore(j == ids.Length - 1 ? EndToken : tokens[j - 1], logp, ids[j] == Unknown);
        }

        return new TextScore(scores, sum, Math.Exp(-sum / scores.Length));
    }

    /// <summary>Perplexity of each text (<see cref="Score"/>), in parallel, order kept.</summary>
    public double[] Perplexities(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var result = new double[texts.Count];
        Parallel.For(0, texts.Count, i => result[i] = Score(texts[i]).Perplexity);
        return result;
    }

    /// <summary>Perplexity over a whole corpus: exp(−Σ log p / Σ tokens), <c>&lt;/s&gt;</c> counted.</summary>
    public double CorpusPerplexity(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var sum = 0.0;
        long count = 0;
        foreach (var text in texts)
        {
            var s = Score(text);
            sum += s.LogProbability;
            count += s.Tokens.Count;
        }

        return count == 0 ? double.NaN : Math.Exp(-sum / count);
    }

    /// <summary>Samples tokens (without <c>&lt;/s&gt;</c>) until the end of sentence or <see cref="SampleOptions.MaxTokens"/>; never draws <c>&lt;unk&gt;</c>.</summary>
    public IReadOnlyList<string> Sample(Random random, SampleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(random);
        options ??= new SampleOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Temperature, nameof(options.Temperature));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxTokens, nameof(options.MaxTokens));
        var history = new List<int> { Start };
        if (!string.IsNullOrEmpty(options.Prompt))
        {
            history.AddRange(TokensOf(options.Prompt, Lowercase).Select(IdOf));
        }

        var result = new List<string>();
        double[]? buffer = null;
        while (result.Count < options.MaxTokens)
        {
            var from = Math.Max(0, history.Count - (Order - 1));
            var context = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(history)[from..];
            int next;
            if (options.Temperature == 1.0)
            {
                do
                {
                    next = SampleExact(random, context);
                }
                while (next == Unknown);
            }
            else
            {
                buffer ??= new double[_words.Length];
                next = SampleTempered(random, context, options.Temperature, buffer);
            }

            if (next == End)
            {
                break;
            }

            history.Add(next);
            result.Add(_words[next]);
        }

        return result;
    }

    /// <summary>Samples and joins the tokens into text (<see cref="Tokenizer.Detokenize"/>).</summary>
    public string SampleText(Random random, SampleOptions? options = null) => Tokenizer.Detokenize(Sample(random, options));

    /// <summary>Writes the model (binary, versioned) through a temporary file, so a crash leaves no torn model.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        using (var writer = new BinaryWriter(new BufferedStream(stream, 1 << 16)))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(Lowercase);
            writer.Write(Order);
            writer.Write(_words.Length);
            foreach (var w in _words)
            {
                writer.Write(w);
            }

            foreach (var table in _tables)
            {
                writer.Write(table.Discounts.D1);
                writer.Write(table.Discounts.D2);
                writer.Write(table.Discounts.D3Plus);
                writer.Write(table.ContextKeys.Length);
                for (var c = 0; c < table.ContextKeys.Length; c++)
                {
                    writer.Write((ulong)(table.ContextKeys[c] >> 64));
                    writer.Write((ulong)(table.ContextKeys[c] & ulong.MaxValue));
                    var start = table.ChildStart[c];
                    var end = table.ChildStart[c + 1];
                    writer.Write(end - start);
                    for (var p = start; p < end; p++)
                    {
                        writer.Write(table.ChildWord[p]);
                        writer.Write(table.ChildCount[p]);
                    }
                }
            }
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    /// <exception cref="PlumblineException">NotFound when the file is missing; BadInput when it is not an n-gram model or is truncated.</exception>
    public static NgramModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw PlumblineException.NotFound($"{path}: no such n-gram model file");
        }

        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(new BufferedStream(stream, 1 << 16));
            if (reader.ReadUInt32() != Magic)
            {
                throw PlumblineException.BadInput($"{path}: not a Plumbline n-gram model (bad magic)");
            }

            var version = reader.ReadInt32();
            if (version != FormatVersion)
            {
                throw PlumblineException.BadInput($"{path}: n-gram model format {version} is not supported (expected {FormatVersion})");
            }

            var lowercase = reader.ReadBoolean();
            var order = reader.ReadInt32();
            if (order is < 1 or > NgramOptions.MaxOrder)
            {
                throw PlumblineException.BadInput($"{path}: order {order} is out of range 1 to {NgramOptions.MaxOrder}");
            }

            var words = new string[reader.ReadInt32()];
            for (var i = 0; i < words.Length; i++)
            {
                words[i] = reader.ReadString();
            }

            var tables = new OrderTable[order];
            for (var k = 1; k <= order; k++)
            {
                var discounts = new KneserNeyDiscounts(reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble());
                var contexts = reader.ReadInt32();
                var keys = new UInt128[contexts];
                var index = new Dictionary<UInt128, int>(contexts);
                var starts = new int[contexts + 1];
                var childWords = new List<int>();
                var childCounts = new List<int>();
                for (var c = 0; c < contexts; c++)
                {
                    var high = reader.ReadUInt64();
                    var low = reader.ReadUInt64();
                    keys[c] = new UInt128(high, low);
                    index[keys[c]] = c;
                    starts[c] = childWords.Count;
                    var children = reader.ReadInt32();
                    for (var p = 0; p < children; p++)
                    {
                        var word = reader.ReadInt32();
                        if (word < 0 || word >= words.Length)
                        {
                            throw PlumblineException.BadInput($"{path}: word id {word} is outside the vocabulary of {words.Length}");
                        }

                        childWords.Add(word);
                        childCounts.Add(reader.ReadInt32());
                    }
                }

                starts[contexts] = childWords.Count;
                tables[k - 1] = new OrderTable(k, discounts, index, keys, starts, childWords.ToArray(), childCounts.ToArray());
            }

            return new NgramModel(words, tables, lowercase);
        }
        catch (EndOfStreamException e)
        {
            throw new PlumblineException(FailureKind.BadInput, $"{path}: n-gram model file is truncated", inner: e);
        }
    }

    private static List<string> TokensOf(string text, bool lowercase)
        => Tokenizer.Tokenize(lowercase ? text.ToLowerInvariant() : text, TokenizerOptions.Generative);

    private int IdOf(string token) => _ids.TryGetValue(token, out var id) ? id : Unknown;

    /// <summary>p(w | context) where context holds at most Order−1 ids, oldest first.</summary>
    internal double Probability(int word, ReadOnlySpan<int> context)
    {
        if (word == Start)
        {
            return 0;
        }

        var p = _unigram[word];
        var longest = Math.Min(context.Length, Order - 1);
        for (var k = 2; k <= longest + 1; k++)
        {
            var table = _tables[k - 1];
            if (!table.ContextIndex.TryGetValue(NgramKey.Of(context[^(k - 1)..]), out var c))
            {
                break; // an unseen context has no seen extension either
            }

            p = table.Discounted(c, word) + table.Gamma[c] * p;
        }

        return p;
    }

    /// <summary>Exact draw from p(·|context): at the longest known context, take a seen word with probability 1−γ (in proportion to its discounted count), else back off one order; below unigrams, uniform.</summary>
    private int SampleExact(Random random, ReadOnlySpan<int> context)
    {
        var longest = Math.Min(context.Length, Order - 1);
        var contexts = new int[longest + 1];
        var known = 0;
        contexts[0] = _tables[0].ContextIndex.GetValueOrDefault(UInt128.Zero, -1);
        for (var k = 2; k <= longest + 1; k++)
        {
            if (!_tables[k - 1].ContextIndex.TryGetValue(NgramKey.Of(context[^(k - 1)..]), out var c))
            {
                break;
            }

            contexts[k - 1] = c;
            known = k - 1;
        }

        for (var level = known; level >= 0; level--)
        {
            var table = _tables[level];
            var c = contexts[level];
            if (c < 0)
            {
                continue;
            }

            var u = random.NextDouble();
            if (u < table.Gamma[c])
            {
                continue;
            }

            // the seen words share 1−γ in proportion to max(a−D,0)/total
            var target = (u - table.Gamma[c]) / table.InverseTotal[c];
            var start = table.ChildStart[c];
            var end = table.ChildStart[c + 1];
            var at = Array.BinarySearch(table.Cumulative, start, end - start, target);
            at = Math.Min(at < 0 ? ~at : at + 1, end - 1);
            while (at < end - 1 && table.Cumulative[at] <= (at > start ? table.Cumulative[at - 1] : 0))
            {
                at++; // a word whose discount ate its whole count has no share
            }

            return table.ChildWord[at];
        }

        return 1 + random.Next(_words.Length - 1);
    }

    private int SampleTempered(Random random, ReadOnlySpan<int> context, double temperature, double[] p)
    {
        Array.Copy(_unigram, p, p.Length);
        var longest = Math.Min(context.Length, Order - 1);
        for (var k = 2; k <= longest + 1; k++)
        {
            var table = _tables[k - 1];
            if (!table.ContextIndex.TryGetValue(NgramKey.Of(context[^(k - 1)..]), out var c))
            {
                break;
            }

            System.Numerics.Tensors.TensorPrimitives.Multiply(p, table.Gamma[c], p);
            for (var q = table.ChildStart[c]; q < table.ChildStart[c + 1]; q++)
            {
                var a = table.ChildCount[q];
                p[table.ChildWord[q]] += Math.Max(a - table.Discounts.For(a), 0) * table.InverseTotal[c];
            }
        }

        p[Start] = 0;
        p[Unknown] = 0;
        if (temperature == 0)
        {
            return System.Numerics.Tensors.TensorPrimitives.IndexOfMax(p);
        }

        // p^(1/T) = exp(ln(p/max)/T), vectorised; scaling by the maximum first keeps low temperatures from underflowing
        var max = System.Numerics.Tensors.TensorPrimitives.Max(p);
        System.Numerics.Tensors.TensorPrimitives.Divide(p, max, p);
        System.Numerics.Tensors.TensorPrimitives.Log(p, p);
        System.Numerics.Tensors.TensorPrimitives.Multiply(p, 1.0 / temperature, p);
        System.Numerics.Tensors.TensorPrimitives.Exp(p, p);
        var total = System.Numerics.Tensors.TensorPrimitives.Sum(p);
        var target = random.NextDouble() * total;
        var running = 0.0;
        for (var w = 0; w < p.Length; w++)
        {
            running += p[w];
            if (target < running && p[w] > 0)
            {
                return w;
            }
        }

        return System.Numerics.Tensors.TensorPrimitives.IndexOfMax(p);
    }
}
