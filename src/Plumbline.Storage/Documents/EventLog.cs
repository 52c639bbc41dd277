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

/// <summary>
/// The event log in id order: edit patches expanded from their chunks, merged with row events. Read in
/// keyset pages: after a seq, each stream starts where that seq falls (an index lookup) and reads on in
/// bounded windows, so a page costs the same wherever it is in the log.
/// </summary>
public static class EventLog
{
    /// <summary>Row events are read this many at a time.</summary>
    private const int RowPage = 1000;

    /// <summary>Chunks are read this many revisions at a time.</summary>
    private const int RevisionWindow = 512;

    /// <summary>The whole log, or one document's.</summary>
    public static IAsyncEnumerable<LogEntry> ReadAsync(IStoreSession session, DocumentInfo? only, CancellationToken cancellationToken) =>
        ReadAsync(session, only, 0, cancellationToken);

    /// <summary>The log after <paramref name="after"/> (a seq; 0 for all of it), or one document's.</summary>
    public static async IAsyncEnumerable<LogEntry> ReadAsync(
        IStoreSession session,
        DocumentInfo? only,
        long after,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var documents = only is null ? await session.ListDocumentsAsync(cancellationToken) : [only];
        await foreach (var entry in ReadAsync(session, documents, only is null ? _ => true : null, after, cancellationToken))
        {
            yield return entry;
        }
    }

    /// <summary>
    /// The log after <paramref name="after"/> restricted to <paramref name="documents"/> (their patches and row
    /// events) and the row events outside any document that <paramref name="unattached"/> accepts (none when null).
    /// </summary>
    public static async IAsyncEnumerable<LogEntry> ReadAsync(
        IStoreSession session,
        IReadOnlyList<DocumentInfo> documents,
        Func<StoredEvent, bool>? unattached,
        long after,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(documents);
        var names = documents.ToDictionary(d => d.Id, d => d.Name);
        long? rowsOf = unattached is null && documents.Count == 1 ? documents[0].Id : null;
        var streams = new List<IAsyncEnumerator<LogEntry>>();
        try
        {
            if (unattached is not null || documents.Count > 0)
            {
                streams.Add(RowEvents(session, rowsOf, after, e => e.DocumentId is { } d ? names.ContainsKey(d) : unattached?.Invoke(e) == true, names, cancellationToken)
                    .GetAsyncEnumerator(cancellationToken));
            }

            foreach (var document in documents.Where(d => d.Revisions > 0))
            {
                streams.Add(Patches(session, document, after, cancellationToken).GetAsyncEnumerator(cancellationToken));
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

    private static async IAsyncEnumerable<LogEntry> RowEvents(
        IStoreSession session,
        long? documentId,
        long after,
        Func<StoredEvent, bool> include,
        Dictionary<long, string> names,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await session.EventsAfterAsync(documentId, after, RowPage, cancellationToken);
            foreach (var e in page)
            {
                if (include(e))
                {
                    yield return new LogEntry(
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
                        e.Payload);
                }
            }

            if (page.Count < RowPage)
            {
                yield break;
            }

            after = page[^1].Seq;
        }
    }

    private static async IAsyncEnumerable<LogEntry> Patches(
        IStoreSession session,
        DocumentInfo document,
        long after,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var from = after <= 0 ? 1 : await session.ChunkRevisionAtSeqAsync(document.Id, after, cancellationToken);
        while (from <= document.Revisions)
        {
            var to = (int)Math.Min(document.Revisions, (long)from + RevisionWindow - 1);
            await foreach (var revision in DocumentReader.RevisionsAsync(session, document, from, to, cancellationToken))
            {
                for (var k = 0; k < revision.Patches.Length; k++)
                {
                    if (revision.FirstSeq + k <= after)
                    {
                        continue;
                    }

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

            from = to + 1;
        }
    }
}
