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
