using System.Buffers;

namespace Plumbline.Core.Privacy;

/// <summary>
/// Values assigned to keys named like a secret — <c>k=v</c>, <c>k: v</c>, <c>k := v</c>, <c>"k": "v"</c>, env files,
/// YAML, JSON, .npmrc — where only the VALUE is redacted. Placeholders, code (<c>user.password</c>, <c>f(x)</c>) and type
/// annotations (<c>password: string</c>) are skipped.
/// </summary>
internal static class AssignmentRule
{
    /// <summary>The pre-filter: every key this rule (and the Authorization rule) looks at contains one of these.</summary>
    public static readonly SearchValues<string> Keywords = SearchValues.Create(
        ["key", "secret", "token", "pass", "pwd", "auth", "credential", "bearer"], StringComparison.OrdinalIgnoreCase);

    private static readonly string[] PasswordWords = ["password", "passwd", "pwd", "pass", "passphrase", "pw"];

    private static readonly string[] SecretWords =
    [
        "key", "secret", "token", "auth", "credential", "credentials", "apikey", "secretkey", "accesskey", "authtoken",
        "accesstoken", "clientsecret", "privatekey",
    ];

    public static void Run(Scan scan)
    {
        var text = scan.Text;
        var at = scan.Start;
        while (at < scan.End)
        {
            var hit = text.AsSpan(at, scan.End - at).IndexOfAny(Keywords);
            if (hit < 0)
            {
                return;
            }

            var keyStart = at + hit;
            while (keyStart > scan.Start && IsKeyCharacter(text[keyStart - 1]))
            {
                keyStart--;
            }

            var keyEnd = at + hit;
            while (keyEnd < scan.End && IsKeyCharacter(text[keyEnd]))
            {
                keyEnd++;
            }

            at = Math.Max(keyEnd, at + hit + 1);
            TryAssignment(scan, keyStart, keyEnd);
        }
    }

    private static void TryAssignment(Scan scan, int keyStart, int keyEnd)
    {
        var text = scan.Text;
        var key = text.AsSpan(keyStart, keyEnd - keyStart).Trim("-.");
        var last = LastComponent(key);
        var isPassword = IsOneOf(last, PasswordWords);
        if (!isPassword && !IsOneOf(last, SecretWords))
        {
            return;
        }

        var p = keyEnd;
        if (keyStart > scan.Start && text[keyStart - 1] is '"' or '\'' && p < scan.End && text[p] == text[keyStart - 1])
        {
            p++;
        }

        p = SkipBlanks(text, p, scan.End);
        if (!TrySeparator(text, ref p, scan.End))
        {
            return;
        }

        p = SkipBlanks(text, p, scan.End);
        if (!TryValue(text, p, scan.End, out var valueStart, out var valueEnd, out var quoted))
        {
            return;
        }

        var value = text.AsSpan(valueStart, valueEnd - valueStart);
        if (Values.IsPlaceholder(value) || Values.IsReservedWord(value) || value.ContainsAny(" \t"))
        {
            return;
        }

        var rule = Classify(text, keyStart, key, value, quoted, isPassword);
        if (rule is not null)
        {
            scan.Add(FindingKind.Secret, valueStart, valueEnd, rule);
        }
    }

    private static string? Classify(string text, int keyStart, ReadOnlySpan<char> key, ReadOnlySpan<char> value, bool quoted, bool isPassword)
    {
        if (key is "_authToken" or "_auth" or "_password" && (keyStart == 0 || text[keyStart - 1] is ':' or '\n'))
        {
            return value.Length >= 8 ? DetectorRules.NpmrcAuthToken : null;
        }

        if (quoted && key.Equals("auth", StringComparison.OrdinalIgnoreCase))
        {
            return value.Length >= 16 && Values.IsTokenCharacters(value) ? DetectorRules.ContainerRegistryAuth : null;
        }

        if (!quoted && (IsCode(value) || value[0] is '&' or '*' or '!' or '|' or '>' or '@'))
        {
            return null; // code (a variable, user.password, a reference) or YAML syntax, not a literal
        }

        if (value.Length == 40 && Values.IsTokenCharacters(value) && Contains(key, "aws") && Contains(key, "secret"))
        {
            return DetectorRules.AwsSecretAccessKey;
        }

        if (isPassword)
        {
            return value.Length >= 6 && (Values.CharacterClasses(value) >= 2 || (quoted && value.Length >= 8))
                ? DetectorRules.PasswordAssignment
                : null;
        }

        return Values.IsHighEntropy(value) ? DetectorRules.SecretAssignment : null;
    }

    /// <summary>A member path (<c>user.password</c>, <c>Self::KEY</c>) or a variable name without digits (<c>newPassword</c>).</summary>
    private static bool IsCode(ReadOnlySpan<char> value) =>
        Values.IsIdentifierPath(value) && (value.ContainsAny(".:>") || !value.ContainsAnyInRange('0', '9'));

    private static bool TrySeparator(string text, ref int p, int end)
    {
        if (p >= end)
        {
            return false;
        }

        var next = p + 1 < end ? text[p + 1] : '\0';
        switch (text[p])
        {
            case ':' when next == '=':
            case '=' when next == '>':
                p += 2;
                return true;
            case ':' when next != ':':
            case '=' when next != '=':
                p++;
                return true;
            default:
                return false;
        }
    }

    private static bool TryValue(string text, int p, int end, out int start, out int stop, out bool quoted)
    {
        start = stop = p;
        quoted = false;
        if (p >= end || text[p] is '\n' or '\r')
        {
            return false;
        }

        if (text[p] is '"' or '\'' or '`')
        {
            quoted = true;
            var quote = text[p];
            start = stop = p + 1;
            while (stop < end && text[stop] != quote && text[stop] is not ('\n' or '\r'))
            {
                stop++;
            }

            if (stop >= end || text[stop] != quote)
            {
                // Still being typed: the value so far, up to the first blank.
                stop = start;
                while (stop < end && !char.IsWhiteSpace(text[stop]))
                {
                    stop++;
                }
            }

            return stop > start;
        }

        while (stop < end && !char.IsWhiteSpace(text[stop]) && text[stop] is not ('"' or '\'' or '`' or ',' or ';' or ')' or '(' or '[' or ']' or '{' or '}' or '<' or '>'))
        {
            stop++;
        }

        // An unquoted value that runs into a call, an index, a generic or a block is code.
        return stop > start && (stop >= end || text[stop] is not ('(' or '[' or '{' or '<'));
    }

    private static int SkipBlanks(string text, int p, int end)
    {
        while (p < end && text[p] is ' ' or '\t')
        {
            p++;
        }

        return p;
    }

    private static bool IsKeyCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

    /// <summary>The last word of a key: <c>DB_PASSWORD</c> → PASSWORD, <c>rconPassword</c> → Password, <c>APIKey</c> → Key.</summary>
    private static ReadOnlySpan<char> LastComponent(ReadOnlySpan<char> key)
    {
        var end = key.Length;
        while (end > 0 && !char.IsAsciiLetterOrDigit(key[end - 1]))
        {
            end--;
        }

        if (end == 0)
        {
            return [];
        }

        var start = end - 1;
        while (start > 0 && !StartsWord(key, start, end))
        {
            start--;
        }

        return key[start..end];

        static bool StartsWord(ReadOnlySpan<char> key, int i, int end)
        {
            var before = key[i - 1];
            var at = key[i];
            return !char.IsAsciiLetterOrDigit(before)
                || (char.IsAsciiLetterUpper(at) && !char.IsAsciiLetterUpper(before))
                || (char.IsAsciiLetterUpper(before) && char.IsAsciiLetterUpper(at) && i + 1 < end && char.IsAsciiLetterLower(key[i + 1]));
        }
    }

    private static bool IsOneOf(ReadOnlySpan<char> word, string[] words)
    {
        foreach (var candidate in words)
        {
            if (word.Equals(candidate, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Contains(ReadOnlySpan<char> key, string word) => key.Contains(word, StringComparison.OrdinalIgnoreCase);
}
