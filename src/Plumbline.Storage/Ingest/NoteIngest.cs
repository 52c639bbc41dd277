using System.Text.Json;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Privacy;
using Plumbline.Storage.Documents;

namespace Plumbline.Storage.Ingest;

internal sealed record NotePayload(string Text, bool WrittenLater);

/// <summary>Running commentary: notes on the same clock as the edits, optionally attached to a document revision.</summary>
public sealed class NoteIngest(ITraceStore store, TimeProvider time)
{
    /// <summary>
    /// Stores a note at <paramref name="at"/> (a note written later about earlier work) or now; with
    /// <paramref name="documentName"/>, attached to the document's revision at that time, or <paramref name="revision"/>.
    /// </summary>
    public async Task<EventResult> AddAsync(string text, string actorName, DateTimeOffset? at, string? documentName, int? revision, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw PlumblineException.BadInput("TEXT: the note is empty");
        }

        var now = time.GetUtcNow();
        if (at > now)
        {
            throw PlumblineException.BadInput($"--at: {at:yyyy-MM-ddTHH:mm:ssZ} is in the future");
        }

        var when = (at ?? now).ToUnixTimeMilliseconds();
        await using var session = await store.OpenAsync(write: true, cancellationToken);
        DocumentInfo? document = null;
        int? attached = null;
        if (documentName is not null)
        {
            document = await DocumentReader.RequireAsync(session, documentName, cancellationToken);
            attached = revision ?? (at is null ? document.Revisions : await DocumentReader.RevisionAtTimeAsync(session, document, when, cancellationToken));
            if (attached < 0 || attached > document.Revisions)
            {
                throw PlumblineException.BadInput($"--rev: document '{document.Name}' has revisions 0 to {document.Revisions} (asked for {attached})");
            }
        }
        else if (revision is not null)
        {
            throw PlumblineException.BadInput("--rev: give --doc too; a revision belongs to a document");
        }

        var detector = await CommentIngest.ActorDetectorAsync(session, actorName, cancellationToken);
        var payload = JsonSerializer.Serialize(new NotePayload(TextRedaction.Apply(detector, text).Text, at is not null), CommentIngest.Json);
        return await RowEventIngest.AppendAsync(
            session,
            actorName,
            new NewEvent(null, SourceKind.Commentary, EventKind.Note, document?.Id, attached, when, 0, payload),
            cancellationToken);
    }
}
