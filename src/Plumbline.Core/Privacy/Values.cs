using System.Buffers;

namespace Plumbline.Core.Privacy;

/// <summary>Tests on candidate values: placeholders, entropy, character classes.</summary>
internal static class Values
{
    private static readonly SearchValues<string> PlaceholderWords = SearchValues.Create(
        ["example", "changeme", "change_me", "change-me", "placeholder", "redacted", "xxxx", "****", "...", "…"],
        StringComparison.OrdinalIgnoreCase);

    private static readonly string[] ReservedWords =
    [
        "null", "nil", "none", "true", "false", "undefined", "string", "str", "bool", "boolean", "int", "number",
        "object", "any", "required", "optional", "empty", "default", "self", "this", "password", "passwd", "secret",
        "token", "key", "pass", "value", "hidden", "unknown", "not_set", "notset", "todo", "tbd", "dummy", "test",
    ];

    /// <summary>
    /// A placeholder rather than a secret: one character repeated, <c>&lt;…&gt;</c>, <c>${…}</c>, <c>{{…}}</c>, <c>$VAR</c>,
    /// <c>%VAR%</c>, <c>your_…</c>, or containing example/changeme/placeholder/redacted/xxxx/****/….
    /// </summary>
    public static bool IsPlaceholder(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || AllSame(value))
        {
            return true;
        }

        if ((value[0] == '<' && value[^1] == '>') || (value[0] == '%' && value[^1] == '%' && value.Length > 1)
            || value.StartsWith("${", StringComparison.Ordinal) || value.StartsWith("{{", StringComparison.Ordinal)
            || value.StartsWith("$(", StringComparison.Ordinal) || (value[0] == '$' && value.Length > 1 && IsIdentifier(value[1..])))
        {
            return true;
        }

        if (value.StartsWith("your_", StringComparison.OrdinalIgnoreCase) || value.StartsWith("your-", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("<your", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return value.IndexOfAny(PlaceholderWords) >= 0;
    }

    /// <summary>A word a configuration or a type annotation uses in place of a value (null, true, string, …).</summary>
    public static bool IsReservedWord(ReadOnlySpan<char> value)
    {
        foreach (var word in ReservedWords)
        {
            if (value.Equals(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public static bool AllSame(ReadOnlySpan<char> value) => value.Length > 0 && !value.ContainsAnyExcept(value[0]);

    /// <summary>Shannon entropy in bits per character.</summary>
    public static double Entropy(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return 0;
        }

        Span<int> counts = stackalloc int[128];
        var other = 0;
        foreach (var c in value)
        {
            if (c < 128)
            {
                counts[c]++;
            }
            else
            {
                other++;
            }
        }

        double entropy = 0;
        foreach (var count in counts)
        {
            entropy += Term(count, value.Length);
        }

        return entropy + Term(other, value.Length);

        static double Term(int count, int length)
        {
            if (count == 0)
            {
                return 0;
            }

            var p = (double)count / length;
            return -p * Math.Log2(p);
        }
    }

    /// <summary>How many of lower-case letters, upper-case letters, digits and other characters occur.</summary>
    public static int CharacterClasses(ReadOnlySpan<char> value)
    {
        bool lower = false, upper = false, digit = false, other = false;
        foreach (var c in value)
        {
            if (char.IsAsciiLetterLower(c))
            {
                lower = true;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                upper = true;
            }
            else if (char.IsAsciiDigit(c))
            {
                digit = true;
            }
            else
            {
                other = true;
            }
        }

        return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
    }

    public static bool HasDigitAndLetter(ReadOnlySpan<char> value) =>
        value.IndexOfAnyInRange('0', '9') >= 0 && (value.IndexOfAnyInRange('a', 'z') >= 0 || value.IndexOfAnyInRange('A', 'Z') >= 0);

    /// <summary>A name like <c>NAME</c> or <c>env_var</c>: a letter or _ then letters, digits or _.</summary>
    public static bool IsIdentifier(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || !(char.IsAsciiLetter(value[0]) || value[0] == '_'))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Code rather than a literal: <c>user.password</c>, <c>process.env.TOKEN</c>, <c>self::KEY</c>.</summary>
    public static bool IsIdentifierPath(ReadOnlySpan<char> value)
    {
        foreach (var part in value.ToString().Split(["::", ".", "->"], StringSplitOptions.None))
        {
            if (!IsIdentifier(part))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Only characters tokens are made of: letters, digits and <c>+/=_-.~</c>.</summary>
    public static bool IsTokenCharacters(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '_' or '-' or '.' or '~'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Random-looking: 16 or more token characters, with letters and digits, at least 3 bits of entropy per character.</summary>
    public static bool IsHighEntropy(ReadOnlySpan<char> value) =>
        value.Length >= 16 && IsTokenCharacters(value) && HasDigitAndLetter(value) && Entropy(value) >= 3.0;
}
