using System.Globalization;
using System.Text.RegularExpressions;

namespace Plumbline.Core.Supervision.Drift;

/// <summary>The comparison of a gate condition.</summary>
public enum GateOperator
{
    /// <summary><c>&lt;</c></summary>
    Less,

    /// <summary><c>&lt;=</c></summary>
    LessOrEqual,

    /// <summary><c>&gt;</c></summary>
    Greater,

    /// <summary><c>&gt;=</c></summary>
    GreaterOrEqual,
}

/// <summary>What the number of a condition multiplies.</summary>
public enum GateBaseline
{
    /// <summary>An absolute bound: <c>frechet_to_reference &gt; 2.5</c>.</summary>
    None,

    /// <summary>Relative to round 0's value of the same metric: <c>distinct_2 &lt; 0.6 * round0</c>.</summary>
    Round0,

    /// <summary>Relative to the previous round's value (not evaluated on round 0): <c>vendi &lt; 0.9 * previous</c>.</summary>
    Previous,
}

/// <summary>One condition of a gate file: the run fails when it holds.</summary>
/// <param name="Text">The condition as written (trimmed), used in failure messages.</param>
/// <param name="Metric">The metric it reads.</param>
/// <param name="Operator">The comparison.</param>
/// <param name="Number">The bound, or the factor of the baseline.</param>
/// <param name="Baseline">Absolute, or relative to round 0 or the previous round.</param>
/// <param name="Line">1-based line of the gate file the condition is on.</param>
public sealed record GateCondition(string Text, string Metric, GateOperator Operator, double Number, GateBaseline Baseline, int Line)
{
    /// <summary>
    /// Whether the condition holds (so the gate fails) for round <paramref name="round"/>; null when it
    /// cannot be evaluated there (no previous round, or a value that is not a number).
    /// </summary>
    public bool? Holds(int round, IReadOnlyList<IReadOnlyDictionary<string, double>> rounds)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        if (!rounds[round].TryGetValue(Metric, out var value) || !double.IsFinite(value))
        {
            return null;
        }

        double bound;
        switch (Baseline)
        {
            case GateBaseline.Round0:
                if (!rounds[0].TryGetValue(Metric, out var first) || !double.IsFinite(first))
                {
                    return null;
                }

                bound = Number * first;
                break;
            case GateBaseline.Previous:
                if (round == 0 || !rounds[round - 1].TryGetValue(Metric, out var previous) || !double.IsFinite(previous))
                {
                    return null;
                }

                bound = Number * previous;
                break;
            default:
                bound = Number;
                break;
        }

        return Operator switch
        {
            GateOperator.Less => value < bound,
            GateOperator.LessOrEqual => value <= bound,
            GateOperator.Greater => value > bound,
            _ => value >= bound,
        };
    }
}

/// <summary>The outcome of the gate over the rounds seen so far.</summary>
/// <param name="Passed">No condition held on any round.</param>
/// <param name="Failed">Each failure as <c>CONDITION @ round i</c>, in round order then file order.</param>
public sealed record GateResult(bool Passed, IReadOnlyList<string> Failed);

/// <summary>A parsed gate file.</summary>
public sealed record Gate(IReadOnlyList<GateCondition> Conditions)
{
    /// <summary>A gate with no conditions (always passes).</summary>
    public static Gate None { get; } = new([]);

    /// <summary>Evaluates every condition on every round.</summary>
    public GateResult Evaluate(IReadOnlyList<IReadOnlyDictionary<string, double>> rounds)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        var failed = new List<string>();
        for (var i = 0; i < rounds.Count; i++)
        {
            failed.AddRange(FailuresAt(i, rounds));
        }

        return new GateResult(failed.Count == 0, failed);
    }

    /// <summary>The failures of round <paramref name="round"/> alone.</summary>
    public IReadOnlyList<string> FailuresAt(int round, IReadOnlyList<IReadOnlyDictionary<string, double>> rounds) =>
        Conditions.Where(c => c.Holds(round, rounds) == true).Select(c => $"{c.Text} @ round {round}").ToArray();

    /// <summary>
    /// Parses a gate file: YAML with one key, <c>fail_when</c>, holding a list of conditions, either as
    /// a block (<c>- "distinct_2 &lt; 0.6 * round0"</c> per line) or a flow list on one line
    /// (<c>fail_when: ["a", "b"]</c>); <c>#</c> comments and blank lines are ignored. A condition is
    /// <c>METRIC &lt;|&lt;=|&gt;|&gt;= NUMBER</c>, optionally followed by <c>* round0</c> or <c>* previous</c>.
    /// </summary>
    /// <param name="text">The file's text.</param>
    /// <param name="file">The file name, for messages.</param>
    /// <param name="knownMetrics">Metric names a condition may use.</param>
    /// <exception cref="PlumblineException">BadInput naming the file and line.</exception>
    public static Gate Parse(string text, string file, IReadOnlyCollection<string> knownMetrics)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(knownMetrics);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var conditions = new List<GateCondition>();
        var inList = false;
        var sawKey = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = StripComment(lines[i]).TrimEnd();
            if (line.Trim().Length == 0 || line.Trim() == "---")
            {
                continue;
            }

            var trimmed = line.TrimStart();
            if (trimmed.StartsWith('-'))
            {
                if (!inList)
                {
                    throw Error(file, number, "a list item outside fail_when");
                }

                if (trimmed.Length > 1 && trimmed[1] != ' ' && trimmed[1] != '\t')
                {
                    throw Error(file, number, $"expected '- CONDITION', found '{trimmed}'");
                }

                conditions.Add(ParseCondition(Unquote(trimmed[1..].Trim(), file, number), file, number, knownMetrics));
                continue;
            }

            if (line.Length != trimmed.Length)
            {
                throw Error(file, number, $"unexpected indented line '{trimmed}'");
            }

            var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                throw Error(file, number, $"expected 'fail_when:', found '{trimmed}'");
            }

            var key = trimmed[..colon].Trim().Trim('"', '\'');
            if (key != "fail_when")
            {
                throw Error(file, number, $"unknown key '{key}' (a gate file has one key, fail_when)");
            }

            if (sawKey)
            {
                throw Error(file, number, "fail_when is given twice");
            }

            sawKey = true;
            var rest = trimmed[(colon + 1)..].Trim();
            if (rest.Length == 0)
            {
                inList = true;
                continue;
            }

            inList = false;
            if (!rest.StartsWith('[') || !rest.EndsWith(']'))
            {
                throw Error(file, number, "fail_when must be a list: fail_when: [\"CONDITION\", ...] or one '- CONDITION' per line below it");
            }

            foreach (var item in SplitFlow(rest[1..^1], file, number))
            {
                conditions.Add(ParseCondition(item, file, number, knownMetrics));
            }
        }

        if (!sawKey)
        {
            throw PlumblineException.BadInput($"{file}: no fail_when list (expected fail_when: [\"distinct_2 < 0.6 * round0\", ...])");
        }

        return new Gate(conditions);
    }

    private static readonly Regex ConditionPattern = new(
        @"^(?<metric>[A-Za-z_][A-Za-z0-9_]*)\s*(?<op><=|>=|<|>)\s*(?<number>[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?)\s*(\*\s*(?<baseline>[A-Za-z0-9_]+))?$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    private static GateCondition ParseCondition(string text, string file, int line, IReadOnlyCollection<string> knownMetrics)
    {
        var match = ConditionPattern.Match(text);
        if (!match.Success)
        {
            throw Error(file, line, $"cannot read condition '{text}' (expected METRIC <|<=|>|>= NUMBER, optionally * round0 or * previous)");
        }

        var metric = match.Groups["metric"].Value;
        if (!knownMetrics.Contains(metric))
        {
            throw Error(file, line, $"unknown metric '{metric}' in '{text}' (known: {string.Join(", ", knownMetrics.Order(StringComparer.Ordinal))})");
        }

        var op = match.Groups["op"].Value switch
        {
            "<" => GateOperator.Less,
            "<=" => GateOperator.LessOrEqual,
            ">" => GateOperator.Greater,
            _ => GateOperator.GreaterOrEqual,
        };
        var baseline = match.Groups["baseline"] switch
        {
            { Success: false } => GateBaseline.None,
            { Value: "round0" } => GateBaseline.Round0,
            { Value: "previous" } => GateBaseline.Previous,
            var other => throw Error(file, line, $"unknown baseline '{other.Value}' in '{text}' (expected round0 or previous)"),
        };
        var number = double.Parse(match.Groups["number"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        var normalized = Regex.Replace(text, @"\s+", " ");
        return new GateCondition(normalized, metric, op, number, baseline, line);
    }

    private static IEnumerable<string> SplitFlow(string inner, string file, int line)
    {
        var items = new List<string>();
        var i = 0;
        while (i < inner.Length)
        {
            while (i < inner.Length && char.IsWhiteSpace(inner[i]))
            {
                i++;
            }

            if (i >= inner.Length)
            {
                break;
            }

            string item;
            if (inner[i] is '"' or '\'')
            {
                var quote = inner[i];
                var end = inner.IndexOf(quote, i + 1);
                if (end < 0)
                {
                    throw Error(file, line, "unterminated quoted condition");
                }

                item = inner[(i + 1)..end];
                i = end + 1;
                while (i < inner.Length && char.IsWhiteSpace(inner[i]))
                {
                    i++;
                }

                if (i < inner.Length && inner[i] != ',')
                {
                    throw Error(file, line, $"expected ',' after \"{item}\"");
                }
            }
            else
            {
                var end = inner.IndexOf(',', i);
                end = end < 0 ? inner.Length : end;
                item = inner[i..end].Trim();
                i = end;
            }

            items.Add(item.Trim());
            i++; // the comma
        }

        return items;
    }

    private static string Unquote(string value, string file, int line)
    {
        if (value.Length > 0 && value[0] is '"' or '\'')
        {
            if (value.Length < 2 || value[^1] != value[0])
            {
                throw Error(file, line, $"unterminated quoted condition {value}");
            }

            return value[1..^1].Trim();
        }

        return value;
    }

    private static string StripComment(string line)
    {
        // a # starts a comment outside quotes
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is null && c is '"' or '\'')
            {
                quote = c;
            }
            else if (quote == c)
            {
                quote = null;
            }
            else if (quote is null && c == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i];
            }
        }

        return line;
    }

    private static PlumblineException Error(string file, int line, string message) => PlumblineException.BadInput($"{file}: line {line}: {message}");
}
