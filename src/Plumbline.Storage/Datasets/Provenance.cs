using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Plumbline.Core.Capture;

namespace Plumbline.Storage.Datasets;

/// <summary>A contributor whose events an example used.</summary>
public sealed record ProvenanceContributor(long Id, string Name);

/// <summary>A single revision of a document an example used (a file in a commit).</summary>
public sealed record ProvenanceRevision(string Document, int Revision);

/// <summary>
/// One line of <c>provenance.jsonl</c>: which events an example was built from. Edit events are the patches
/// of <see cref="Document"/>'s revisions <see cref="Revisions"/> (ids <see cref="EditEvents"/>, inclusive) and
/// of <see cref="Files"/>; row events (comments, cues, commits) are listed by id. <see cref="Sha256"/> hashes all
/// of them as stored at build time, so <c>plumb dataset verify</c> notices a later redaction or withdrawal.
/// </summary>
public sealed record ProvenanceEntry
{
    public required string Id { get; init; }

    public required string Split { get; init; }

    public required string Source { get; init; }

    public required string Document { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int[]? Revisions { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long[]? EditEvents { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ProvenanceRevision>? Files { get; init; }

    public IReadOnlyList<long> RowEvents { get; init; } = [];

    public required IReadOnlyList<ProvenanceContributor> Contributors { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Author { get; init; }

    public required string Sha256 { get; init; }

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

/// <summary>The hashes behind <see cref="ProvenanceEntry.Sha256"/>: one per stored revision or row event, then one over the list.</summary>
public static class EventHash
{
    public static byte[] Of(StoredRevision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"rev|{revision.Revision}|{revision.FirstSeq}|{(int)revision.Kind}|{revision.ContributorId}|");
        foreach (var patch in revision.Patches)
        {
            text.Append(CultureInfo.InvariantCulture, $"{patch.Position},{patch.Delete},").Append(patch.Insert).Append('\u0000');
        }

        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
    }

    public static byte[] Of(StoredEvent stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"event|{stored.Seq}|{stored.Kind.Name()}|{stored.ContributorId}|{stored.Payload}")));
    }

    public static string Combine(IEnumerable<byte[]> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        using var all = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var hash in hashes)
        {
            all.AppendData(hash);
        }

        return Convert.ToHexStringLower(all.GetHashAndReset());
    }
}
