using System.Text.Json;
using System.Text.Json.Nodes;
using Plumbline.Core;

namespace Plumbline.Tasks.Files;

/// <summary>One JSON object of a JSONL file, with its 1-based line number and <c>PATH:LINE</c> for messages.</summary>
internal readonly record struct JsonLine(JsonObject Json, int Number, string Where);

/// <summary>Reads the JSONL files the task commands take: blank lines skipped, anything else must be a JSON object.</summary>
internal static class JsonLines
{
    /// <exception cref="PlumblineException">NotFound for a missing file (named as <paramref name="what"/>); BadInput naming the file and line.</exception>
    public static IEnumerable<JsonLine> Read(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw PlumblineException.NotFound($"{path}: no such {what}");
        }

        return ReadExisting(path);
    }

    private static IEnumerable<JsonLine> ReadExisting(string path)
    {
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonObject json;
            try
            {
                json = JsonNode.Parse(line) as JsonObject ?? throw PlumblineException.BadInput($"{path}:{number}: not a JSON object");
            }
            catch (JsonException e)
            {
                throw PlumblineException.BadInput($"{path}:{number}: not valid JSON ({e.Message})");
            }

            yield return new JsonLine(json, number, $"{path}:{number}");
        }
    }
}
