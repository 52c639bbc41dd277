namespace Plumbline.Storage;

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
}
