using System.Text.Json;

namespace Plumbline.Core.Supervision;

/// <summary>One model output: a line of a samples JSONL file (<c>{"id", "model", "prompt", "response"}</c>; extra fields are ignored here).</summary>
public sealed record ModelSample(string Id, string Model, string Prompt, string Response);

/// <summary>Reads samples JSONL (DESIGN: one object per line with string <c>id</c>, <c>model</c>, <c>prompt</c>, <c>response</c>).</summary>
public static class ModelSamples
{
    /// <summary>
    /// Parses every line of <paramref name="reader"/>; blank lines are skipped. Errors name
    /// <paramref name="source"/>, the 1-based line and the field; ids must be unique in the file.
    /// </summary>
    /// <exception cref="PlumblineException">BadInput on the first bad line.</exception>
    public static IReadOnlyList<ModelSample> Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var samples = new List<ModelSample>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
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
                throw PlumblineException.BadInput($"{source}:{number}: not JSON ({e.Message})");
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw PlumblineException.BadInput($"{source}:{number}: expected a JSON object");
                }

                string Field(string name, bool required)
                {
                    if (!document.RootElement.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
                    {
                        return required ? throw PlumblineException.BadInput($"{source}:{number}: field '{name}' is missing") : "";
                    }

                    return value.ValueKind switch
                    {
                        JsonValueKind.String => value.GetString()!,
                        JsonValueKind.Number when name == "id" => value.GetRawText(),
                        _ => throw PlumblineException.BadInput($"{source}:{number}: field '{name}' must be a string"),
                    };
                }

                var id = Field("id", required: true);
                if (!ids.Add(id))
                {
                    throw PlumblineException.BadInput($"{source}:{number}: id '{id}' appears twice");
                }

                samples.Add(new ModelSample(id, Field("model", required: false), Field("prompt", required: false), Field("response", required: true)));
            }
        }

        return samples;
    }
}
