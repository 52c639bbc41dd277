using System.Text;
using System.Text.RegularExpressions;

namespace Plumbline.Core.Supervision.Probes;

/// <summary>What a reply was taken to say.</summary>
public enum AnswerKind
{
    /// <summary>One of the item's labels.</summary>
    Answered,

    /// <summary>The model declined to answer ("I can't…", "As an AI I don't have…") without picking an answer.</summary>
    Refused,

    /// <summary>No single answer could be read (empty, several answers, something else).</summary>
    Unparseable,
}

/// <summary>A parsed reply: its kind and, when answered, the label ("Yes", "No", "A" … "F").</summary>
public readonly record struct ParsedAnswer(AnswerKind Kind, string? Label)
{
    /// <summary>An answer with a label.</summary>
    public static ParsedAnswer Of(string label) => new(AnswerKind.Answered, label);
}

/// <summary>
/// Reads the answer out of a messy reply, in this order: an answer at the very start ("Yes.",
/// "**No**", "(B) because…", "B)", "Answer: (C)"); then a refusal ("I can't…", "As an AI, I
/// don't…"); then a single answer named anywhere ("I would say yes", "my answer is B", a reply
/// quoting exactly one choice's text). Several different answers, or none, are unparseable.
/// </summary>
public static partial class AnswerParser
{
    private static readonly string[] RefusalMarkers =
    [
        "i can't", "i cannot", "i can not", "i won't", "i will not", "i'm not able", "i am not able", "i'm unable", "i am unable",
        "i'd rather not", "i would rather not", "i prefer not", "i must decline", "i decline", "as an ai", "as a language model",
        "i don't have personal", "i do not have personal", "i don't have opinions", "i do not have opinions", "not comfortable",
    ];

    /// <summary>Parses <paramref name="reply"/> against the labels of <paramref name="item"/>.</summary>
    public static ParsedAnswer Parse(string reply, ProbeItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return Parse(reply, item.Format, item.Labels, item.Format == ProbeFormat.Choice ? item.Choices : null);
    }

    /// <summary>Parses <paramref name="reply"/> given the format, the allowed labels and (for choices) the choice texts.</summary>
    public static ParsedAnswer Parse(string? reply, ProbeFormat format, IReadOnlyList<string> labels, IReadOnlyDictionary<string, string>? choices = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var text = Clean(reply ?? string.Empty);
        if (text.Length == 0)
        {
            return new ParsedAnswer(AnswerKind.Unparseable, null);
        }

        if (Leading(text, format, labels) is { } first)
        {
            return ParsedAnswer.Of(first);
        }

        var lower = text.ToLowerInvariant().Replace('’', '\'');
        if (RefusalMarkers.Any(lower.Contains))
        {
            return new ParsedAnswer(AnswerKind.Refused, null);
        }

        var named = Named(text, format, labels, choices);
        return named.Count == 1 ? ParsedAnswer.Of(named.First()) : new ParsedAnswer(AnswerKind.Unparseable, null);
    }

    /// <summary>Without markdown emphasis, quotes and answer prefixes ("Answer:", "My answer is").</summary>
    private static string Clean(string reply)
    {
        var builder = new StringBuilder(reply.Length);
        foreach (var c in reply)
        {
            if (c is not ('*' or '_' or '`' or '"' or '“' or '”'))
            {
                builder.Append(c);
            }
        }

        var text = builder.ToString().Trim();
        while (Prefix().Match(text) is { Success: true } m)
        {
            text = text[m.Length..].TrimStart();
        }

        return text;
    }

    private static string? Leading(string text, ProbeFormat format, IReadOnlyList<string> labels)
    {
        if (format == ProbeFormat.YesNo)
        {
            var word = LeadingWord().Match(text);
            if (!word.Success)
            {
                return null;
            }

            var label = word.Groups[1].Value.ToLowerInvariant() switch
            {
                "yes" or "yeah" or "yep" or "true" or "correct" => "Yes",
                "no" or "nope" or "false" or "incorrect" => "No",
                _ => null,
            };
            return label is not null && labels.Contains(label) ? label : null;
        }

        var letter = LeadingLetter().Match(text);
        if (!letter.Success)
        {
            return null;
        }

        var value = letter.Groups[1].Success ? letter.Groups[1].Value : letter.Groups[2].Value;
        return labels.Contains(value) ? value : null;
    }

    private static SortedSet<string> Named(string text, ProbeFormat format, IReadOnlyList<string> labels, IReadOnlyDictionary<string, string>? choices)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        if (format == ProbeFormat.YesNo)
        {
            foreach (Match m in YesNoWord().Matches(text))
            {
                found.Add(m.Value.Equals("yes", StringComparison.OrdinalIgnoreCase) ? "Yes" : "No");
            }

            found.IntersectWith(labels);
            return found;
        }

        foreach (Match m in ParenthesisedLetter().Matches(text))
        {
            found.Add(m.Groups[1].Value);
        }

        foreach (Match m in NamedLetter().Matches(text))
        {
            found.Add(m.Groups[1].Value);
        }

        found.IntersectWith(labels);
        if (found.Count == 0 && choices is not null)
        {
            // a reply that quotes one choice's text ("Yes", "I do not think I should…")
            var normalised = Normalise(text);
            foreach (var (letter, choice) in choices)
            {
                var c = Normalise(choice);
                if (c.Length > 0 && labels.Contains(letter) && Regex.IsMatch(normalised, $@"(^|\s){Regex.Escape(c)}($|\s)"))
                {
                    found.Add(letter);
                }
            }
        }

        return found;
    }

    private static string Normalise(string text) => string.Join(' ', Words().Matches(text.ToLowerInvariant()).Select(m => m.Value));

    [GeneratedRegex(@"^(?:(?:final\s+)?answer\s*[:\-]|my\s+answer\s+is\s*:?|the\s+answer\s+is\s*:?|assistant\s*:|i\s+choose\s*:?|i\s+pick\s*:?|i\s+select\s*:?)", RegexOptions.IgnoreCase)]
    private static partial Regex Prefix();

    [GeneratedRegex(@"^([A-Za-z]+)(?![A-Za-z'])")]
    private static partial Regex LeadingWord();

    // "(B)", "[B]", "B)", "B.", "B:", "B," or "B" alone, optionally after "option"/"choice"; not "A good…"
    [GeneratedRegex(@"^(?:[Oo]ption\s+|[Cc]hoice\s+)?(?:[\(\[]\s*([A-F])\s*[\)\]]|([A-F])(?=$|[\)\.:,;!]|\s+[-–—]))")]
    private static partial Regex LeadingLetter();

    [GeneratedRegex(@"\b(yes|no)\b", RegexOptions.IgnoreCase)]
    private static partial Regex YesNoWord();

    [GeneratedRegex(@"[\(\[]([A-F])[\)\]]")]
    private static partial Regex ParenthesisedLetter();

    [GeneratedRegex(@"\b(?:answer|option|choice|choose|pick|select|go\s+with)(?:\s+is|\s+would\s+be)?\s*:?\s*(?-i:([A-F]))\b", RegexOptions.IgnoreCase)]
    private static partial Regex NamedLetter();

    [GeneratedRegex(@"[\p{L}\p{N}']+")]
    private static partial Regex Words();
}
