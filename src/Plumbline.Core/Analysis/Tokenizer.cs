using System.Globalization;
using System.Text;

namespace Plumbline.Core.Analysis;

/// <summary>How <see cref="Tokenizer"/> splits text.</summary>
/// <param name="Lowercase">Fold tokens to lower case (invariant culture).</param>
/// <param name="KeepPunctuation">Keep each punctuation or symbol character as a token of its own; otherwise drop it.</param>
public sealed record TokenizerOptions(bool Lowercase = true, bool KeepPunctuation = false)
{
    /// <summary>Lower-cased words only: the shape used for TF-IDF and embeddings.</summary>
    public static TokenizerOptions Words { get; } = new(Lowercase: true, KeepPunctuation: false);

    /// <summary>Case kept, punctuation kept as tokens: the shape used for language models, so that text can be rebuilt.</summary>
    public static TokenizerOptions Generative { get; } = new(Lowercase: false, KeepPunctuation: true);
}

/// <summary>
/// The one tokenizer shared by the built-in models and the analyses: a word is a run of letters,
/// digits, combining marks and connector punctuation (underscore), with inner apostrophes and hyphens
/// kept (<c>don't</c>, <c>state-of-the-art</c>); whitespace separates; every other character is a
/// punctuation token of its own (or dropped). Surrogate pairs stay whole. Pure and allocation-light.
/// </summary>
public static class Tokenizer
{
    /// <summary>Splits <paramref name="text"/> into tokens.</summary>
    public static List<string> Tokenize(string text, TokenizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<string>();
        Tokenize(text, options ?? TokenizerOptions.Words, result.Add);
        return result;
    }

    /// <summary>Splits <paramref name="text"/> and hands each token to <paramref name="sink"/> (no list allocated).</summary>
    public static void Tokenize(string text, TokenizerOptions options, Action<string> sink)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        var i = 0;
        while (i < text.Length)
        {
            var (kind, width) = Classify(text, i);
            if (kind == CharKind.Space)
            {
                i += width;
                continue;
            }

            if (kind == CharKind.Other)
            {
                if (options.KeepPunctuation)
                {
                    sink(text.Substring(i, width));
                }

                i += width;
                continue;
            }

            var start = i;
            i += width;
            while (i < text.Length)
            {
                var (next, w) = Classify(text, i);
                if (next == CharKind.Word)
                {
                    i += w;
                    continue;
                }

                // an apostrophe or hyphen between two word characters stays inside the word
                if (next == CharKind.Other && w == 1 && IsJoiner(text[i]) && i + 1 < text.Length && Classify(text, i + 1).Kind == CharKind.Word)
                {
                    i += 1;
                    continue;
                }

                break;
            }

            var token = text.Substring(start, i - start);
            sink(options.Lowercase ? token.ToLowerInvariant() : token);
        }
    }

    /// <summary>
    /// Joins generative tokens back into readable text: a space between tokens, none before closing
    /// punctuation (<c>. , ; : ! ? ) ] }</c> and closing quotes) and none after opening brackets.
    /// </summary>
    public static string Detokenize(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var sb = new StringBuilder();
        var glueNext = true;
        foreach (var token in tokens)
        {
            if (token.Length == 0)
            {
                continue;
            }

            var closing = token.Length == 1 && ".,;:!?)]}%".Contains(token[0], StringComparison.Ordinal);
            if (!glueNext && !closing)
            {
                sb.Append(' ');
            }

            sb.Append(token);
            glueNext = token.Length == 1 && "([{$#".Contains(token[0], StringComparison.Ordinal);
        }

        return sb.ToString();
    }

    private static bool IsJoiner(char c) => c is '\'' or '\u2019' or '-';

    private enum CharKind
    {
        Space,
        Word,
        Other,
    }

    private static (CharKind Kind, int Width) Classify(string text, int i)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, text[i + 1]));
            return (IsWordCategory(category) ? CharKind.Word : CharKind.Other, 2);
        }

        if (char.IsWhiteSpace(c))
        {
            return (CharKind.Space, 1);
        }

        return (IsWordCategory(char.GetUnicodeCategory(c)) ? CharKind.Word : CharKind.Other, 1);
    }

    private static bool IsWordCategory(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.ConnectorPunctuation => true,
        _ => false,
    };
}
