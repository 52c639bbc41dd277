using System.Runtime.InteropServices;

namespace Plumbline.Core.Analysis;

/// <summary>
/// Texts as arrays of integer token ids over one shared vocabulary (tokens from <see cref="Tokenizer"/>
/// with <see cref="TokenizerOptions.Words"/> unless told otherwise). The common input of the n-gram metrics.
/// </summary>
public sealed class TokenizedCorpus
{
    private TokenizedCorpus(int[][] texts, IReadOnlyList<string> vocabulary)
    {
        Texts = texts;
        Vocabulary = vocabulary;
    }

    /// <summary>Token ids of each text, in order.</summary>
    public IReadOnlyList<int[]> Texts { get; }

    /// <summary>The token of each id.</summary>
    public IReadOnlyList<string> Vocabulary { get; }

    /// <summary>Number of texts.</summary>
    public int Count => Texts.Count;

    /// <summary>Tokenizes <paramref name="texts"/>.</summary>
    public static TokenizedCorpus Create(IReadOnlyList<string> texts, TokenizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        options ??= TokenizerOptions.Words;
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var vocabulary = new List<string>();
        var result = new int[texts.Count][];
        var buffer = new List<int>();
        for (var i = 0; i < texts.Count; i++)
        {
            buffer.Clear();
            Tokenizer.Tokenize(texts[i] ?? string.Empty, options, token =>
            {
                ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(ids, token, out var exists);
                if (!exists)
                {
                    id = vocabulary.Count;
                    vocabulary.Add(token);
                }

                buffer.Add(id);
            });
            result[i] = buffer.ToArray();
        }

        return new TokenizedCorpus(result, vocabulary);
    }

    /// <summary>Wraps texts already given as token lists (the tokens are used as they are).</summary>
    public static TokenizedCorpus FromTokens(IReadOnlyList<IReadOnlyList<string>> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var vocabulary = new List<string>();
        var result = new int[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
        {
            var row = new int[texts[i].Count];
            for (var j = 0; j < row.Length; j++)
            {
                ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(ids, texts[i][j], out var exists);
                if (!exists)
                {
                    id = vocabulary.Count;
                    vocabulary.Add(texts[i][j]);
                }

                row[j] = id;
            }

            result[i] = row;
        }

        return new TokenizedCorpus(result, vocabulary);
    }
}
