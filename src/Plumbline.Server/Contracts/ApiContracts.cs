using System.Text.Json;

namespace Plumbline.Server.Contracts;

// The wire format of the API (snake_case JSON). Positions and lengths count Unicode code points.

/// <summary>At <see cref="Position"/>, delete <see cref="Delete"/> code points, then insert <see cref="Insert"/>.</summary>
public sealed record PatchDto(int Position, int Delete, string Insert);

/// <summary>
/// One source transaction: it becomes one revision. <see cref="Time"/> defaults to the server's clock. Instead of
/// patches, <see cref="Text"/> may give the document's whole new text (a saved file): the server diffs it against
/// the source's previous text, through the same pipeline as <c>plumb watch</c> on a local store.
/// </summary>
public sealed record TransactionDto(IReadOnlyList<PatchDto> Patches, DateTimeOffset? Time = null, string? Author = null, string? Text = null);

/// <summary>
/// Edits to one document, stored whole or not at all. <see cref="BatchId"/> is the client's id for the
/// batch (a retry with the same id is a no-op); <see cref="BaseRevision"/> is the revision the patches
/// were made against (0 for a new document); if the document has moved on the batch is refused (409).
/// <see cref="SourceStartContent"/>: with whole-text transactions, the source's own text before the first of
/// them (default: the stored text; they differ where something was withheld or redacted).
/// </summary>
public sealed record EditBatchRequest(
    string BatchId,
    int BaseRevision,
    IReadOnlyList<TransactionDto> Transactions,
    string? StartContent = null,
    string? ExpectedEnd = null,
    IReadOnlyDictionary<string, string>? Authors = null,
    string? SourceStartContent = null);

public sealed record EditBatchResponse(
    string Document,
    int Transactions,
    long Patches,
    int StoredRevisions,
    int GapRevisions,
    int WithheldTransactions,
    int FirstRevision,
    int LastRevision,
    int Revision,
    int Redacted,
    bool AlreadyStored);

/// <summary>A document; <see cref="Shared"/> is set when it is shared with the caller (whose it is, and the caller's role in it).</summary>
public sealed record DocumentDto(string Name, string Source, int Revisions, long Patches, int Length, DateTimeOffset CreatedAt, DateTimeOffset? LastTime, SharedWithMeDto? Shared = null);

public sealed record DocumentListResponse(IReadOnlyList<DocumentDto> Documents);

/// <summary>A document's text at a revision; for a meeting, its transcript with a line per cue.</summary>
public sealed record ReplayResponse(string Document, int Revision, int Revisions, int Length, string Text);

public sealed record CommentRequest(int Start, int End, string Text);

public sealed record EventResultResponse(long? Id, bool Stored, string? DroppedBecause, int Revision);

public sealed record CommentDto(
    long Id,
    string? Author,
    string Text,
    int CreatedRevision,
    int CreatedStart,
    int CreatedEnd,
    int Start,
    int End,
    string Quote,
    bool Orphaned,
    bool Resolved,
    string? ResolvedBy);

public sealed record CommentListResponse(string Document, int Revision, IReadOnlyList<CommentDto> Comments);

public sealed record NoteRequest(string Text, DateTimeOffset? At = null, string? Document = null, int? Revision = null);

/// <summary>A WebVTT or SRT file's text; <see cref="Start"/> is the wall-clock time of the recording's 0:00.</summary>
public sealed record TranscriptRequest(
    string BatchId,
    string Format,
    string Content,
    DateTimeOffset Start,
    IReadOnlyDictionary<string, string>? Speakers = null,
    string? FileName = null);

public sealed record SkippedBlockDto(int Line, string Reason);

public sealed record TranscriptResponse(
    string Meeting,
    int Cues,
    int StoredCues,
    int Gaps,
    IReadOnlyList<string> UnmappedSpeakers,
    IReadOnlyList<SkippedBlockDto> Skipped,
    bool AlreadyStored);

/// <summary>One entry of the event log, as <c>plumb log --json</c> prints it.</summary>
public sealed record EventDto(
    long Id,
    string Kind,
    string Source,
    string? Contributor,
    string? Document,
    int? Revision,
    int? Patch,
    DateTimeOffset Time,
    int ConsentVersion,
    JsonElement Payload);

/// <summary>
/// A page of the event log. <c>cursor</c> is opaque: pass it back as <c>cursor=</c> for the next page (also when
/// this one was empty, to follow the log); <c>more</c> says more events were already committed (ask again at once).
/// <c>next</c> is the legacy id keyset (set when the page was full), for <c>after=</c>.
/// </summary>
public sealed record EventListResponse(IReadOnlyList<EventDto> Events, long? Next, string? Cursor = null, bool More = false);

public sealed record ContributorRequest(string Name);

public sealed record ConsentRequest(IReadOnlyList<string> Sources, IReadOnlyList<string> Uses, DateOnly? Embargo = null, string? Statement = null);

public sealed record ConsentDto(
    int Version,
    IReadOnlyList<string> Sources,
    IReadOnlyList<string> Uses,
    DateOnly? Embargo,
    string StatementSha256,
    string RecordedBy,
    DateTimeOffset RecordedAt);

public sealed record PauseDto(DateTimeOffset Start, DateTimeOffset? End);

public sealed record ContributorDto(long Id, string Name, DateTimeOffset CreatedAt, ConsentDto? Consent, IReadOnlyList<ConsentDto> History, IReadOnlyList<PauseDto> Pauses, bool Paused);

public sealed record ContributorListResponse(IReadOnlyList<ContributorDto> Contributors);

public sealed record TermsRequest(IReadOnlyList<string> Terms);

public sealed record TermsResponse(string Contributor, IReadOnlyList<string> Terms);

public sealed record ExportRequest(string Use);

public sealed record ExcludedDto(string Document, IReadOnlyList<string> Reasons);

/// <summary>
/// What consent released, and the export itself in the editing-traces JSONL format (one document a line);
/// <see cref="AuditHead"/> is the audit log's head (COUNT:HASH) right after the export was logged.
/// </summary>
public sealed record ExportResponse(string Use, int Documents, long Transactions, int CommentsWithheld, IReadOnlyList<ExcludedDto> Excluded, string Jsonl, string? AuditHead = null);

public sealed record TokenRequest(string Role, string? Contributor = null, string? Label = null);

public sealed record TokenDto(long Id, string Role, string? Contributor, string Label, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A new token; <see cref="Secret"/> is shown this once and never stored.</summary>
public sealed record TokenCreatedResponse(TokenDto Token, string Secret);

public sealed record TokenListResponse(IReadOnlyList<TokenDto> Tokens);

public sealed record MeResponse(long TokenId, string Role, string? Contributor);

public sealed record HealthResponse(string Status, string Version);

/// <summary>One audit entry: <see cref="Detail"/> is the JSON object recorded with it.</summary>
public sealed record AuditEntryDto(long Seq, DateTimeOffset Time, string Actor, string Action, string? Contributor, string? Subject, System.Text.Json.JsonElement Detail);

/// <summary>The log's head: how many entries it has and the mac of the last (COUNT:HASH in manifests).</summary>
public sealed record AuditHeadDto(long Count, string Hash);

/// <summary>The audit entries about one contributor's data, oldest first, and the whole log's head.</summary>
public sealed record AuditListResponse(IReadOnlyList<AuditEntryDto> Entries, AuditHeadDto Head);
