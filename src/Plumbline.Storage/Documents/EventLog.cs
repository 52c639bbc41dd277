using Plumbline.Core.Capture;
using Plumbline.Core.Text;

namespace Plumbline.Storage.Documents;

/// <summary>
/// One entry of the event log: an edit patch (with <see cref="Patch"/>) or a row event (with
/// <see cref="Payload"/>, its JSON). Ids are the store's event sequence numbers.
/// </summary>
public sealed record LogEntry(
    long Id,
    EventKind Kind,
    SourceKind Source,
    long? ContributorId,
    string? Document,
    int? Revision,
    int? PatchIndex,
    long Time,
    int ConsentVersion,
    Patch? Patch,
    string? Payload);

/// <summary>The event log in id order: edit patches expanded from their chunks, merged with row events.</summary>
public static class EventLog
{
    public static async IAsyncEnumerable<LogEntry> ReadAsync(
        IStoreSession session,
        DocumentInfo? only,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var documents = only is null ? await session.ListDocumentsAsync(cancellationToken) : [only];
        var names = documents.ToDictionary(d => d.Id, d => d.Name);
        var streams = new List<IAsyncEnumerator<LogEntry>>();
        try
        {
            streams.Add(RowEvents(await session.EventsAsync(only?.Id, cancellationToken), names).ToAsyncEnumerable().GetAsyncEnumerator(cancellationToken));
            foreach (var document in documents)
            {
                streams.Add(Patches(session, document, cancellationToken).GetAsyncEnumerator(cancellationToken));
            }

            var queue = new PriorityQueue<IAsyncEnumerator<LogEntry>, long>();
            foreach (var stream in streams)
            {
                if (await stream.MoveNextAsync())
                {
                    queue.Enqueue(stream, stream.Current.Id);
                }
            }

            while (queue.TryDequeue(out var stream, out _))
            {
                yield return stream.Current;
                if (await stream.MoveNextAsync())
                {
                    queue.Enqueue(stream, stream.Current.Id);
                }
            }
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    private static IEnumerable<LogEntry> RowEvents(IReadOnlyList<StoredEvent> events, Dictionary<long, string> names) =>
        events.Select(e => new LogEntry(
            e.Seq,
            e.Kind,
            e.Source,
            e.ContributorId,
            e.DocumentId is { } id ? names.GetValueOrDefault(id) : null,
            e.Revision,
            null,
            e.Time,
            e.ConsentVersion,
            null,
            e.Payload));

    private static async IAsyncEnumerable<LogEntry> Patches(
        IStoreSession session,
        DocumentInfo document,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var revision in DocumentReader.RevisionsAsync(session, document, 1, document.Revisions, cancellationToken))
        {
            for (var k = 0; k < revision.Patches.Length; k++)
            {
                yield return new LogEntry(
                    revision.FirstSeq + k,
                    revision.Kind == RevisionKind.Gap ? EventKind.Gap : EventKind.Edit,
                    document.Source,
                    revision.ContributorId,
                    document.Name,
                    revision.Revision,
                    k,
                    revision.Time,
                    revision.ConsentVersion,
                    revision.Patches[k],
                    null);
            }
        }
    }
}
