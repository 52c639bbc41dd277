using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plumbline.Storage.Datasets;

public sealed record ManifestSplit(string File, long Examples);

public sealed record ManifestExclusion(string Name, string Reason);

/// <summary>
/// <c>manifest.json</c>: how the dataset was built, what it holds, and the SHA-256 of every other file.
/// <see cref="AuditHead"/> is the audit log's head (<c>COUNT:HASH</c>) right after the build was logged, and
/// <see cref="AuditLog"/> the command that checks the log against it (null and "absent" when built without one).
/// </summary>
public sealed record DatasetManifest
{
    public int PlumblineDataset { get; init; } = 1;

    public required string Kind { get; init; }

    public required string Format { get; init; }

    public required string Use { get; init; }

    public required string CreatedAt { get; init; }

    public required long CreatedAtMs { get; init; }

    public required string Store { get; init; }

    public required string CommandLine { get; init; }

    public required Dictionary<string, object?> Parameters { get; init; }

    public required Dictionary<string, ManifestSplit> Splits { get; init; }

    public required long Examples { get; init; }

    public required Dictionary<string, long> Counts { get; init; }

    public required IReadOnlyList<ManifestExclusion> Excluded { get; init; }

    public required Dictionary<string, string> Files { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? AuditHead { get; init; }

    public string AuditLog { get; init; } = "absent: built without an audit log, so no head could be recorded";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PrunedFrom { get; init; }

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
