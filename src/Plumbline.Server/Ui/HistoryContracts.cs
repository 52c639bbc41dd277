namespace Plumbline.Server.Contracts;

// The web UI's own reads (JSON snake_case). Positions count Unicode code points, as everywhere in the API.

/// <summary>The token the browser signs in with, once; it is kept in an HttpOnly cookie.</summary>
public sealed record SessionRequest(string Token);

/// <summary>One stored revision: <see cref="Kind"/> is edit or gap (withheld text, masked).</summary>
public sealed record HistoryRevisionDto(int Revision, DateTimeOffset Time, string? Contributor, string Kind, IReadOnlyList<PatchDto> Patches);

/// <summary>A comment with the revision it was made at and its range then; <see cref="ResolvedAtRevision"/> when it was resolved.</summary>
public sealed record HistoryCommentDto(
    long Id,
    string? Author,
    string Text,
    DateTimeOffset Time,
    int CreatedRevision,
    int CreatedStart,
    int CreatedEnd,
    string Quote,
    bool Resolved,
    string? ResolvedBy,
    int? ResolvedAtRevision);

/// <summary>A gap: a run of transactions withheld (paused, not consented) and stored only as its net length change.</summary>
public sealed record HistoryGapDto(int Revision, string Reason, DateTimeOffset From, DateTimeOffset To, int Transactions);

/// <summary>Everything the history slider needs to replay a document at any revision, client-side.</summary>
public sealed record HistoryResponse(
    string Document,
    string Source,
    int Revisions,
    string StartContent,
    IReadOnlyList<string> Contributors,
    IReadOnlyList<HistoryRevisionDto> History,
    IReadOnlyList<HistoryCommentDto> Comments,
    IReadOnlyList<HistoryGapDto> Gaps);

/// <summary>Revisions [<see cref="From"/>, <see cref="To"/>] of one contributor (null: none recorded).</summary>
public sealed record HistoryBandDto(int From, int To, string? Contributor);

/// <summary>A bucket of consecutive revisions: first and last time, code points inserted and deleted, the contributor who made most of them.</summary>
public sealed record HistoryActivityDto(int From, int To, DateTimeOffset FirstTime, DateTimeOffset LastTime, long Inserted, long Deleted, string? Contributor);

/// <summary>
/// The whole history at a glance, for the slider, without any revision's patches: its size and time span, author
/// bands, activity downsampled to at most <see cref="HistoryApi.ActivityBuckets"/> buckets, every comment (its quote is
/// the text it covered when it was made) and gap; <see cref="MaxWindow"/> is the largest <c>count</c> a window may ask for.
/// </summary>
public sealed record HistoryTimelineResponse(
    string Document,
    string Source,
    int Revisions,
    int Length,
    DateTimeOffset? FirstTime,
    DateTimeOffset? LastTime,
    IReadOnlyList<string> Contributors,
    IReadOnlyList<HistoryBandDto> Bands,
    IReadOnlyList<HistoryActivityDto> Activity,
    IReadOnlyList<HistoryCommentDto> Comments,
    IReadOnlyList<HistoryGapDto> Gaps,
    int MaxWindow);

/// <summary>A run of characters typed by one contributor (null: start content or unknown); <see cref="Withheld"/> for the fill of a gap.</summary>
public sealed record HistoryAuthorRunDto(string? Contributor, bool Withheld, int Length);

/// <summary>
/// A window of the history: the exact text at <see cref="BaseRevision"/> (= <see cref="From"/> − 1) with who typed
/// each character (runs), then revisions <see cref="From"/>..<see cref="To"/> with their patches, which replay it
/// forward. <see cref="To"/> is <see cref="From"/> − 1 when the window is empty (asked at the end of the history).
/// </summary>
public sealed record HistoryWindowResponse(
    string Document,
    int Revisions,
    int From,
    int To,
    int BaseRevision,
    string Text,
    IReadOnlyList<HistoryAuthorRunDto> Authors,
    IReadOnlyList<HistoryRevisionDto> History);

/// <summary>A dataset build recorded in the store, with its manifest when the server can still read it.</summary>
public sealed record ExportRecordDto(
    long Id,
    string Kind,
    string Use,
    DateTimeOffset CreatedAt,
    string Path,
    long Examples,
    string ManifestSha256,
    string ProvenanceSha256,
    System.Text.Json.JsonElement? Parameters,
    System.Text.Json.JsonElement? Manifest,
    IReadOnlyList<string> Contributors);

public sealed record ExportRecordListResponse(IReadOnlyList<ExportRecordDto> Exports);
