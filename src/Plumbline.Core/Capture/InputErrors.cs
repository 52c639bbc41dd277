using System.Text.Json;

namespace Plumbline.Core.Capture;

/// <summary>Error messages shared by the file readers: what was found, and where the JSON broke.</summary>
public static class InputErrors
{
    /// <summary><c>FILE: line L, byte B: malformed JSON (reason)</c>.</summary>
    public static PlumblineException MalformedJson(string fileName, JsonException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var message = error.Message;
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        var reason = end < 0 ? message.TrimEnd('.') : message[..end];
        return PlumblineException.BadInput(
            $"{fileName}: line {(error.LineNumber ?? 0) + 1}, byte {(error.BytePositionInLine ?? 0) + 1}: malformed JSON ({reason})");
    }

    /// <summary>"a string", "the number 5", "an object", … for a parsed value.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => value.ValueKind.ToString(),
    };
}
