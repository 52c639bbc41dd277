using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Plumbline.Core.Supervision.Drift;

namespace Plumbline.Cli.Commands.Drift;

/// <summary>Writes <c>report.json</c> and <c>report.html</c> into the output folder, each through a temporary file and a rename.</summary>
internal static class DriftReportWriter
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
        Converters = { new FiniteDoubleConverter() },
    };

    public static readonly JsonSerializerOptions Compact = new(Options) { WriteIndented = false };

    public static async Task WriteAsync(DirectoryInfo directory, DriftReport report, CancellationToken cancellationToken)
    {
        await WriteAtomicAsync(Path.Combine(directory.FullName, "report.json"), JsonSerializer.Serialize(report, Options) + "\n", cancellationToken);
        await WriteAtomicAsync(Path.Combine(directory.FullName, "report.html"), DriftHtml.Render(report), cancellationToken);
    }

    public static async Task WriteAtomicAsync(string path, string content, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, content, new UTF8Encoding(false), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Writes NaN and infinities as null (JSON has no such numbers).</summary>
    private sealed class FiniteDoubleConverter : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumberValue(value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        public override bool HandleNull => true;
    }
}
