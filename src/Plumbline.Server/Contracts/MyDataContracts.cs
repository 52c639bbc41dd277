namespace Plumbline.Server.Contracts;

// The "My data" part of the API (snake_case JSON; times ISO-8601 UTC; positions in code points).

/// <summary>Withdraw a contributor's events (of one source, or all when <see cref="Source"/> is null); <see cref="Confirm"/> must equal their name.</summary>
public sealed record WithdrawRequest(string Confirm, string? Source = null);

/// <summary>A recorded export that included the contributor's events (before the withdrawal).</summary>
public sealed record AffectedExportDto(long Id, string Kind, string Use, string Path, long Examples, DateTimeOffset CreatedAt);

/// <summary>
/// What a withdrawal destroyed: <see cref="Events"/> (edit patches and row events), the documents removed whole
/// (only they edited them) and those where their edits became withheld gaps (others edited them too), by name.
/// <see cref="AffectedDatasets"/>: dataset builds that used their events (run <c>plumb dataset verify PATH --prune</c>);
/// <see cref="AffectedExports"/>: other recorded exports that did (trace exports are not recorded: consent is checked when they run).
/// </summary>
public sealed record WithdrawResponse(
    long Withdrawal,
    string Contributor,
    string? Source,
    long Events,
    long EditEvents,
    long RowEvents,
    IReadOnlyList<string> DocumentsDeleted,
    IReadOnlyList<string> DocumentsMasked,
    IReadOnlyList<AffectedExportDto> AffectedExports,
    IReadOnlyList<AffectedExportDto> AffectedDatasets);

/// <summary>What is recorded from one source: events, documents, first and last event time.</summary>
public sealed record SourceSummaryDto(string Source, long Events, int Documents, DateTimeOffset First, DateTimeOffset Last);

/// <summary>Events of one source on one UTC day (<c>YYYY-MM-DD</c>), for a timeline chart.</summary>
public sealed record DaySummaryDto(DateOnly Day, string Source, long Events);

/// <summary>A contributor's recorded data, counted: sources with at least one event, and per-day counts in day order.</summary>
public sealed record ContributorSummaryResponse(string Contributor, bool Paused, IReadOnlyList<SourceSummaryDto> Sources, IReadOnlyList<DaySummaryDto> Days);

/// <summary>
/// A redaction of one's own text, reaching every revision. Either a span — <see cref="Document"/>, <see cref="Start"/>,
/// <see cref="End"/> (code points at the latest revision) — or a time range — <see cref="From"/>, <see cref="To"/>
/// (inclusive), optionally one <see cref="Source"/>.
/// </summary>
public sealed record RedactionRequest(
    string? Document = null,
    int? Start = null,
    int? End = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Source = null);

/// <summary>What a redaction rewrote: patch and row events whose text changed, revisions whose patches changed, the documents touched.</summary>
public sealed record RedactionResponse(long Id, long EventsRewritten, int RevisionsAffected, IReadOnlyList<string> Documents);

/// <summary>One recorded redaction: who asked (recorded_by), when, which range — never the text.</summary>
public sealed record RedactionDto(
    long Id,
    string Kind,
    string? Document,
    int? Revision,
    int? Start,
    int? End,
    DateTimeOffset? From,
    DateTimeOffset? To,
    string? Source,
    string RecordedBy,
    DateTimeOffset RecordedAt,
    long EventsRewritten,
    int RevisionsAffected)
{
    public static RedactionDto Of(Storage.ReviewRedactionRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(
            r.Id,
            r.Kind == Storage.ReviewRedactionKind.Span ? "span" : "range",
            r.Document,
            r.Revision,
            r.Start,
            r.End,
            r.From is { } from ? DateTimeOffset.FromUnixTimeMilliseconds(from) : null,
            r.To is { } to ? DateTimeOffset.FromUnixTimeMilliseconds(to) : null,
            r.Source is { } source ? Core.Capture.EventNames.Name(source) : null,
            r.RecordedBy,
            DateTimeOffset.FromUnixTimeMilliseconds(r.RecordedAt),
            r.EventsRewritten,
            r.RevisionsAffected);
    }
}

public sealed record RedactionListResponse(string Contributor, IReadOnlyList<RedactionDto> Redactions);
