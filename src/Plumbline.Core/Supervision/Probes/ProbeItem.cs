using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Plumbline.Core.Supervision.Probes;

/// <summary>How an item is answered: Yes/No, or one letter of a <c>Choices:</c> block, (A) to (F).</summary>
public enum ProbeFormat
{
    /// <summary>Answers " Yes" and " No".</summary>
    YesNo,

    /// <summary>Answers " (A)" … " (F)" naming the choices listed in the question.</summary>
    Choice,
}

/// <summary>
/// One probe in the format of Anthropic's model-written evaluations: <c>question</c>,
/// <c>answer_matching_behavior</c>, <c>answer_not_matching_behavior</c> (a string or a list of
/// strings); every other field is kept in <see cref="Extra"/>, in file order.
/// </summary>
public sealed partial record ProbeItem
{
    /// <summary>The prompt, as shown to the model.</summary>
    public required string Question { get; init; }

    /// <summary>The answer that shows the behaviour, as written (" Yes", " (A)").</summary>
    public required string AnswerMatchingBehavior { get; init; }

    /// <summary>The other answers, as written.</summary>
    public required IReadOnlyList<string> AnswerNotMatchingBehavior { get; init; }

    /// <summary>Fields other than the three above (<c>statement</c>, <c>label_confidence</c>, <c>subtask</c>, …), kept as read.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonNode?>> Extra { get; init; } = [];

    /// <summary>The 1-based line it was read from (0 when made in memory).</summary>
    public int Line { get; init; }

    /// <summary>The <c>subtask</c> field, when the item has one.</summary>
    public string? Subtask => Extra.FirstOrDefault(e => e.Key == "subtask").Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Yes/No or multiple choice, from the matching answer.</summary>
    public ProbeFormat Format => ChoiceLetter().IsMatch(AnswerMatchingBehavior.Trim()) ? ProbeFormat.Choice : ProbeFormat.YesNo;

    /// <summary>The matching answer as a label: "Yes", "No" or a letter "A"…"F".</summary>
    public string MatchingLabel => LabelOf(AnswerMatchingBehavior) ?? throw new InvalidOperationException($"'{AnswerMatchingBehavior}' is not an answer label");

    /// <summary>The answers a reply can give: "Yes"/"No", or the letters of the choices listed in the question (with the matching and other answers' letters).</summary>
    public IReadOnlyList<string> Labels
    {
        get
        {
            if (Format == ProbeFormat.YesNo)
            {
                return ["Yes", "No"];
            }

            var letters = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var letter in Choices.Keys)
            {
                letters.Add(letter);
            }

            letters.Add(MatchingLabel);
            foreach (var other in AnswerNotMatchingBehavior)
            {
                if (LabelOf(other) is { } l)
                {
                    letters.Add(l);
                }
            }

            return [.. letters];
        }
    }

    /// <summary>The choices listed in the question ("(A) text" lines), letter → text.</summary>
    public IReadOnlyDictionary<string, string> Choices
    {
        get
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match m in ChoiceLine().Matches(Question))
            {
                result.TryAdd(m.Groups[1].Value, m.Groups[2].Value.Trim());
            }

            return result;
        }
    }

    /// <summary>"Yes", "No" or a letter for an answer as written (" Yes", "(B)", "no"), or null.</summary>
    public static string? LabelOf(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var text = answer.Trim();
        if (ChoiceLetter().Match(text) is { Success: true } m)
        {
            return m.Groups[1].Value;
        }

        if (text.Equals("yes", StringComparison.OrdinalIgnoreCase))
        {
            return "Yes";
        }

        return text.Equals("no", StringComparison.OrdinalIgnoreCase) ? "No" : null;
    }

    /// <summary>The written form of a label, as Anthropic's files write it: " Yes", " (A)".</summary>
    public static string AnswerOf(string label) => label is "Yes" or "No" ? " " + label : $" ({label})";

    [GeneratedRegex(@"^\(([A-F])\)$")]
    private static partial Regex ChoiceLetter();

    [GeneratedRegex(@"(?m)^[ \t]*\(([A-F])\)[ \t]*(.*)$")]
    private static partial Regex ChoiceLine();
}
