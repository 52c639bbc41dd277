using System.Text.Json;
using System.Text.Json.Nodes;
using Plumbline.Core;

namespace Plumbline.Models;

/// <summary>
/// Texts to train or score on: plain text (one text per non-blank line), or JSONL (file ending in
/// .jsonl, or first non-blank line starting with <c>{</c>) taking the field named, else the first of
/// <c>text</c>, <c>response</c>, <c>prompt</c>, <c>statement</c> — so a samples file is a corpus.
/// </summary>
public static class TextCorpus
{
    private static readonly string[] DefaultFields = ["text", "response", "prompt", "statement"];

    /// <summary>The texts with their 1-based line numbers.</summary>
    /// <exception cref="PlumblineException">BadInput naming FILE:LINE; NotFound for a missing file.</exception>
    public static IReadOnlyList<(int Line, string Text)> Read(string path, string? field = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw PlumblineException.NotFound($"{path}: no such file");
        }

        var result = new List<(int, string)>();
        bool? jsonl = path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ? true : null;
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            jsonl ??= line.TrimStart().StartsWith('{');
            if (jsonl == false)
            {
                result.Add((number, line));
                continue;
            }

            JsonObject obj;
            try
            {
                obj = JsonNode.Parse(line) as JsonObject ?? throw PlumblineException.BadInput($"{path}:{number}: expected a JSON object");
            }
            catch (JsonException e)
            {
                throw PlumblineException.BadInput($"{path}:{number}: not valid JSON: {e.Message}");
            }

            var names = field is null ? DefaultFields : [field];
            var text = names.Select(n => obj[n]).OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).FirstOrDefault(s => s is not null);
            if (text is null)
            {
                throw PlumblineException.BadInput($"{path}:{number}: no string field {string.Join(" or ", names.Select(n => $"\"{n}\""))}");
            }

            result.Add((number, text));
        }

        if (result.Count == 0)
        {
            throw PlumblineException.BadInput($"{path}: no texts");
        }

        return result;
    }
}
