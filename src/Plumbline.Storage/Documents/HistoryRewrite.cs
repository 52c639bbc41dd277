using System.Text.Json;
using Plumbline.Core.Capture;
using Plumbline.Core.Privacy;
using Plumbline.Core.Text;
using Plumbline.Storage.Ingest;

namespace Plumbline.Storage.Documents;

/// <summary>
/// The one exception to append-only, shared by secret redaction and a contributor's own redaction: a document's
/// stored history is replaced by a redacted one with the same revisions (times, contributors, consent versions,
/// kinds and event ids), its start content and snapshots rebuilt, and its comments' ranges carried over.
/// Callers scrub the store after committing so the original bytes do not survive on disk.
/// </summary>
internal static class HistoryRewrite
{
    /// <summary>The document's comments and the positions (revision, start) and (revision, end) of each, in order, for the redactor to carry.</summary>
    public static async Task<List<(StoredEvent Event, CommentPayload Payload)>> CommentsAsync(IStoreSession session, long documentId, CancellationToken cancellationToken) =>
        (await session.EventsAsync(documentId, cancellationToken))
            .Where(e => e.Kind == EventKind.Comment)
            .Select(e => (Event: e, Payload: JsonSerializer.Deserialize<CommentPayload>(e.Payload, CommentIngest.Json)!))
            .ToList();

    public static List<(int Revision, int Position)> Positions(IEnumerable<(StoredEvent Event, CommentPayload Payload)> comments) =>
        comments.SelectMany(c => new[] { (c.Event.Revision ?? 0, c.Payload.Start), (c.Event.Revision ?? 0, c.Payload.End) }).ToList();

    /// <summary>
    /// Rewrites the stored revisions <paramref name="stored"/> (read from <paramref name="chunks"/>) with the first
    /// <c>stored.Count</c> revisions of <paramref name="redacted"/>, and moves the comments' ranges; returns the document as it now is.
    /// </summary>
    public static async Task<DocumentInfo> ApplyAsync(
        IStoreSession session,
        StoreOptions options,
        DocumentInfo document,
        IReadOnlyList<StoredRevision> stored,
        IReadOnlyList<ChunkRow> chunks,
        RedactedHistory redacted,
        IReadOnlyList<(StoredEvent Event, CommentPayload Payload)> comments,
        CancellationToken cancellationToken)
    {
        await session.DeleteDocumentHistoryAsync(document.Id, cancellationToken);
        await session.ReplaceStartContentAsync(document.Id, redacted.Start, cancellationToken);
        var fresh = document with { Revisions = 0, Patches = 0, Length = CodePoints.Count(redacted.Start), LastTime = null };
        var appender = await DocumentAppender.StartAsync(session, options, fresh, redacted.Start, cancellationToken);
        var offset = 0;
        foreach (var chunk in chunks)
        {
            var count = chunk.LastRevision - chunk.FirstRevision + 1;
            var rewritten = stored.Skip(offset).Take(count)
                .Select((r, i) => new NewRevision(r.Time, r.ContributorId, r.ConsentVersion, r.Kind, redacted.Revisions[offset + i]))
                .ToList();
            await appender.AppendAsync(rewritten, chunk.FirstSeq, cancellationToken);
            offset += count;
        }

        for (var i = 0; i < comments.Count; i++)
        {
            var (comment, payload) = comments[i];
            var moved = payload with { Start = redacted.MappedPositions[2 * i], End = redacted.MappedPositions[(2 * i) + 1] };
            if (moved != payload)
            {
                await session.UpdateEventPayloadAsync(comment.Seq, JsonSerializer.Serialize(moved, CommentIngest.Json), cancellationToken);
            }
        }

        return appender.Document;
    }
}
