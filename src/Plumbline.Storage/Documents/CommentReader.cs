using System.Text.Json;
using Plumbline.Core.Capture;
using Plumbline.Storage.Ingest;

namespace Plumbline.Storage.Documents;

/// <summary>A comment as it stands at some revision: where it was made, where its range is now, and the text it covers.</summary>
public sealed record CommentView(
    long Id,
    long? AuthorId,
    string Text,
    int CreatedAtRevision,
    long Time,
    CommentAnchor CreatedRange,
    CommentAnchor Range,
    string Quote,
    bool Orphaned,
    bool Resolved,
    long? ResolvedBy);

public static class CommentReader
{
    /// <summary>The comments made up to <paramref name="revision"/>, anchored at that revision.</summary>
    public static async Task<IReadOnlyList<CommentView>> AtRevisionAsync(
        IStoreSession session,
        DocumentInfo document,
        int revision,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(document);
        var events = await session.EventsAsync(document.Id, cancellationToken);
        var comments = events
            .Where(e => e.Kind == EventKind.Comment && e.Revision <= revision)
            .Select(e => (Event: e, Payload: JsonSerializer.Deserialize<CommentPayload>(e.Payload, CommentIngest.Json)!))
            .ToList();
        var resolved = events
            .Where(e => e.Kind == EventKind.CommentResolved && e.Revision <= revision)
            .ToDictionary(e => JsonSerializer.Deserialize<ResolvePayload>(e.Payload, CommentIngest.Json)!.Comment, e => e.ContributorId);
        if (comments.Count == 0)
        {
            return [];
        }

        var anchors = comments.Select(c => new CommentAnchor(c.Payload.Start, c.Payload.End)).ToArray();
        var from = comments.Min(c => c.Event.Revision!.Value) + 1;
        await foreach (var stored in DocumentReader.RevisionsAsync(session, document, from, revision, cancellationToken))
        {
            for (var i = 0; i < comments.Count; i++)
            {
                if (comments[i].Event.Revision < stored.Revision)
                {
                    foreach (var patch in stored.Patches)
                    {
                        anchors[i] = anchors[i].Through(patch);
                    }
                }
            }
        }

        var text = await DocumentReader.LoadAsync(session, document, revision, cancellationToken);
        return comments.Select((c, i) => new CommentView(
            c.Event.Seq,
            c.Event.ContributorId,
            c.Payload.Text,
            c.Event.Revision!.Value,
            c.Event.Time,
            new CommentAnchor(c.Payload.Start, c.Payload.End),
            anchors[i],
            text.Substring(anchors[i].Start, anchors[i].Length),
            anchors[i].Length == 0 && c.Payload.End > c.Payload.Start,
            resolved.ContainsKey(c.Event.Seq),
            resolved.GetValueOrDefault(c.Event.Seq))).ToList();
    }
}
