using Plumbline.Core.Capture;

namespace Plumbline.Storage;

/// <summary>Whether a contributor's own redaction marked a span of a document or a time range.</summary>
public enum ReviewRedactionKind
{
    Span,
    Range,
}

/// <summary>
/// A redaction a contributor asked for (review before release): who, when, what range — never the text.
/// A span: <see cref="Document"/>, code points [<see cref="Start"/>, <see cref="End"/>) of <see cref="Revision"/> (the
/// latest at the time). A range: times [<see cref="From"/>, <see cref="To"/>] (Unix ms), optionally of one <see cref="Source"/>.
/// </summary>
public sealed record ReviewRedactionRecord(
    long Id,
    long ContributorId,
    ReviewRedactionKind Kind,
    string? Document,
    int? Revision,
    int? Start,
    int? End,
    long? From,
    long? To,
    SourceKind? Source,
    string RecordedBy,
    long RecordedAt,
    long EventsRewritten,
    int RevisionsAffected);

public partial interface IStoreSession
{
    Task<long> RecordReviewRedactionAsync(ReviewRedactionRecord redaction, CancellationToken cancellationToken);

    /// <summary>A contributor's own redactions, oldest first.</summary>
    Task<IReadOnlyList<ReviewRedactionRecord>> ReviewRedactionsAsync(long contributorId, CancellationToken cancellationToken);

    /// <summary>Every chunk of revisions by <paramref name="contributorId"/>, by document and revision.</summary>
    Task<IReadOnlyList<ChunkRow>> ChunksOfContributorAsync(long contributorId, CancellationToken cancellationToken);
}

internal static class ReviewRows
{
    public const string Columns =
        "id, contributor_id, kind, document, revision, span_start, span_end, from_time, to_time, source, recorded_by, recorded_at, events_rewritten, revisions_affected";

    public static string KindName(ReviewRedactionKind kind) => kind == ReviewRedactionKind.Span ? "span" : "range";

    public static ReviewRedactionRecord Read(System.Data.Common.DbDataReader r) => new(
        r.GetInt64(0),
        r.GetInt64(1),
        r.GetString(2) == "span" ? ReviewRedactionKind.Span : ReviewRedactionKind.Range,
        r.IsDBNull(3) ? null : r.GetString(3),
        r.IsDBNull(4) ? null : checked((int)r.GetInt64(4)),
        r.IsDBNull(5) ? null : checked((int)r.GetInt64(5)),
        r.IsDBNull(6) ? null : checked((int)r.GetInt64(6)),
        StoreRows.NullableInt64(r, 7),
        StoreRows.NullableInt64(r, 8),
        r.IsDBNull(9) ? null : Sqlite.SqliteSession.ParseSourceName(r.GetString(9)),
        r.GetString(10),
        r.GetInt64(11),
        r.GetInt64(12),
        checked((int)r.GetInt64(13)));

    public static (string Name, object? Value)[] Parameters(ReviewRedactionRecord x, string prefix) =>
    [
        (prefix + "c", x.ContributorId),
        (prefix + "kind", KindName(x.Kind)),
        (prefix + "doc", x.Document),
        (prefix + "rev", x.Revision),
        (prefix + "start", x.Start),
        (prefix + "end", x.End),
        (prefix + "from", x.From),
        (prefix + "to", x.To),
        (prefix + "source", x.Source?.Name()),
        (prefix + "by", x.RecordedBy),
        (prefix + "at", x.RecordedAt),
        (prefix + "events", x.EventsRewritten),
        (prefix + "revs", x.RevisionsAffected),
    ];
}
