using System.Globalization;
using Microsoft.CodeAnalysis.Text;
using Plumbline.Core.Supervision.Tasks;

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
/// The token-level fallback for languages without a parser here (JavaScript/TypeScript, Java, Go, C/C++,
/// Rust, and Python when python3 is missing). A tokenizer skips comments (<c>//</c>, <c>/* */</c> — nested
/// in Rust —, <c>#</c> in Python) and literals (strings with escapes, character literals, JS/TS template
/// literals with nested <c>${…}</c>, JS regular-expression literals where an operand is expected, Go and
/// C++/Rust raw strings, Python triple-quoted strings; Rust lifetimes are not mistaken for characters).
/// Sites are found only in condition heads — <c>if (…)</c>/<c>while (…)</c> (Go/Rust: up to the body's
/// <c>{</c>; Python: <c>if</c>/<c>elif</c>/<c>while</c> starting a line, up to the <c>:</c>) and the bound of a
/// <c>for</c> (the middle clause of <c>for (init; cond; step)</c>/Go <c>for init; cond; post {</c>, a Go
/// <c>for cond {</c>, the <c>..</c>/<c>..=</c> of a Rust <c>for … in a..b</c>): relational operators flipped and
/// shifted (skipping <c>&lt;…&gt;</c> that look like generic arguments), conditions inverted, and in C-family
/// languages a guard <c>if (…) return/throw …;</c> (or <c>{ return …; }</c>) without <c>else</c> removed.
/// No backdoors (that needs function signatures and types), no removed checks in Python, no mutation outside
/// condition heads, none in C/C++ preprocessor lines (<c>#if</c>). A mutant must tokenize and keep its brackets balanced — a much weaker check than a compiler.
/// </summary>
public static class TokenMutator
{
    private static readonly Dictionary<string, string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        [".js"] = "javascript", [".mjs"] = "javascript", [".cjs"] = "javascript", [".jsx"] = "javascript",
        [".ts"] = "typescript", [".mts"] = "typescript", [".cts"] = "typescript", [".tsx"] = "typescript",
        [".java"] = "java", [".go"] = "go", [".c"] = "c", [".h"] = "c",
        [".cpp"] = "cpp", [".cc"] = "cpp", [".cxx"] = "cpp", [".hpp"] = "cpp", [".hh"] = "cpp", [".hxx"] = "cpp",
        [".rs"] = "rust", [".py"] = "python",
    };

    private static readonly string[] Puncts =
    [
        ">>>=", "===", "!==", ">>>", "<<=", ">>=", "...", "..=", "<=>", "**=", "&&=", "||=", "??=", "//=",
        "==", "!=", "<=", ">=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>",
        "->", "=>", "::", "..", "?.", "??", "**", ":=", "<-", "//",
    ];

    private static readonly HashSet<string> RegexAfterWords = new(StringComparer.Ordinal) { "return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "yield", "await", "instanceof" };

    private static readonly Dictionary<string, string> Flipped = new(StringComparer.Ordinal) { ["<"] = ">", ["<="] = ">=", [">"] = "<", [">="] = "<=" };
    private static readonly Dictionary<string, string> Shifted = new(StringComparer.Ordinal) { ["<"] = "<=", ["<="] = "<", [">"] = ">=", [">="] = ">" };
    private static readonly HashSet<string> Equality = new(StringComparer.Ordinal) { "==", "!=", "===", "!==" };
    private static readonly HashSet<string> Combining = new(StringComparer.Ordinal) { "&&", "||", "?", "??", "&", "|", "^", "=", ":=", ",", "and", "or", "not", "if", "lambda", "in", "is" };

    /// <summary>The language of a file name handled by the token-level path (python included), or null.</summary>
    public static string? LanguageOf(string path) =>
        path.EndsWith(".min.js", StringComparison.OrdinalIgnoreCase) ? null : Extensions.GetValueOrDefault(Path.GetExtension(path));

    /// <summary>Every file extension of the token-level path.</summary>
    public static IReadOnlyCollection<string> FileExtensions => Extensions.Keys;

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

    /// <summary>Null when <paramref name="text"/> tokenizes and its brackets balance; otherwise what is wrong ("line N: …").</summary>
    public static string? Check(string text, string language)
    {
        var tokens = Tokenize(text, language, out var error);
        if (tokens is null)
        {
            return error;
        }

        var open = new Stack<Token>();
        foreach (var token in tokens.Where(t => t.Type == TokenType.Punct))
        {
            switch (token.Text)
            {
                case "(" or "[" or "{":
                    open.Push(token);
                    break;
                case ")" or "]" or "}":
                    var expected = token.Text switch { ")" => "(", "]" => "[", _ => "{" };
                    if (open.Count == 0 || open.Pop().Text != expected)
                    {
                        return $"line {Line(text, token.Start)}: unbalanced '{token.Text}'";
                    }

                    break;
            }
        }

        return open.Count == 0 ? null : $"line {Line(text, open.Peek().Start)}: '{open.Peek().Text}' is never closed";
    }

    /// <summary>Every site in <paramref name="text"/>, or null with <paramref name="error"/> when it does not tokenize or its brackets do not balance.</summary>
    public static IReadOnlyList<MutationSite>? FindSites(string text, string language, out string? error)
    {
        error = Check(text, language);
        var tokens = error is null ? Tokenize(text, language, out error) : null;
        if (tokens is null)
        {
            return null;
        }

        var sites = new List<MutationSite>();
        var python = language == "python";
        var braceHeads = language is "go" or "rust";
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Type != TokenType.Word)
            {
                continue;
            }

            if (python)
            {
                if (token.Text is "if" or "elif" or "while" && StartsLine(text, token.Start) && HeadUntil(tokens, i + 1, ":") is { } end && end > i + 1)
                {
                    AddCondition(sites, text, tokens, i + 1, end, token.Text, language);
                }

                continue;
            }

            if (token.Text is "if" or "while" && (i == 0 || tokens[i - 1].Text != "#"))
            {
                var (start, end, bodyStart) = braceHeads ? BraceHead(tokens, i + 1) : ParenHead(tokens, i + 1, language);
                if (start < 0)
                {
                    continue;
                }

                if (braceHeads && token.Text == "if")
                {
                    start = AfterLastTopLevel(tokens, start, end, ";");
                }

                if (language == "rust" && tokens[start].Text == "let")
                {
                    continue;
                }

                if (end > start)
                {
                    AddCondition(sites, text, tokens, start, end, token.Text, language);
                }

                if (token.Text == "if" && (i == 0 || tokens[i - 1].Text is ";" or "{" or "}" or ":" || (braceHeads && tokens[i - 1].Text != "else")) && Guard(text, tokens, i, bodyStart, language) is { } guard)
                {
                    sites.Add(guard);
                }
            }
            else if (token.Text == "for")
            {
                AddForBound(sites, text, tokens, i, language);
            }
        }

        return sites;
    }

    private static void AddCondition(List<MutationSite> sites, string text, IReadOnlyList<Token> tokens, int start, int end, string where, string language)
    {
        AddRelational(sites, tokens, start, end);
        var python = language == "python";
        var notToken = python ? "not" : "!";
        if (tokens[start].Text == notToken && end - start >= 2 && (tokens[start + 1].Text == "(" ? Matching(tokens, start + 1) == end - 1 : IsOperand(tokens, start + 1, end)))
        {
            sites.Add(new MutationSite(BugKind.InvertedCondition, new TextChange(TextSpan.FromBounds(tokens[start].Start, tokens[start + 1].Start), string.Empty), $"{where} condition '{notToken}' dropped"));
            return;
        }

        var topLevel = TopLevel(tokens, start, end).ToList();
        var equality = topLevel.Where(k => Equality.Contains(tokens[k].Text)).ToList();
        if (equality.Count == 1 && !topLevel.Any(k => Combining.Contains(tokens[k].Text) && (tokens[k].Type == TokenType.Punct || python)))
        {
            var op = tokens[equality[0]];
            var swapped = op.Text switch { "==" => "!=", "!=" => "==", "===" => "!==", _ => "===" };
            sites.Add(new MutationSite(BugKind.InvertedCondition, new TextChange(TextSpan.FromBounds(op.Start, op.End), swapped), $"{where} condition '{op.Text}' → '{swapped}'"));
            return;
        }

        var span = TextSpan.FromBounds(tokens[start].Start, tokens[end - 1].End);
        sites.Add(new MutationSite(BugKind.InvertedCondition, new TextChange(span, $"{(python ? "not " : "!")}({text[span.Start..span.End]})"), $"{where} condition negated"));
    }

    /// <summary>Whether [start, end) is one operand: names, literals, member access and calls/indexing, no operator at its top level.</summary>
    private static bool IsOperand(IReadOnlyList<Token> tokens, int start, int end) =>
        TopLevel(tokens, start, end).All(k => tokens[k].Type != TokenType.Punct || tokens[k].Text is "." or "?." or "::" or "->")
        && tokens[start].Type != TokenType.Punct;

    private static void AddRelational(List<MutationSite> sites, IReadOnlyList<Token> tokens, int start, int end)
    {
        var generic = new HashSet<int>();
        for (var k = start; k < end; k++)
        {
            var token = tokens[k];
            if (token.Type != TokenType.Punct || !Flipped.ContainsKey(token.Text) || generic.Contains(k))
            {
                continue;
            }

            if (token.Text == "<" && GenericClose(tokens, k, end) is { } close)
            {
                generic.Add(close);
                continue;
            }

            var flipped = Flipped[token.Text];
            var shifted = Shifted[token.Text];
            var span = TextSpan.FromBounds(token.Start, token.End);
            sites.Add(new MutationSite(BugKind.FlippedComparison, new TextChange(span, flipped), $"'{token.Text}' → '{flipped}'"));
            sites.Add(new MutationSite(BugKind.OffByOne, new TextChange(span, shifted), $"'{token.Text}' → '{shifted}'"));
        }
    }

    /// <summary>The '&gt;' closing a '&lt;' that looks like generic arguments: after a name or '::', holding only names, '.', ',', '::', '?', '[]', '&amp;' and nested generics.</summary>
    private static int? GenericClose(IReadOnlyList<Token> tokens, int open, int end)
    {
        if (open == 0 || !(tokens[open - 1].Type == TokenType.Word || tokens[open - 1].Text == "::"))
        {
            return null;
        }

        var depth = 0;
        for (var k = open + 1; k < end; k++)
        {
            var t = tokens[k];
            switch (t.Text)
            {
                case "<":
                    depth++;
                    continue;
                case ">" when depth == 0:
                    return k > open + 1 ? k : null;
                case ">":
                    depth--;
                    continue;
                case "." or "," or "::" or "?" or "[" or "]" or "&":
                    continue;
            }

            if (t.Type != TokenType.Word)
            {
                return null;
            }
        }

        return null;
    }

    private static void AddForBound(List<MutationSite> sites, string text, IReadOnlyList<Token> tokens, int at, string language)
    {
        if (language == "rust")
        {
            var (start, end, _) = BraceHead(tokens, at + 1);
            if (start < 0)
            {
                return;
            }

            foreach (var k in TopLevel(tokens, start, end))
            {
                if (tokens[k].Text is ".." or "..=")
                {
                    var other = tokens[k].Text == ".." ? "..=" : "..";
                    sites.Add(new MutationSite(BugKind.OffByOne, new TextChange(TextSpan.FromBounds(tokens[k].Start, tokens[k].End), other), $"for bound '{tokens[k].Text}' → '{other}'"));
                }
            }

            return;
        }

        var (s, e, _) = language == "go" ? BraceHead(tokens, at + 1) : ParenHead(tokens, at + 1, language);
        if (s < 0 || e <= s)
        {
            return;
        }

        var semicolons = TopLevel(tokens, s, e).Where(k => tokens[k].Text == ";").ToList();
        if (semicolons.Count == 2)
        {
            AddRelational(sites, tokens, semicolons[0] + 1, semicolons[1]);
        }
        else if (language == "go" && semicolons.Count == 0 && !tokens.Skip(s).Take(e - s).Any(t => t.Text is "range" or ":=" or "="))
        {
            AddCondition(sites, text, tokens, s, e, "for", language);
        }
    }

    /// <summary>
    /// A guard <c>if (…) return|throw …;</c> or <c>if (…) { return|throw … }</c> (Go/Rust: <c>if … { return … }</c>)
    /// with no <c>else</c>, alone on its lines: a removed check deletes those lines.
    /// </summary>
    private static MutationSite? Guard(string text, IReadOnlyList<Token> tokens, int ifAt, int bodyStart, string language)
    {
        if (bodyStart < 0 || bodyStart >= tokens.Count)
        {
            return null;
        }

        int last;
        if (tokens[bodyStart].Text == "{")
        {
            var close = Matching(tokens, bodyStart);
            if (close < 0 || close == bodyStart + 1 || tokens[bodyStart + 1].Text is not ("return" or "throw"))
            {
                return null;
            }

            var statementEnds = TopLevel(tokens, bodyStart + 1, close).Count(k => tokens[k].Text == ";");
            if (statementEnds > 1 || (statementEnds == 1 && tokens[close - 1].Text != ";"))
            {
                return null;
            }

            last = close;
        }
        else if (tokens[bodyStart].Text is "return" or "throw" && language is not ("go" or "rust"))
        {
            var semicolon = TopLevel(tokens, bodyStart, tokens.Count).FirstOrDefault(k => tokens[k].Text == ";", -1);
            if (semicolon < 0)
            {
                return null;
            }

            last = semicolon;
        }
        else
        {
            return null;
        }

        if (last + 1 < tokens.Count && tokens[last + 1].Text == "else")
        {
            return null;
        }

        var start = tokens[ifAt].Start;
        var end = tokens[last].End;
        var lineStart = start == 0 ? 0 : text.LastIndexOf('\n', start - 1) + 1;
        var lineEnd = text.IndexOf('\n', end);
        var rest = text[end..(lineEnd < 0 ? text.Length : lineEnd)].Trim();
        if (!string.IsNullOrWhiteSpace(text[lineStart..start]) || (rest.Length > 0 && !rest.StartsWith("//", StringComparison.Ordinal)))
        {
            return null;
        }

        var firstLineEnd = text.IndexOf('\n', start);
        var head = text[start..(firstLineEnd < 0 ? text.Length : firstLineEnd)].TrimEnd('\r', ' ');
        return new MutationSite(BugKind.RemovedCheck, new TextChange(TextSpan.FromBounds(lineStart, lineEnd < 0 ? text.Length : lineEnd + 1), string.Empty), $"removed the guard '{head}'", WholeLines: true);
    }

    /// <summary>A parenthesized head after <c>if</c>/<c>while</c>/<c>for</c> (C++ <c>if constexpr</c> too): (first token inside, index of ')', first token of the body), or (-1, -1, -1).</summary>
    private static (int Start, int End, int Body) ParenHead(IReadOnlyList<Token> tokens, int at, string language)
    {
        if (language == "cpp" && at < tokens.Count && tokens[at].Text == "constexpr")
        {
            at++;
        }

        if (at >= tokens.Count || tokens[at].Text != "(")
        {
            return (-1, -1, -1);
        }

        var close = Matching(tokens, at);
        return close < 0 ? (-1, -1, -1) : (at + 1, close, close + 1);
    }

    /// <summary>A head that ends at the body's '{' at bracket depth 0 (Go, Rust): (first token, index of '{', index of '{'), or (-1, -1, -1).</summary>
    private static (int Start, int End, int Body) BraceHead(IReadOnlyList<Token> tokens, int at)
    {
        var depth = 0;
        for (var k = at; k < tokens.Count; k++)
        {
            switch (tokens[k].Text)
            {
                case "(" or "[":
                    depth++;
                    break;
                case ")" or "]":
                    depth--;
                    break;
                case "{" when depth == 0:
                    return (at, k, k);
                case "{":
                    depth++;
                    break;
                case "}" when depth == 0:
                    return (-1, -1, -1);
                case "}":
                    depth--;
                    break;
            }
        }

        return (-1, -1, -1);
    }

    /// <summary>Index of the first <paramref name="stop"/> token at depth 0 from <paramref name="at"/> (a Python head's ':'), or null.</summary>
    private static int? HeadUntil(IReadOnlyList<Token> tokens, int at, string stop)
    {
        var depth = 0;
        for (var k = at; k < tokens.Count; k++)
        {
            var t = tokens[k].Text;
            if (depth == 0 && t == stop && tokens[k].Type == TokenType.Punct)
            {
                return k;
            }

            depth += t switch { "(" or "[" or "{" => 1, ")" or "]" or "}" => -1, _ => 0 };
            if (depth < 0)
            {
                return null;
            }
        }

        return null;
    }

    private static int AfterLastTopLevel(IReadOnlyList<Token> tokens, int start, int end, string separator)
    {
        var last = TopLevel(tokens, start, end).Where(k => tokens[k].Text == separator).DefaultIfEmpty(start - 1).Max();
        return last + 1;
    }

    /// <summary>Indexes in [start, end) at bracket depth 0 relative to <paramref name="start"/> (brackets themselves excluded).</summary>
    private static IEnumerable<int> TopLevel(IReadOnlyList<Token> tokens, int start, int end)
    {
        var depth = 0;
        for (var k = start; k < end; k++)
        {
            var t = tokens[k];
            if (t.Type == TokenType.Punct && t.Text is "(" or "[" or "{")
            {
                depth++;
            }
            else if (t.Type == TokenType.Punct && t.Text is ")" or "]" or "}")
            {
                depth--;
            }
            else if (depth == 0)
            {
                yield return k;
            }
        }
    }

    private static int Matching(IReadOnlyList<Token> tokens, int open)
    {
        var depth = 0;
        for (var k = open; k < tokens.Count; k++)
        {
            var t = tokens[k];
            if (t.Type != TokenType.Punct)
            {
                continue;
            }

            if (t.Text is "(" or "[" or "{")
            {
                depth++;
            }
            else if (t.Text is ")" or "]" or "}" && --depth == 0)
            {
                return k;
            }
        }

        return -1;
    }

    private static bool StartsLine(string text, int position)
    {
        var lineStart = position == 0 ? 0 : text.LastIndexOf('\n', position - 1) + 1;
        return string.IsNullOrWhiteSpace(text[lineStart..position]);
    }

    private static int Line(string text, int position) => text.AsSpan(0, position).Count('\n') + 1;

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
