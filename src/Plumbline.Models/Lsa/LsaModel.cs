using System.Numerics.Tensors;
using Plumbline.Core;
using Plumbline.Core.Analysis;

namespace Plumbline.Models.Lsa;

/// <summary>
/// A fitted latent semantic analysis (LSA) embedder: TF-IDF over the words of
/// <see cref="Tokenizer"/> (<see cref="TokenizerOptions.Words"/>), projected on the top right
/// singular vectors of the TF-IDF matrix of the texts it was fitted on.
/// </summary>
/// <example>
/// <code>
/// var model = LsaModel.Fit(texts, new LsaOptions(Dimensions: 64, Seed: 7));
/// float[][] vectors = model.Embed(texts);     // one unit-length vector per text
/// model.Save("lsa.bin");                      // later: LsaModel.Load("lsa.bin")
/// </code>
/// </example>
public sealed class LsaModel
{
    private const uint Magic = 0x41534C50; // "PLSA"
    private const int FormatVersion = 1;
    private readonly Dictionary<string, int> _termIndex;
    private readonly float[] _components; // Dimensions × Terms, row-major
    private readonly float[] _byTerm; // Terms × Dimensions: one contiguous row per term, for embedding
    private readonly double[] _idf;

    private LsaModel(string[] terms, double[] idf, float[] components, double[] singularValues, bool normalize)
    {
        Terms = terms;
        Idf = idf;
        _components = components;
        _idf = idf;
        SingularValues = singularValues;
        var dims = singularValues.Length;
        _byTerm = new float[components.Length];
        for (var k = 0; k < dims; k++)
        {
            for (var t = 0; t < terms.Length; t++)
            {
                _byTerm[t * dims + k] = components[k * terms.Length + t];
            }
        }

        Normalize = normalize;
        _termIndex = new Dictionary<string, int>(terms.Length, StringComparer.Ordinal);
        for (var i = 0; i < terms.Length; i++)
        {
            _termIndex[terms[i]] = i;
        }
    }

    /// <summary>The vocabulary, in ordinal order.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>Inverse document frequency of each term (same order as <see cref="Terms"/>).</summary>
    public IReadOnlyList<double> Idf { get; }

    /// <summary>Singular values of the fitted TF-IDF matrix, largest first; one per dimension.</summary>
    public IReadOnlyList<double> SingularValues { get; }

    /// <summary>Length of every embedding.</summary>
    public int Dimensions => SingularValues.Count;

    /// <summary>Whether embeddings are scaled to unit length.</summary>
    public bool Normalize { get; }

    /// <summary>
    /// Fits TF-IDF and the truncated SVD on <paramref name="texts"/>. Deterministic: the same texts
    /// and <see cref="LsaOptions.Seed"/> give the same model on any machine and thread count.
    /// Dimensions are capped at min(texts, terms).
    /// </summary>
    /// <exception cref="PlumblineException">BadInput when the texts hold no word at all.</exception>
    public static LsaModel Fit(IReadOnlyList<string> texts, LsaOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        options ??= new LsaOptions();
        options.Validate();

        var tokenized = new List<string>[texts.Count];
        Parallel.For(0, texts.Count, i => tokenized[i] = Tokenizer.Tokenize(texts[i] ?? string.Empty, TokenizerOptions.Words));

        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        var tf = new Dictionary<string, long>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tokens in tokenized)
        {
            seen.Clear();
            foreach (var t in tokens)
            {
                tf[t] = tf.GetValueOrDefault(t) + 1;
                if (seen.Add(t))
                {
                    df[t] = df.GetValueOrDefault(t) + 1;
                }
            }
        }

        IEnumerable<string> kept = df.Where(kv => kv.Value >= options.MinDocumentFrequency).Select(kv => kv.Key);
        if (options.MaxFeatures is { } max)
        {
            kept = kept.OrderByDescending(t => tf[t]).ThenBy(t => t, StringComparer.Ordinal).Take(max);
        }

        var terms = kept.OrderBy(t => t, StringComparer.Ordinal).ToArray();
        if (terms.Length == 0)
        {
            throw PlumblineException.BadInput($"LSA: the {texts.Count} texts hold no word to fit on");
        }

        var n = texts.Count;
        var idf = terms.Select(t => Math.Log((1.0 + n) / (1.0 + df[t])) + 1.0).ToArray();
        var index = new Dictionary<string, int>(terms.Length, StringComparer.Ordinal);
        for (var i = 0; i < terms.Length; i++)
        {
            index[terms[i]] = i;
        }

        var matrix = BuildTfIdf(tokenized, index, idf);
        var (components, singular) = RandomizedSvd.Compute(matrix, options.Dimensions, options.Oversamples, options.PowerIterations, options.Seed);
        var floats = new float[components.Length];
        TensorPrimitives.ConvertTruncating<double, float>(components, floats);
        return new LsaModel(terms, idf, floats, singular, options.Normalize);
    }

    /// <summary>The embedding of one text: its TF-IDF vector (unknown words ignored) projected on the singular vectors. A text with no known word gets the zero vector.</summary>
    public float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var counts = new Dictionary<int, int>();
        foreach (var token in Tokenizer.Tokenize(text, TokenizerOptions.Words))
        {
            if (_termIndex.TryGetValue(token, out var id))
            {
                counts[id] = counts.GetValueOrDefault(id) + 1;
            }
        }

        var result = new float[Dimensions];
        if (counts.Count == 0)
        {
            return result;
        }

        var norm = 0.0;
        foreach (var (id, count) in counts)
        {
            norm += Square(count * _idf[id]);
        }

        norm = Math.Sqrt(norm);
        var dims = Dimensions;
        foreach (var (id, count) in counts)
        {
            TensorPrimitives.MultiplyAdd(_byTerm.AsSpan(id * dims, dims), (float)(count * _idf[id] / norm), result, result);
        }

        if (Normalize)
        {
            var length = TensorPrimitives.Norm((ReadOnlySpan<float>)result);
            if (length > 0)
            {
                TensorPrimitives.Divide(result, length, result);
            }
        }

        return result;
    }

    /// <summary>Embeds many texts (in parallel; order kept).</summary>
    public float[][] Embed(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var result = new float[texts.Count][];
        Parallel.For(0, texts.Count, i => result[i] = Embed(texts[i] ?? string.Empty));
        return result;
    }

    /// <summary>The component (right singular vector) weights of one dimension, by term.</summary>
    public ReadOnlySpan<float> Component(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dimension);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(dimension, Dimensions);
        return _components.AsSpan(dimension * Terms.Count, Terms.Count);
    }

    /// <summary>Writes the model to a file (binary, versioned); written to a temporary file and moved, so a crash leaves no torn model.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(Normalize);
            writer.Write(Terms.Count);
            writer.Write(Dimensions);
            for (var i = 0; i < Terms.Count; i++)
            {
                writer.Write(Terms[i]);
                writer.Write(Idf[i]);
            }

            foreach (var s in SingularValues)
            {
                writer.Write(s);
            }

            foreach (var c in _components)
            {
                writer.Write(c);
            }
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    /// <exception cref="PlumblineException">NotFound when the file is missing; BadInput when it is not an LSA model or is truncated.</exception>
    public static LsaModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw PlumblineException.NotFound($"{path}: no such LSA model file");
        }

        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream);
            if (reader.ReadUInt32() != Magic)
            {
                throw PlumblineException.BadInput($"{path}: not a Plumbline LSA model (bad magic)");
            }

            var version = reader.ReadInt32();
            if (version != FormatVersion)
            {
                throw PlumblineException.BadInput($"{path}: LSA model format {version} is not supported (expected {FormatVersion})");
            }

            var normalize = reader.ReadBoolean();
            var termCount = reader.ReadInt32();
            var dims = reader.ReadInt32();
            var terms = new string[termCount];
            var idf = new double[termCount];
            for (var i = 0; i < termCount; i++)
            {
                terms[i] = reader.ReadString();
                idf[i] = reader.ReadDouble();
            }

            var singular = new double[dims];
            for (var i = 0; i < dims; i++)
            {
                singular[i] = reader.ReadDouble();
            }

            var components = new float[checked(dims * termCount)];
            for (var i = 0; i < components.Length; i++)
            {
                components[i] = reader.ReadSingle();
            }

            return new LsaModel(terms, idf, components, singular, normalize);
        }
        catch (EndOfStreamException e)
        {
            throw new PlumblineException(FailureKind.BadInput, $"{path}: LSA model file is truncated", inner: e);
        }
    }

    private static double Square(double x) => x * x;

    private static SparseRows BuildTfIdf(List<string>[] tokenized, Dictionary<string, int> index, double[] idf)
    {
        var rowStart = new int[tokenized.Length + 1];
        var columns = new List<int>();
        var values = new List<double>();
        var counts = new SortedDictionary<int, int>();
        for (var r = 0; r < tokenized.Length; r++)
        {
            counts.Clear();
            foreach (var t in tokenized[r])
            {
                if (index.TryGetValue(t, out var id))
                {
                    counts[id] = counts.GetValueOrDefault(id) + 1;
                }
            }

            var norm = Math.Sqrt(counts.Sum(kv => Square(kv.Value * idf[kv.Key])));
            foreach (var (id, count) in counts)
            {
                columns.Add(id);
                values.Add(count * idf[id] / norm);
            }

            rowStart[r + 1] = columns.Count;
        }

        return new SparseRows(tokenized.Length, index.Count, rowStart, columns.ToArray(), values.ToArray());
    }
}
