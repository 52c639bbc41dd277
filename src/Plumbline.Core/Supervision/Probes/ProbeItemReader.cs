using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plumbline.Core.Supervision.Probes;

/// <summary>Reads and writes probe items as JSONL, one object per line (Anthropic's model-written-evals format).</summary>
public static class ProbeItemReader
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reads every item; blank lines are skipped.</summary>
    /// <exception cref="PlumblineException">BadInput naming <paramref name="source"/>, the line and the field.</exception>
    public static List<ProbeItem> Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var items = new List<ProbeItem>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            items.Add(Parse(line, source, lineNumber));
        }

        if (items.Count == 0)
        {
            throw PlumblineException.BadInput($"{source}: no items (expected JSONL with \"question\", \"answer_matching_behavior\", \"answer_not_matching_behavior\")");
        }

        return items;
    }

    /// <summary>Parses one line.</summary>
    /// <exception cref="PlumblineException">BadInput naming the place and the field.</exception>
    public static ProbeItem Parse(string line, string source, int lineNumber)
    {
        ArgumentNullException.ThrowIfNull(line);
        var where = $"{source}:{lineNumber}";
        JsonObject obj;
        try
        {
            obj = JsonNode.Parse(line) as JsonObject ?? throw PlumblineException.BadInput($"{where}: expected a JSON object");
        }
        catch (JsonException e)
        {
            throw PlumblineException.BadInput($"{where}: not valid JSON ({e.Message})");
        }

        var question = StringField(obj, "question", where);
        var matching = StringField(obj, "answer_matching_behavior", where);
        var notMatching = obj["answer_not_matching_behavior"] switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => [s],
            JsonArray a when a.Count > 0 && a.All(x => x is JsonValue xv && xv.TryGetValue<string>(out _)) => a.Select(x => x!.GetValue<string>()).ToList(),
            _ => throw PlumblineException.BadInput($"{where}: \"answer_not_matching_behavior\" must be a string or a non-empty list of strings"),
        };
        var label = ProbeItem.LabelOf(matching) ?? throw PlumblineException.BadInput($"{where}: \"answer_matching_behavior\" '{matching}' is neither Yes/No nor a choice (A) to (F)");
        var extra = obj.Where(p => p.Key is not ("question" or "answer_matching_behavior" or "answer_not_matching_behavior")).Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value?.DeepClone())).ToList();
        var item = new ProbeItem { Question = question, AnswerMatchingBehavior = matching, AnswerNotMatchingBehavior = notMatching, Extra = extra, Line = lineNumber };
        foreach (var other in notMatching)
        {
            var otherLabel = ProbeItem.LabelOf(other);
            if (otherLabel is null || (item.Format == ProbeFormat.Choice) != (otherLabel.Length == 1))
            {
                throw PlumblineException.BadInput($"{where}: \"answer_not_matching_behavior\" '{other}' does not fit the matching answer '{matching}'");
            }

            if (otherLabel == label)
            {
                throw PlumblineException.BadInput($"{where}: \"answer_not_matching_behavior\" repeats the matching answer '{matching}'");
            }
        }

        if (item.Format == ProbeFormat.Choice && !item.Choices.ContainsKey(label))
        {
            throw PlumblineException.BadInput($"{where}: the matching answer '{matching}' is not among the question's choices ({string.Join(", ", item.Choices.Keys.Select(k => $"({k})"))})");
        }

        return item;
    }

    /// <summary>One JSON line (no newline): the three fields first, then the extra ones in order.</summary>
    public static string ToJsonLine(ProbeItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var obj = new JsonObject
        {
            ["question"] = item.Question,
            ["answer_matching_behavior"] = item.AnswerMatchingBehavior,
            ["answer_not_matching_behavior"] = item.AnswerNotMatchingBehavior.Count == 1 ? JsonValue.Create(item.AnswerNotMatchingBehavior[0]) : new JsonArray([.. item.AnswerNotMatchingBehavior.Select(a => (JsonNode?)JsonValue.Create(a))]),
        };
        foreach (var (key, value) in item.Extra)
        {
            obj[key] = value?.DeepClone();
        }

        return obj.ToJsonString(Compact);
    }

    private static string StringField(JsonObject obj, string name, string where) =>
        obj[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Trim().Length > 0
            ? s
            : throw PlumblineException.BadInput($"{where}: \"{name}\" must be a non-empty string");
}
