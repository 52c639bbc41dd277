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
/// One page of the event log for a reader that follows it: the entries, the opaque cursor to pass back for
/// the next page, and whether more had already been committed when this page was read (ask again at once).
/// </summary>
public sealed record LogPage(IReadOnlyList<LogEntry> Entries, string Cursor, bool More);

/// <summary>
/// The event log in id order: edit patches expanded from their chunks, merged with row events. Read in
/// keyset pages: after a seq, each stream starts where that seq falls (an index lookup) and reads on in
/// bounded windows, so a page costs the same wherever it is in the log.
/// <para>
/// A reader that pages while others write uses <see cref="ReadPageAsync"/>. On SQLite a later commit always
/// has higher seqs, so the cursor is a seq. On PostgreSQL seqs come from a sequence before commit, so a
/// transaction can commit seq 100 after a reader paged past 105; there the log is read in generations:
/// everything committed as one snapshot saw it, then what committed between that snapshot and a later one
/// (by the writing transaction recorded with each event row and each appended patch range), each generation
/// in seq order. Every committed event falls in exactly one generation, so a follower sees each once.
/// </para>
/// </summary>
public static class EventLog
{
    /// <summary>Row events are read this many at a time.</summary>
    private const int RowPage = 1000;

    /// <summary>Patch ranges of a generation are read this many at a time.</summary>
    private const int RangePage = 500;

    /// <summary>
    /// At most <paramref name="limit"/> entries after <paramref name="cursor"/> (null: from the start) of
    /// <paramref name="documents"/> (null: every document) and of the row events outside documents that
    /// <paramref name="unattached"/> accepts (none when null). Order: seq order on SQLite; on PostgreSQL seq
    /// order within each generation, generations in the order they committed (an event can follow one with a
    /// higher id when it committed later). A bad cursor is bad input.
    /// </summary>
    public static async Task<LogPage> ReadPageAsync(
        IStoreSession session,
        IReadOnlyList<DocumentInfo>? documents,
        Func<StoredEvent, bool>? unattached,
        string? cursor,
        int limit,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var (epoch, snapshot) = await session.LogStateAsync(cancellationToken);
        var position = LogCursor.Parse(cursor, epoch, snapshots: snapshot is not null);
        var listed = documents ?? await session.ListDocumentsAsync(cancellationToken);
        if (snapshot is null)
        {
            var (page, more) = await TakeAsync(session, listed, unattached, position.After, limit, cancellationToken);
            return new LogPage(page, (position with { After = page.Count > 0 ? page[^1].Id : position.After }).Encode(), more);
        }

        var entries = new List<LogEntry>(Math.Min(limit, 10_000));
        var byId = listed.ToDictionary(d => d.Id);
        var ids = documents?.Select(d => d.Id).ToList();
        var (from, upto, after) = (position.From, position.Upto ?? snapshot, position.After);
        while (true)
        {
            var generation = new LogGeneration(from, upto);
            await foreach (var entry in ReadGenerationAsync(session, generation, byId, ids, unattached, after, cancellationToken))
            {
                // The cursor names this generation with the last id delivered from it: when the page filled at the end
                // of the previous one, that is still the generation's start (its events can have lower ids).
                if (entries.Count == limit)
                {
                    return new LogPage(entries, new LogCursor(epoch, true, from, upto, after).Encode(), More: true);
                }

                entries.Add(entry);
                after = entry.Id;
            }

            // The generation is complete. A cursor's older one is followed by what committed since, up to now.
            if (upto == snapshot)
            {
                return new LogPage(entries, new LogCursor(epoch, true, snapshot, null, 0).Encode(), More: false);
            }

            (from, upto, after) = (upto, snapshot, 0);
        }
    }

    /// <summary>
    /// At most <paramref name="limit"/> entries in id order after the seq <paramref name="after"/> (see
    /// <see cref="ReadAsync(IStoreSession, IReadOnlyList{DocumentInfo}, Func{StoredEvent, bool}?, long, CancellationToken)"/>),
    /// and whether more follow.
    /// </summary>
    public static async Task<(IReadOnlyList<LogEntry> Entries, bool More)> TakeAsync(
        IStoreSession session,
        IReadOnlyList<DocumentInfo> documents,
        Func<StoredEvent, bool>? unattached,
        long after,
        int limit,
        CancellationToken cancellationToken)
    {
        var entries = new List<LogEntry>(Math.Min(limit, 10_000));
        await foreach (var entry in ReadAsync(session, documents, unattached, after, cancellationToken))
        {
            if (entries.Count == limit)
            {
                return (entries, true);
            }

            entries.Add(entry);
        }

        return (entries, false);
    }

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

    /// <summary>One generation after a seq: its row events and its appended patches, merged in seq order.</summary>
    private static async IAsyncEnumerable<LogEntry> ReadGenerationAsync(
        IStoreSession session,
        LogGeneration generation,
        Dictionary<long, DocumentInfo> documents,
        IReadOnlyList<long>? ids,
        Func<StoredEvent, bool>? unattached,
        long after,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var names = documents.ToDictionary(d => d.Key, d => d.Value.Name);
        await using var rows = GenerationRows(session, generation, ids, unattached, after, names, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using var patches = GenerationPatches(session, generation, documents, ids, after, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var hasRow = await rows.MoveNextAsync();
        var hasPatch = await patches.MoveNextAsync();
        while (hasRow || hasPatch)
        {
            if (hasRow && (!hasPatch || rows.Current.Id < patches.Current.Id))
            {
                yield return rows.Current;
                hasRow = await rows.MoveNextAsync();
            }
            else
            {
                yield return patches.Current;
                hasPatch = await patches.MoveNextAsync();
            }
        }
    }

    private static IAsyncEnumerable<LogEntry> GenerationRows(
        IStoreSession session,
        LogGeneration generation,
        IReadOnlyList<long>? ids,
        Func<StoredEvent, bool>? unattached,
        long after,
        Dictionary<long, string> names,
        CancellationToken cancellationToken)
    {
        if (ids is { Count: 0 } && unattached is null)
        {
            return AsyncEnumerable.Empty<LogEntry>();
        }

        return Rows(
            (from, ct) => session.GenerationEventsAsync(generation, ids, unattached is not null, from, RowPage, ct),
            after,
            e => e.DocumentId is { } d ? names.ContainsKey(d) : unattached?.Invoke(e) == true,
            names,
            cancellationToken);
    }

    /// <summary>
    /// The patches of the generation's ranges, each read from the chunks holding its seqs. Consecutive ranges often
    /// fall in one chunk (small ingests appending to a document's open chunk): the last chunk read is kept, expanded,
    /// and used again without a query while it covers the range (the session's snapshot does not move).
    /// </summary>
    private static async IAsyncEnumerable<LogEntry> GenerationPatches(
        IStoreSession session,
        LogGeneration generation,
        Dictionary<long, DocumentInfo> documents,
        IReadOnlyList<long>? ids,
        long after,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (ids is { Count: 0 })
        {
            yield break;
        }

        (ChunkRow Chunk, IReadOnlyList<StoredRevision> Revisions)? last = null;
        while (true)
        {
            var ranges = await session.GenerationEditRangesAsync(generation, ids, after, RangePage, cancellationToken);
            foreach (var range in ranges)
            {
                if (!documents.TryGetValue(range.DocumentId, out var document))
                {
                    continue;
                }

                var (start, end) = (Math.Max(range.FirstSeq, after + 1), range.FirstSeq + range.Count - 1);
                var chunks = last is { } held && held.Chunk.DocumentId == document.Id && held.Chunk.FirstSeq <= start && end < held.Chunk.FirstSeq + held.Chunk.PatchCount
                    ? [held.Chunk]
                    : await session.ChunksBySeqAsync(document.Id, start, end, cancellationToken);
                foreach (var chunk in chunks)
                {
                    if (last is not { } d || (d.Chunk.DocumentId, d.Chunk.FirstRevision, d.Chunk.PatchCount) != (chunk.DocumentId, chunk.FirstRevision, chunk.PatchCount))
                    {
                        last = (chunk, DocumentReader.Revisions(chunk, RevisionChunkCodec.Decode(chunk.Data)));
                    }

                    foreach (var revision in last.Value.Revisions)
                    {
                        if (revision.FirstSeq > end)
                        {
                            break;
                        }

                        for (var k = (int)Math.Max(0, start - revision.FirstSeq); k < revision.Patches.Length && revision.FirstSeq + k <= end; k++)
                        {
                            yield return PatchEntry(document, revision, k);
                        }
                    }
                }
            }

            if (ranges.Count < RangePage)
            {
                yield break;
            }

            after = ranges[^1].FirstSeq + ranges[^1].Count - 1;
        }
    }

    /// <summary>Patch <paramref name="k"/> of a stored revision, as a log entry.</summary>
    private static LogEntry PatchEntry(DocumentInfo document, StoredRevision revision, int k) =>
        new(
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

    private static LogEntry Row(StoredEvent e, Dictionary<long, string> names) =>
        new(
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

    private static IAsyncEnumerable<LogEntry> RowEvents(
        IStoreSession session,
        long? documentId,
        long after,
        Func<StoredEvent, bool> include,
        Dictionary<long, string> names,
        CancellationToken cancellationToken) =>
        Rows((from, ct) => session.EventsAfterAsync(documentId, from, RowPage, ct), after, include, names, cancellationToken);

    /// <summary>Row events after <paramref name="after"/> that <paramref name="include"/> accepts, read <see cref="RowPage"/> at a time by <paramref name="read"/>.</summary>
    private static async IAsyncEnumerable<LogEntry> Rows(
        Func<long, CancellationToken, Task<IReadOnlyList<StoredEvent>>> read,
        long after,
        Func<StoredEvent, bool> include,
        Dictionary<long, string> names,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await read(after, cancellationToken);
            foreach (var e in page.Where(include))
            {
                yield return Row(e, names);
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
                    if (revision.FirstSeq + k > after)
                    {
                        yield return PatchEntry(document, revision, k);
                    }
                }
            }

            from = to + 1;
        }
    }
}
