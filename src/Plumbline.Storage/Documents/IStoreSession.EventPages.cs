namespace Plumbline.Storage;

/// <summary>
/// The part of the event log committed between two snapshots of a store whose seqs can commit out of order
/// (PostgreSQL): events whose writing transaction <paramref name="Upto"/> sees as committed and
/// <paramref name="From"/> (null: nothing before) does not. Snapshots are in PostgreSQL's text form
/// <c>xmin:xmax:xip,…</c>.
/// </summary>
public sealed record LogGeneration(string? From, string Upto);

/// <summary>
/// What a reader of the event log checks a cursor against: the store's log epoch (random, set when the store is
/// created and renewed by every restore, so a cursor of another store or of this one before a restore is
/// recognised) and, where seq order can differ from commit order, the read session's snapshot.
/// </summary>
public sealed record LogState(long Epoch, string? Snapshot);

/// <summary>The patches one ingest appended to a document: seqs <c>FirstSeq</c> to <c>FirstSeq + Count - 1</c>.</summary>
public sealed record EditRange(long DocumentId, long FirstSeq, long Count);

public partial interface IStoreSession
{
    /// <summary>
    /// Row events with seq after <paramref name="afterSeq"/>, in seq order, at most <paramref name="limit"/>
    /// (of one document when <paramref name="documentId"/> is given): a keyset page of the event log.
    /// </summary>
    Task<IReadOnlyList<StoredEvent>> EventsAfterAsync(long? documentId, long afterSeq, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The first revision of the chunk holding the first patch with seq after <paramref name="afterSeq"/>
    /// (1 when every chunk of the document is after it); a document's seqs grow with its revisions.
    /// </summary>
    Task<int> ChunkRevisionAtSeqAsync(long documentId, long afterSeq, CancellationToken cancellationToken);

    /// <summary>
    /// The store's log epoch, and this read session's snapshot when seq order can differ from commit order
    /// (PostgreSQL: seqs are taken from a sequence before the writer commits); no snapshot when a later commit
    /// always has higher seqs (SQLite: one writer at a time takes its seqs inside its transaction).
    /// </summary>
    Task<LogState> LogStateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Row events of <paramref name="generation"/> with seq after <paramref name="afterSeq"/>, in seq order, at most
    /// <paramref name="limit"/>; only of <paramref name="documentIds"/> (and, with <paramref name="unattached"/>, those
    /// outside any document) when given.
    /// </summary>
    Task<IReadOnlyList<StoredEvent>> GenerationEventsAsync(
        LogGeneration generation, IReadOnlyList<long>? documentIds, bool unattached, long afterSeq, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Patch ranges of <paramref name="generation"/> that hold a seq after <paramref name="afterSeq"/>, in seq order,
    /// at most <paramref name="limit"/>; only of <paramref name="documentIds"/> when given.
    /// </summary>
    Task<IReadOnlyList<EditRange>> GenerationEditRangesAsync(
        LogGeneration generation, IReadOnlyList<long>? documentIds, long afterSeq, int limit, CancellationToken cancellationToken);

    /// <summary>The chunks of a document holding a patch with seq in [<paramref name="fromSeq"/>, <paramref name="toSeq"/>], in order.</summary>
    Task<IReadOnlyList<ChunkRow>> ChunksBySeqAsync(long documentId, long fromSeq, long toSeq, CancellationToken cancellationToken);

    /// <summary>
    /// Records that this write session appended <paramref name="count"/> patches to a document from seq
    /// <paramref name="firstSeq"/> on, with the writing transaction where seq order can differ from commit order.
    /// </summary>
    Task RecordEditRangeAsync(long documentId, long firstSeq, long count, CancellationToken cancellationToken);
}
