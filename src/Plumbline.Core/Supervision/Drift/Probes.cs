using System.Text.Json;
using Plumbline.Core.Analysis;

namespace Plumbline.Core.Supervision.Drift;

/// <summary>A multiple-choice probe: a question, its answer choices, and the choice that shows the behaviour under test.</summary>
/// <param name="Id">The item's id (its <c>id</c> field, or FILE:LINE).</param>
/// <param name="Question">The prompt put to the model.</param>
/// <param name="Choices">The answers a response can give (as written in the file, e.g. <c>" Yes"</c>, <c>" (A)"</c>).</param>
/// <param name="Matching">The choice that matches the behaviour.</param>
public sealed record ProbeItem(string Id, string Question, IReadOnlyList<string> Choices, string Matching)
{
    /// <summary>
    /// The choice a response gives, or null when it gives none: the response (trimmed) starts with the
    /// choice (trimmed, case-insensitive), or for a lettered choice <c>(A)</c> with the bare letter
    /// followed by a non-letter. The longest matching choice wins.
    /// </summary>
    public string? ChoiceIn(string response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = response.Trim();
        string? best = null;
        foreach (var choice in Choices)
        {
            var c = choice.Trim();
            var matches = c.Length > 0 && text.StartsWith(c, StringComparison.OrdinalIgnoreCase);
            if (!matches && c.Length == 3 && c[0] == '(' && c[2] == ')' && text.Length > 0 && char.ToUpperInvariant(text[0]) == char.ToUpperInvariant(c[1]))
            {
                matches = text.Length == 1 || !char.IsLetter(text[1]);
            }

            if (matches && (best is null || c.Length > best.Trim().Length))
            {
                best = choice;
            }
        }

        return best;
    }
}

/// <summary>A probe file's answers in one round.</summary>
/// <param name="Items">The probe file (or battery) name.</param>
/// <param name="N">Probes answered with a recognisable choice.</param>
/// <param name="Matching">Of those, answers matching the behaviour.</param>
/// <param name="Unparseable">Probes whose answer named no choice.</param>
public sealed record ProbeTally(string Items, int N, int Matching, int Unparseable)
{
    /// <summary>Matching / N (NaN with no answer).</summary>
    public double Rate => N == 0 ? double.NaN : (double)Matching / N;

    /// <summary>The 95% Wilson score interval of <see cref="Rate"/> (Wilson 1927).</summary>
    public (double Low, double High) Interval => Wilson(Matching, N);

    /// <summary>Wilson score interval for k successes in n trials at z = 1.959964 (95%).</summary>
    public static (double Low, double High) Wilson(int k, int n, double z = WilsonInterval.Z95) =>
        n == 0 ? (double.NaN, double.NaN) : WilsonInterval.Of(k, n, z);
}

/// <summary>Reads probe files.</summary>
public static class ProbeFile
{
    /// <summary>
    /// Parses JSONL probes, one object per line, in either shape: the anthropics/evals shape
    /// (<c>question</c>, <c>answer_matching_behavior</c>, <c>answer_not_matching_behavior</c> — a string
    /// or a list) or <c>{"question", "choices": [...], "matching"}</c>; an <c>id</c> field is kept.
    /// </summary>
    /// <exception cref="PlumblineException">BadInput naming the file and line.</exception>
    public static IReadOnlyList<ProbeItem> Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(file);
        var items = new List<ProbeItem>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(line);
                root = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw PlumblineException.BadInput($"{file}: line {i + 1}: not JSON ({e.Message})");
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw PlumblineException.BadInput($"{file}: line {i + 1}: expected a JSON object");
            }

            var question = String(root, "question") ?? throw PlumblineException.BadInput($"{file}: line {i + 1}: no \"question\" string");
            var id = String(root, "id") ?? $"{Path.GetFileName(file)}:{i + 1}";
            List<string> choices;
            string matching;
            if (root.TryGetProperty("answer_matching_behavior", out _))
            {
                var match = Strings(root, "answer_matching_behavior");
                var notMatch = Strings(root, "answer_not_matching_behavior");
                if (match.Count == 0 || notMatch.Count == 0)
                {
                    throw PlumblineException.BadInput($"{file}: line {i + 1}: answer_matching_behavior and answer_not_matching_behavior must be non-empty strings or lists of strings");
                }

                matching = match[0];
                choices = [.. match.Take(1), .. notMatch];
            }
            else
            {
                choices = Strings(root, "choices");
                matching = String(root, "matching") ?? string.Empty;
                if (choices.Count < 2 || !choices.Contains(matching))
                {
                    throw PlumblineException.BadInput($"{file}: line {i + 1}: expected \"choices\" (two or more strings) and \"matching\" (one of them), or the anthropics/evals answer_matching_behavior fields");
                }
            }

            items.Add(new ProbeItem(id, question, choices, matching));
        }

        if (items.Count == 0)
        {
            throw PlumblineException.BadInput($"{file}: no probe items");
        }

        return items;
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> Strings(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return [];
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Array => value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList(),
            _ => [],
        };
    }
}
