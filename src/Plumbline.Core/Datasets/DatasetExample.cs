using System.Text.Encodings.Web;
using System.Text.Json;
using Plumbline.Core.Privacy;

namespace Plumbline.Core.Datasets;

/// <summary>
/// One example before it is written: a system instruction, a prompt and a completion, plus for next-edit
/// the Zeta fields. <see cref="Context"/> and <see cref="Change"/> feed the near-duplicate check.
/// </summary>
public sealed record ExampleText(string System, string Prompt, string Completion, string Context, string Change)
{
    /// <summary>Zeta's <c>events</c>, <c>input</c>, <c>output</c> (next-edit only).</summary>
    public (string Events, string Input, string Output)? Zeta { get; init; }

    public static ExampleText FromNextEdit(NextEditParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var events = parts.Events;
        var input = parts.Input;
        var prompt = (events.Length == 0 ? "" : "Recent edits:\n" + events) + "Document excerpt:\n" + input;
        return new ExampleText(
            "You predict an author's next edit. Rewrite the editable region, between <|editable_region_start|> and <|editable_region_end|>, as it reads after the author's next edit at <|user_cursor_is_here|>.",
            prompt,
            parts.Target,
            parts.EditableBeforeCursor + parts.EditableAfterCursor,
            parts.Change)
        { Zeta = (events, input, parts.Target) };
    }

    /// <summary>The fields <paramref name="format"/> writes, with the current redaction rules applied; the number of findings.</summary>
    public (ExampleText Example, int Findings) Redact(SecretDetector detector, DatasetFormat format)
    {
        ArgumentNullException.ThrowIfNull(detector);
        var findings = 0;
        string Clean(string text)
        {
            var (redacted, found) = TextRedaction.Apply(detector, text);
            findings += found.Count;
            return redacted;
        }

        if (format == DatasetFormat.Zeta && Zeta is { } zeta)
        {
            return (this with { Zeta = (Clean(zeta.Events), Clean(zeta.Input), Clean(zeta.Output)) }, findings);
        }

        return (this with { Prompt = Clean(Prompt), Completion = Clean(Completion) }, findings);
    }

    /// <summary>The example as one JSON line (no trailing newline) in <paramref name="format"/>.</summary>
    public string ToJsonLine(DatasetFormat format)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            switch (format)
            {
                case DatasetFormat.Chat:
                    writer.WriteStartArray("messages");
                    Message(writer, "system", System);
                    Message(writer, "user", Prompt);
                    Message(writer, "assistant", Completion);
                    writer.WriteEndArray();
                    break;
                case DatasetFormat.Completion:
                    writer.WriteString("prompt", Prompt);
                    writer.WriteString("completion", Completion);
                    break;
                case DatasetFormat.Zeta:
                    var zeta = Zeta ?? throw PlumblineException.BadInput("--format zeta: only next-edit examples have the Zeta fields");
                    writer.WriteString("events", zeta.Events);
                    writer.WriteString("input", zeta.Input);
                    writer.WriteString("output", zeta.Output);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(format), format, "unknown format");
            }

            writer.WriteEndObject();
        }

        return global::System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Message(Utf8JsonWriter writer, string role, string content)
    {
        writer.WriteStartObject();
        writer.WriteString("role", role);
        writer.WriteString("content", content);
        writer.WriteEndObject();
    }
}
