using System.Data.Common;
using System.Globalization;
using Plumbline.Core.Capture;
using Plumbline.Core.Consent;

namespace Plumbline.Storage;

/// <summary>
/// The column lists and row readers both backends share: the schema's columns are the same, only the
/// SQL dialect around them differs.
/// </summary>
internal static class StoreRows
{
    public const string ContributorColumns = "id, name, created_at";
    public const string DocumentColumns = "id, name, source, revisions, length, patches, created_at, last_time";
    public const string ChunkColumns = "document_id, first_rev, last_rev, contributor_id, consent_version, first_seq, patch_count, min_time, max_time, data";
    public const string EventColumns = "seq, contributor_id, source, kind, document_id, revision, time, consent_version, payload";
    public const string ConsentColumns = "contributor_id, version, sources, uses, embargo, statement, statement_sha256, recorded_by, recorded_at";
    public const string PauseColumns = "id, contributor_id, started_at, ended_at";
    public const string SnapshotColumns = "document_id, revision, patches, data";

    public static Contributor ReadContributor(DbDataReader r) => new(r.GetInt64(0), r.GetString(1), r.GetInt64(2));

    public static PauseInterval ReadPause(DbDataReader r) => new(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), NullableInt64(r, 3));

    public static ConsentRecord ReadConsent(DbDataReader r) => new(
        r.GetInt64(0),
        r.GetInt32(1),
        new ConsentTerms(
            ConsentTerms.ParseSources(r.GetString(2), "consent_records.sources"),
            ConsentTerms.ParseUses(r.GetString(3), "consent_records.uses"),
            r.IsDBNull(4) ? null : DateOnly.ParseExact(r.GetString(4), "yyyy-MM-dd", CultureInfo.InvariantCulture)),
        r.GetString(5),
        r.GetString(6),
        r.GetString(7),
        r.GetInt64(8));

    public static DocumentInfo ReadDocument(DbDataReader r) => new(
        r.GetInt64(0),
        r.GetString(1),
        ParseSource(r.GetString(2)),
        r.GetInt32(3),
        r.GetInt32(4),
        r.GetInt64(5),
        r.GetInt64(6),
        NullableInt64(r, 7));

    /// <summary>A chunk row as stored (its data sealed); sessions open it with <see cref="Keys.SealedRows.OpenChunk"/>.</summary>
    public static ChunkRow ReadSealedChunk(DbDataReader r) => new(
        r.GetInt64(0),
        r.GetInt32(1),
        r.GetInt32(2),
        NullableInt64(r, 3),
        r.GetInt32(4),
        r.GetInt64(5),
        r.GetInt32(6),
        r.GetInt64(7),
        r.GetInt64(8),
        (byte[])r.GetValue(9));

    public static SnapshotRow ReadSealedSnapshot(DbDataReader r) => new(r.GetInt64(0), r.GetInt32(1), r.GetInt64(2), (byte[])r.GetValue(3));

    /// <summary>An event row; its payload column (sealed bytes) is opened by <paramref name="openPayload"/>(seq, bytes).</summary>
    public static StoredEvent ReadEvent(DbDataReader r, Func<long, byte[], string> openPayload) => new(
        r.GetInt64(0),
        NullableInt64(r, 1),
        ParseSource(r.GetString(2)),
        EventNames.ParseKind(r.GetString(3)),
        NullableInt64(r, 4),
        r.IsDBNull(5) ? null : r.GetInt32(5),
        r.GetInt64(6),
        r.GetInt32(7),
        openPayload(r.GetInt64(0), r.GetValue(8) is byte[] sealedBytes ? sealedBytes : System.Text.Encoding.UTF8.GetBytes(r.GetString(8))));

    public static long? NullableInt64(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    private static SourceKind ParseSource(string text) =>
        EventNames.TryParseSource(text, out var source) ? source : throw new InvalidDataException($"unknown source '{text}' in the store");
}
