using System.Text.Json;
using System.Text.Json.Nodes;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Privacy;
using Plumbline.Storage.Documents;

namespace Plumbline.Storage.Review;

/// <summary>What a contributor's own redaction changed: patch and row events rewritten, revisions whose patches changed.</summary>
public sealed record ReviewRedactionResult(long Id, string Contributor, long EventsRewritten, int RevisionsAffected, IReadOnlyList<string> Documents);

/// <summary>
/// Review before release: a contributor redacts their own text, and the redaction reaches every revision.
/// <list type="bullet">
/// <item>A <b>span</b> (code points of a document's latest revision): each character of it is traced back by identity
/// to the patch that inserted it; older copies of its text the contributor wrote and deleted (cut and pasted back,
/// undone and redone, typed again) and what they typed inside it and deleted are reached too, never another
/// contributor's characters (<see cref="HistoryRedactor.ReachSpan"/>). The document's whole history is replayed with
/// every maximal run of those characters shown as <c>[REDACTED]</c> — in the revision that typed them and every later
/// one that kept or moved them; positions after a placeholder are remapped so every revision replays consistently, comment
/// ranges are carried over, and snapshots are rebuilt. Characters written by someone else refuse the whole
/// request (nothing is changed); withheld gap characters (░) carry no one's text and may be included.</item>
/// <item>A <b>time range</b> [from, to] (optionally one source): the text inserted by every one of their edit revisions
/// in the window is redacted in the same way, and the text of their comments, notes, cues and commit messages in
/// the window is replaced by <c>[REDACTED]</c>.</item>
/// </list>
/// The rewrite is the one exception to append-only, as for secrets: event ids are kept, and the store is scrubbed
/// afterwards (SQLite <c>secure_delete</c> and a WAL checkpoint; PostgreSQL <c>VACUUM</c>). Each redaction is recorded
/// (who, when, which range) without the text it removed.
/// </summary>
public sealed class ReviewRedaction(ITraceStore store, TimeProvider time, StoreOptions? options = null)
{
    private static readonly Dictionary<EventKind, string> TextFields = new()
    {
        [EventKind.Comment] = "text",
        [EventKind.Note] = "text",
        [EventKind.Cue] = "text",
        [EventKind.Commit] = "message",
    };

    private readonly StoreOptions _options = options ?? StoreOptions.Default;

    /// <summary>Redacts code points [<paramref name="start"/>, <paramref name="end"/>) of the latest revision of <paramref name="documentName"/>, in every revision.</summary>
    public async Task<ReviewRedactionResult> RedactSpanAsync(string contributorName, string documentName, int start, int end, string recordedBy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contributorName);
        ArgumentException.ThrowIfNullOrWhiteSpace(documentName);
        var result = await StoreRetry.RunAsync(time, () => SpanOnceAsync(contributorName, documentName, start, end, recordedBy, cancellationToken), cancellationToken);
        await store.ScrubAsync(cancellationToken);
        return result;
    }

    /// <summary>Redacts what the contributor recorded between <paramref name="from"/> and <paramref name="to"/> (inclusive), of one source or all.</summary>
    public async Task<ReviewRedactionResult> RedactRangeAsync(string contributorName, DateTimeOffset from, DateTimeOffset to, SourceKind? source, string recordedBy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contributorName);
        if (to < from)
        {
            throw PlumblineException.BadInput($"--to: {Iso(to)} is before --from {Iso(from)}");
        }

        var result = await StoreRetry.RunAsync(time, () => RangeOnceAsync(contributorName, from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), source, recordedBy, cancellationToken), cancellationToken);
        await store.ScrubAsync(cancellationToken);
        return result;
    }

    /// <summary>The contributor's own redactions, oldest first.</summary>
    public async Task<(Contributor Contributor, IReadOnlyList<ReviewRedactionRecord> Redactions)> ListAsync(string contributorName, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        var contributor = await RequireContributorAsync(session, contributorName, cancellationToken);
        return (contributor, await session.ReviewRedactionsAsync(contributor.Id, cancellationToken));
    }

    private async Task<ReviewRedactionResult> SpanOnceAsync(string contributorName, string documentName, int start, int end, string recordedBy, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: true, cancellationToken);
        var contributor = await RequireContributorAsync(session, contributorName, cancellationToken);
        var document = await DocumentReader.RequireAsync(session, documentName, cancellationToken);
        if (start < 0 || end <= start || end > document.Length)
        {
            throw PlumblineException.BadInput(
                $"--range: {start}:{end} is not a range within document '{document.Name}' (length {document.Length} code points at revision {document.Revisions}; START:END with 0 <= START < END <= {document.Length}); nothing was changed");
        }

        var history = await History.ReadAsync(session, document, cancellationToken);
        var traced = HistoryRedactor.TraceSpan(history.Start, history.Patches, start, end);
        await RequireOwnAsync(session, contributor, document, history.Stored, traced, start, cancellationToken);
        var reach = HistoryRedactor.ReachSpan(history.Start, history.Patches, start, end, r => OwnerOf(contributor, history.Stored, r) == contributor.Id);
        var (events, revisions) = await RewriteAsync(session, document, history, reach.Ids.ToHashSet(), cancellationToken);
        var id = await session.RecordReviewRedactionAsync(
            new ReviewRedactionRecord(0, contributor.Id, ReviewRedactionKind.Span, document.Name, document.Revisions, start, end, null, null, null, recordedBy, Now, events, revisions),
            cancellationToken);
        await session.CommitAsync(cancellationToken);
        return new ReviewRedactionResult(id, contributor.Name, events, revisions, [document.Name]);
    }

    private async Task<ReviewRedactionResult> RangeOnceAsync(string contributorName, long from, long to, SourceKind? source, string recordedBy, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: true, cancellationToken);
        var contributor = await RequireContributorAsync(session, contributorName, cancellationToken);
        long events = 0;
        var revisions = 0;
        var documents = new List<string>();
        foreach (var documentId in await session.DocumentsEditedByAsync(contributor.Id, cancellationToken))
        {
            var document = await session.GetDocumentAsync(documentId, cancellationToken);
            if (document is null || (source is { } only && document.Source != only))
            {
                continue;
            }

            var history = await History.ReadAsync(session, document, cancellationToken);
            var ids = HistoryRedactor.InsertedBy(history.Start, history.Patches, r =>
                history.Stored[r - 1] is { Kind: RevisionKind.Edit } revision && revision.ContributorId == contributor.Id && revision.Time >= from && revision.Time <= to);
            var (e, r) = await RewriteAsync(session, document, history, ids, cancellationToken);
            if (r > 0)
            {
                documents.Add(document.Name);
            }

            events += e;
            revisions += r;
        }

        foreach (var row in await session.EventsOfContributorAsync(contributor.Id, cancellationToken))
        {
            if (row.Time < from || row.Time > to || (source is { } only && row.Source != only) || !TextFields.TryGetValue(row.Kind, out var field))
            {
                continue;
            }

            // Read again: rewriting a document above may have moved this comment's range.
            var current = (await session.FindEventAsync(row.Seq, cancellationToken))!;
            var payload = JsonNode.Parse(current.Payload)!.AsObject();
            if (payload[field] is JsonValue value && value.TryGetValue<string>(out var text) && text != HistoryRedactor.ReviewPlaceholder)
            {
                payload[field] = HistoryRedactor.ReviewPlaceholder;
                await session.UpdateEventPayloadAsync(row.Seq, payload.ToJsonString(), cancellationToken);
                events++;
            }
        }

        var id = await session.RecordReviewRedactionAsync(
            new ReviewRedactionRecord(0, contributor.Id, ReviewRedactionKind.Range, null, null, null, null, from, to, source, recordedBy, Now, events, revisions),
            cancellationToken);
        await session.CommitAsync(cancellationToken);
        return new ReviewRedactionResult(id, contributor.Name, events, revisions, documents);
    }

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Rewrites the document with <paramref name="ids"/> redacted; returns the patch events and revisions that changed.</summary>
    private async Task<(long Events, int Revisions)> RewriteAsync(IStoreSession session, DocumentInfo document, History history, HashSet<int> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return (0, 0);
        }

        var comments = await HistoryRewrite.CommentsAsync(session, document.Id, cancellationToken);
        var redacted = HistoryRedactor.RedactCharacters(history.Start, history.Patches, ids, HistoryRewrite.Positions(comments));
        long events = 0;
        var revisions = 0;
        for (var r = 0; r < history.Patches.Count; r++)
        {
            var changed = history.Patches[r].Where((p, i) => p != redacted.Revisions[r][i]).Count();
            events += changed;
            revisions += changed > 0 ? 1 : 0;
        }

        await HistoryRewrite.ApplyAsync(session, _options, document, history.Stored, history.Chunks, redacted, comments, cancellationToken);
        return (events, revisions);
    }

    /// <summary>Refuses when any character of the span was written by someone else (the start text counts as the first revision's author's).</summary>
    private static async Task RequireOwnAsync(IStoreSession session, Contributor contributor, DocumentInfo document, IReadOnlyList<StoredRevision> stored, TracedSpan traced, int start, CancellationToken cancellationToken)
    {
        long? OwnerOf(int revision) => ReviewRedaction.OwnerOf(contributor, stored, revision);

        for (var i = 0; i < traced.Revisions.Count; i++)
        {
            var owner = OwnerOf(traced.Revisions[i]);
            if (owner == contributor.Id)
            {
                continue;
            }

            var j = i;
            while (j < traced.Revisions.Count && OwnerOf(traced.Revisions[j]) == owner)
            {
                j++;
            }

            var who = owner is { } other ? (await session.GetContributorAsync(other, cancellationToken))?.Name ?? $"contributor {other}" : "nobody recorded";
            throw PlumblineException.Refused(
                $"--range: code points {start + i}:{start + j} of '{document.Name}' were written by {who}, not {contributor.Name}; a contributor can redact only their own text (nothing was changed)");
        }
    }

    /// <summary>
    /// Who wrote the characters revision <paramref name="revision"/> inserted: its contributor; the start text (0) counts as
    /// the first revision's author's; withheld gap characters (░) carry no one's text and count as <paramref name="contributor"/>'s.
    /// </summary>
    private static long? OwnerOf(Contributor contributor, IReadOnlyList<StoredRevision> stored, int revision)
    {
        var origin = stored.Count == 0 ? null : stored[Math.Max(revision, 1) - 1];
        return origin is null ? null : origin.Kind == RevisionKind.Gap && revision > 0 ? contributor.Id : origin.ContributorId;
    }

    private static async Task<Contributor> RequireContributorAsync(IStoreSession session, string name, CancellationToken cancellationToken) =>
        await session.FindContributorAsync(name, cancellationToken)
            ?? throw PlumblineException.NotFound($"CONTRIBUTOR: there is no contributor named '{name}' (plumb contributor list)");

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A document's start text and every stored revision, with the chunks they came from.</summary>
    private sealed record History(string Start, List<StoredRevision> Stored, List<Core.Text.Patch[]> Patches, IReadOnlyList<ChunkRow> Chunks)
    {
        public static async Task<History> ReadAsync(IStoreSession session, DocumentInfo document, CancellationToken cancellationToken)
        {
            var start = await session.StartContentAsync(document.Id, cancellationToken);
            var stored = await DocumentReader.RevisionsAsync(session, document, 1, document.Revisions, cancellationToken).ToListAsync(cancellationToken);
            var chunks = await session.ChunksAsync(document.Id, 1, document.Revisions, cancellationToken);
            return new History(start, stored, stored.Select(r => r.Patches).ToList(), chunks);
        }
    }
}
