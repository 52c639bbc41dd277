using System.Globalization;

namespace Plumbline.Tasks.Mutation;

/// <summary>What a token is.</summary>
public enum TokenType
{
    /// <summary>An identifier or keyword.</summary>
    Word,

    /// <summary>A number literal.</summary>
    Number,

    /// <summary>A string, character, template or regular-expression literal (one token, never mutated).</summary>
    Literal,

    /// <summary>An operator or punctuation, by maximal munch.</summary>
    Punct,
}

/// <summary>One token: its type, its span [Start, End) in the text and its text.</summary>
public readonly record struct Token(TokenType Type, int Start, int End, string Text);

/// <summary>
/// The tokenizer of the token-level mutation path (<see cref="TokenMutator"/>): one pass that skips comments and
/// literals of the C family, Rust, Go, JavaScript/TypeScript and Python, so that operators are found only in code.
/// </summary>
internal static class SourceTokenizer
{
    private static readonly string[] Puncts =
    [
        ">>>=", "===", "!==", ">>>", "<<=", ">>=", "...", "..=", "<=>", "**=", "&&=", "||=", "??=", "//=",
        "==", "!=", "<=", ">=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>",
        "->", "=>", "::", "..", "?.", "??", "**", ":=", "<-", "//",
    ];

    private static readonly HashSet<string> RegexAfterWords = new(StringComparer.Ordinal) { "return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "yield", "await", "instanceof" };

    /// <summary>Tokens of <paramref name="text"/>, or null with <paramref name="error"/> ("line N: …") when a literal or comment does not end.</summary>
    public static IReadOnlyList<Token>? Tokenize(string text, string language, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<Token>();
        var scanner = new Scanner(text, language);
        try
        {
            scanner.Scan(0, tokens, stopAtBrace: false);
            error = null;
            return tokens;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return null;
        }
    }


    /// <summary>The 1-based line of <paramref name="position"/>.</summary>
    public static int Line(string text, int position) => text.AsSpan(0, position).Count('\n') + 1;

    /// <summary>The tokenizer: one pass, recursive for the <c>${…}</c> parts of template literals.</summary>
    private sealed class Scanner(string text, string language)
    {
        private readonly bool _python = language == "python";
        private readonly bool _js = language is "javascript" or "typescript";

        /// <summary>Scans from <paramref name="position"/>; with <paramref name="stopAtBrace"/>, returns at the '}' that closes a template's <c>${</c> (the index after it).</summary>
        public int Scan(int position, List<Token>? into, bool stopAtBrace)
        {
            var i = position;
            var depth = 0;
            Token? previous = null;
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c) || (_python && c == '\\' && i + 1 < text.Length && text[i + 1] is '\n' or '\r'))
                {
                    i++;
                    continue;
                }

                var start = i;
                if (_python ? c == '#' : c == '/' && At(i + 1, '/'))
                {
                    i = text.IndexOf('\n', i) is var n and >= 0 ? n : text.Length;
                    continue;
                }

                if (!_python && c == '/' && At(i + 1, '*'))
                {
                    i = BlockComment(i);
                    continue;
                }

                Token token;
                if (c is '"' or '\'' || (c == '`' && !_python))
                {
                    i = LiteralAt(i, c, previous);
                    token = new Token(TokenType.Literal, start, i, text[start..i]);
                }
                else if (char.IsDigit(c) || (c == '.' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
                {
                    i = Number(i);
                    token = new Token(TokenType.Number, start, i, text[start..i]);
                }
                else if (char.IsLetter(c) || c is '_' or '$' || char.GetUnicodeCategory(c) is UnicodeCategory.Surrogate)
                {
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '$' || char.GetUnicodeCategory(text[i]) is UnicodeCategory.Surrogate))
                    {
                        i++;
                    }

                    var word = text[start..i];
                    if (RawStringStart(word, i) is { } rawEnd)
                    {
                        i = rawEnd;
                        token = new Token(TokenType.Literal, start, i, text[start..i]);
                    }
                    else if (_python && i < text.Length && text[i] is '"' or '\'' && word.All(ch => "rRbBuUfF".Contains(ch, StringComparison.Ordinal)) && word.Length <= 2)
                    {
                        i = LiteralAt(i, text[i], previous);
                        token = new Token(TokenType.Literal, start, i, text[start..i]);
                    }
                    else
                    {
                        token = new Token(TokenType.Word, start, i, word);
                    }
                }
                else if (_js && c == '/' && RegexExpected(previous))
                {
                    i = Regex(i);
                    token = new Token(TokenType.Literal, start, i, text[start..i]);
                }
                else
                {
                    var punct = Puncts.FirstOrDefault(p => string.CompareOrdinal(text, i, p, 0, p.Length) == 0 && Allowed(p)) ?? c.ToString();
                    i += punct.Length;
                    token = new Token(TokenType.Punct, start, i, punct);
                    if (punct == "{")
                    {
                        depth++;
                    }
                    else if (punct == "}")
                    {
                        if (stopAtBrace && depth == 0)
                        {
                            return i;
                        }

                        depth--;
                    }
                }

                into?.Add(token);
                previous = token;
            }

            if (stopAtBrace)
            {
                throw new FormatException($"line {Line(text, position)}: a template literal's '${{' is never closed");
            }

            return i;
        }

        private bool Allowed(string punct) => punct switch
        {
            "<-" or ":=" => language is "go" || (punct == ":=" && _python),
            "//" or "//=" => _python,
            "..=" or ".." => language is "rust" or "go" or "javascript" or "typescript",
            "===" or "!==" or ">>>" or ">>>=" or "??" or "??=" or "?." => _js || language is "java" && punct is ">>>" or ">>>=",
            "<=>" => language is "cpp",
            _ => true,
        };

        private bool At(int index, char c) => index < text.Length && text[index] == c;

        private int BlockComment(int start)
        {
            var nesting = 0;
            var i = start;
            while (i < text.Length)
            {
                if (At(i, '/') && At(i + 1, '*'))
                {
                    nesting++;
                    i += 2;
                    if (language != "rust" && nesting > 1)
                    {
                        nesting = 1;
                    }

                    continue;
                }

                if (At(i, '*') && At(i + 1, '/'))
                {
                    i += 2;
                    if (--nesting == 0)
                    {
                        return i;
                    }

                    continue;
                }

                i++;
            }

            throw new FormatException($"line {Line(text, start)}: a /* comment is never closed");
        }

        private int LiteralAt(int start, char quote, Token? previous)
        {
            if (quote == '`')
            {
                return language == "go" ? Raw(start + 1, "`", start) : Template(start);
            }

            if (language == "rust" && quote == '\'' && IsLifetime(start))
            {
                var i = start + 1;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                return i;
            }

            if ((_python || (language == "java" && quote == '"')) && At(start + 1, quote) && At(start + 2, quote))
            {
                return Quoted(start + 3, new string(quote, 3), start, multiline: true);
            }

            return Quoted(start + 1, quote.ToString(), start, multiline: false);
        }

        private bool IsLifetime(int start) =>
            start + 2 < text.Length && (char.IsLetter(text[start + 1]) || text[start + 1] == '_') && text[start + 2] != '\'';

        private int Quoted(int i, string close, int start, bool multiline)
        {
            while (i < text.Length)
            {
                var c = text[i];
                if (c == '\\')
                {
                    i += 2;
                    continue;
                }

                if (string.CompareOrdinal(text, i, close, 0, close.Length) == 0)
                {
                    return i + close.Length;
                }

                if (c == '\n' && !multiline)
                {
                    break;
                }

                i++;
            }

            throw new FormatException($"line {Line(text, start)}: a string literal is never closed");
        }

        private int Raw(int i, string close, int start)
        {
            var end = text.IndexOf(close, i, StringComparison.Ordinal);
            return end < 0 ? throw new FormatException($"line {Line(text, start)}: a raw string literal is never closed") : end + close.Length;
        }

        private int Template(int start)
        {
            var i = start + 1;
            while (i < text.Length)
            {
                var c = text[i];
                if (c == '\\')
                {
                    i += 2;
                }
                else if (c == '`')
                {
                    return i + 1;
                }
                else if (c == '$' && At(i + 1, '{'))
                {
                    i = Scan(i + 2, null, stopAtBrace: true);
                }
                else
                {
                    i++;
                }
            }

            throw new FormatException($"line {Line(text, start)}: a template literal is never closed");
        }

        /// <summary>Rust <c>r"…"</c>/<c>r#"…"#</c>/<c>br…</c> and C++ <c>R"delim(…)delim"</c>: the end of the literal when <paramref name="word"/> starts one.</summary>
        private int? RawStringStart(string word, int i)
        {
            if (language == "rust" && word is "r" or "br" or "cr" && i < text.Length && text[i] is '"' or '#')
            {
                var hashes = 0;
                while (At(i + hashes, '#'))
                {
                    hashes++;
                }

                return At(i + hashes, '"') ? Raw(i + hashes + 1, "\"" + new string('#', hashes), i) : null;
            }

            if (language == "rust" && word == "b" && At(i, '\''))
            {
                return Quoted(i + 1, "'", i, multiline: false);
            }

            if (language == "cpp" && word is "R" or "u8R" or "uR" or "UR" or "LR" && At(i, '"'))
            {
                var open = text.IndexOf('(', i);
                if (open < 0)
                {
                    throw new FormatException($"line {Line(text, i)}: a raw string literal has no '('");
                }

                return Raw(open + 1, ")" + text[(i + 1)..open] + "\"", i);
            }

            return null;
        }

        private int Number(int start)
        {
            var hex = At(start, '0') && start + 1 < text.Length && text[start + 1] is 'x' or 'X';
            var i = start;
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsLetterOrDigit(c) || c == '_' || (c == '\'' && language == "cpp" && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1])))
                {
                    i++;
                }
                else if (c == '.' && i + 1 < text.Length && char.IsDigit(text[i + 1]))
                {
                    i++;
                }
                else if (c is '+' or '-' && (hex ? text[i - 1] is 'p' or 'P' : text[i - 1] is 'e' or 'E'))
                {
                    i++;
                }
                else
                {
                    break;
                }
            }

            return i;
        }

        private static bool RegexExpected(Token? previous) => previous switch
        {
            null => true,
            { Type: TokenType.Punct, Text: ")" or "]" or "}" or "++" or "--" } => false,
            { Type: TokenType.Punct } => true,
            { Type: TokenType.Word, Text: var word } => RegexAfterWords.Contains(word),
            _ => false,
        };

        private int Regex(int start)
        {
            var i = start + 1;
            var inClass = false;
            while (i < text.Length && text[i] != '\n')
            {
                var c = text[i];
                if (c == '\\')
                {
                    i += 2;
                    continue;
                }

                if (c == '[')
                {
                    inClass = true;
                }
                else if (c == ']')
                {
                    inClass = false;
                }
                else if (c == '/' && !inClass)
                {
                    i++;
                    while (i < text.Length && char.IsLetter(text[i]))
                    {
                        i++;
                    }

                    return i;
                }

                i++;
            }

            throw new FormatException($"line {Line(text, start)}: a regular expression literal is never closed");
        }
    }
}
