using System.Globalization;
using Microsoft.CodeAnalysis.Text;
using Plumbline.Core.Supervision.Tasks;

namespace Plumbline.Tasks.Mutation;

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
    public static IReadOnlyList<Token>? Tokenize(string text, string language, out string? error) => SourceTokenizer.Tokenize(text, language, out error);
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

    private static int Line(string text, int position) => SourceTokenizer.Line(text, position);
}
