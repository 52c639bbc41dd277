using System.Text.Json;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Consent;
using Plumbline.Core.Privacy;
using Plumbline.Storage.Documents;

namespace Plumbline.Storage.Ingest;

/// <summary>Comment payloads as stored.</summary>
internal sealed record CommentPayload(int Start, int End, string Text);

internal sealed record ResolvePayload(long Comment);

/// <summary>What happened to a single event (comment, resolution, note): its id, or why it was dropped.</summary>
public sealed record EventResult(long? Id, bool Stored, string? DroppedBecause, int Revision);

/// <summary>Comments and their resolution, through the same consent gate as edits.</summary>
public sealed class CommentIngest(ITraceStore store, TimeProvider time)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);


    /// <summary>Anchors a comment to [start, end) in code points at the document's current revision.</summary>
    public Task<EventResult> AddAsync(string documentName, int start, int end, string text, string actorName, CancellationToken cancellationToken) =>
        StoreRetry.RunAsync(time, () => AddOnceAsync(documentName, start, end, text, actorName, cancellationToken), cancellationToken);

    public Task<EventResult> ResolveAsync(long commentId, string actorName, CancellationToken cancellationToken) =>
        StoreRetry.RunAsync(time, () => ResolveOnceAsync(commentId, actorName, cancellationToken), cancellationToken);

    private async Task<EventResult> AddOnceAsync(string documentName, int start, int end, string text, string actorName, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: true, cancellationToken);
        var document = await DocumentReader.RequireAsync(session, documentName, cancellationToken);
        if (start < 0 || end < start || end > document.Length)
        {
            throw PlumblineException.BadInput(
                $"--range: {start}:{end} is not a range within document '{document.Name}' (length {document.Length} code points at revision {document.Revisions}; START:END with 0 <= START <= END <= {document.Length})");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw PlumblineException.BadInput("TEXT: the comment is empty");
        }

        var detector = await ActorDetectorAsync(session, actorName, cancellationToken);
        var payload = JsonSerializer.Serialize(new CommentPayload(start, end, TextRedaction.Apply(detector, text).Text), Json);
        return await AppendAsync(session, document, EventKind.Comment, payload, actorName, cancellationToken);
    }

    private async Task<EventResult> ResolveOnceAsync(long commentId, string actorName, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: true, cancellationToken);
        var comment = await session.FindEventAsync(commentId, cancellationToken);
        if (comment is not { Kind: EventKind.Comment, DocumentId: { } documentId })
        {
            throw PlumblineException.NotFound($"ID: there is no comment {commentId}");
        }

        // Reading the document first locks it (PostgreSQL), so two resolutions of one comment cannot both pass the check.
        var document = (await session.GetDocumentAsync(documentId, cancellationToken))!;
        var events = await session.EventsAsync(documentId, cancellationToken);
        if (events.Any(e => e.Kind == EventKind.CommentResolved && JsonSerializer.Deserialize<ResolvePayload>(e.Payload, Json)!.Comment == commentId))
        {
            throw PlumblineException.BadInput($"ID: comment {commentId} is already resolved");
        }

        var payload = JsonSerializer.Serialize(new ResolvePayload(commentId), Json);
        return await AppendAsync(session, document, EventKind.CommentResolved, payload, actorName, cancellationToken);
    }

    /// <summary>Comments and notes are redacted as whole texts, with the writer's own terms.</summary>
    internal static async Task<SecretDetector> ActorDetectorAsync(IStoreSession session, string actorName, CancellationToken cancellationToken) =>
        await session.FindContributorAsync(actorName, cancellationToken) is { } actor
            ? await Detectors.ForAsync(session, [actor.Id], cancellationToken)
            : Detectors.Standard;

    private Task<EventResult> AppendAsync(
        IStoreSession session,
        DocumentInfo document,
        EventKind kind,
        string payload,
        string actorName,
        CancellationToken cancellationToken) =>
        RowEventIngest.AppendAsync(
            session,
            actorName,
            new NewEvent(null, SourceKind.Documents, kind, document.Id, document.Revisions, time.GetUtcNow().ToUnixTimeMilliseconds(), 0, payload),
            cancellationToken);
}
