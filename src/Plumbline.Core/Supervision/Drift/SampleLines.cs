using System.Text.Json;

namespace Plumbline.Core.Supervision.Drift;

/// <summary>One model output of a samples file (<c>{"id", "model", "prompt", "response"}</c>; extra fields are ignored here).</summary>
public sealed record SampleLine(string Id, string? Model, string? Prompt, string Response, int Line);

/// <summary>Reads samples files (the DESIGN samples contract: JSONL, one object per line).</summary>
public static class SampleLines
{
    /// <summary>Parses a samples file's text; blank lines are skipped; a line without an id gets FILE:LINE.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="file">The file name, for messages.</param>
    /// <param name="textFields">Fields that may hold the text, in order of preference (default: only <c>response</c>).</param>
    /// <exception cref="PlumblineException">BadInput naming the file, the line and the field.</exception>
    public static IReadOnlyList<SampleLine> Parse(string text, string file, IReadOnlyList<string>? textFields = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(file);
        textFields ??= ["response"];
        var result = new List<SampleLine>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException e)
            {
                throw PlumblineException.BadInput($"{file}: line {number}: not JSON ({e.Message})");
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw PlumblineException.BadInput($"{file}: line {number}: expected a JSON object");
                }

                var field = textFields.FirstOrDefault(f => root.TryGetProperty(f, out _)) ?? textFields[0];
                if (!root.TryGetProperty(field, out var response) || response.ValueKind != JsonValueKind.String)
                {
                    throw PlumblineException.BadInput($"{file}: line {number}: \"{field}\" must be a string");
                }

                result.Add(new SampleLine(
                    Optional(root, "id", file, number) ?? $"{Path.GetFileName(file)}:{number}",
                    Optional(root, "model", file, number),
                    Optional(root, "prompt", file, number),
                    response.GetString()!,
                    number));
            }
        }

        return result;
    }

    private static string? Optional(JsonElement root, string name, string file, int line)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number when name == "id" => value.GetRawText(),
            _ => throw PlumblineException.BadInput($"{file}: line {line}: \"{name}\" must be a string"),
        };
    }
}
