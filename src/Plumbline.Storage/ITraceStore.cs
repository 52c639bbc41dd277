using Plumbline.Core.Capture;
using Plumbline.Core.Consent;

namespace Plumbline.Storage;

/// <summary>
/// The store contract: rows of contributors, consent, documents, compressed edit chunks, snapshots and
/// events. Backends (SQLite, PostgreSQL) implement only this; replay, ingest, chunking and export are
/// written once on top of it.
/// </summary>
public interface ITraceStore : IAsyncDisposable
{
    /// <summary>What the store is, for messages (a path or a host, never a password).</summary>
    string Description { get; }

    /// <summary>
    /// Opens a session. A write session is one transaction; nothing it did is visible or durable until
    /// <see cref="IStoreSession.CommitAsync"/>. Writers of the same document are serialised (SQLite
    /// serialises every writer of the store; PostgreSQL locks the documents a session reads). A failure
    /// whose <see cref="Core.PlumblineException.IsTransient"/> is set means: run the whole session again.
    /// </summary>
    Task<IStoreSession> OpenAsync(bool write, CancellationToken cancellationToken);

    /// <summary>
    /// Makes sure bytes that redaction rewrote are gone from the files: freed pages are zeroed as they are
    /// freed (SQLite <c>secure_delete</c>), and this folds the write-ahead log into the database and truncates it.
    /// </summary>
    Task ScrubAsync(CancellationToken cancellationToken);

    /// <summary>Folds the write-ahead log into the store and measures what it takes on disk.</summary>
    Task<StoreFootprint> FootprintAsync(CancellationToken cancellationToken);
}

/// <summary>A compressed run of revisions of one document by one contributor under one consent version.</summary>
public sealed record ChunkRow(
    long DocumentId,
    int FirstRevision,
    int LastRevision,
    long? ContributorId,
    int ConsentVersion,
    long FirstSeq,
    int PatchCount,
    long MinTime,
    long MaxTime,
    byte[] Data);

/// <summary>The full text of a document at a revision, compressed; <see cref="Patches"/> counts the patches up to it.</summary>
public sealed record SnapshotRow(long DocumentId, int Revision, long Patches, byte[] Data);

public partial interface IStoreSession : IAsyncDisposable
{
    Task<Contributor?> FindContributorAsync(string nameOrId, CancellationToken cancellationToken);

    Task<Contributor?> GetContributorAsync(long id, CancellationToken cancellationToken);

    Task<IReadOnlyList<Contributor>> ListContributorsAsync(CancellationToken cancellationToken);

    /// <summary>Every consent version of a contributor, oldest first.</summary>
    Task<IReadOnlyList<ConsentRecord>> ConsentHistoryAsync(long contributorId, CancellationToken cancellationToken);

    Task<IReadOnlyList<PauseInterval>> PausesAsync(long contributorId, CancellationToken cancellationToken);

    /// <summary>A contributor's own terms, redacted as <c>[TERM]</c> in everything of theirs that is stored.</summary>
    Task<IReadOnlyList<string>> TermsAsync(long contributorId, CancellationToken cancellationToken);

    Task AddTermAsync(long contributorId, string term, long now, CancellationToken cancellationToken);

    Task RemoveTermAsync(long contributorId, string term, CancellationToken cancellationToken);

    Task<DocumentInfo?> FindDocumentAsync(string name, CancellationToken cancellationToken);

    Task<DocumentInfo?> GetDocumentAsync(long id, CancellationToken cancellationToken);

    Task<IReadOnlyList<DocumentInfo>> ListDocumentsAsync(CancellationToken cancellationToken);

    Task<string> StartContentAsync(long documentId, CancellationToken cancellationToken);

    Task<BatchRecord?> FindBatchAsync(string id, CancellationToken cancellationToken);

    /// <summary>The chunks holding any revision in [<paramref name="fromRevision"/>, <paramref name="toRevision"/>], in order.</summary>
    Task<IReadOnlyList<ChunkRow>> ChunksAsync(long documentId, int fromRevision, int toRevision, CancellationToken cancellationToken);

    /// <summary>All chunks of a document whose time range reaches back to <paramref name="time"/> or earlier, in order.</summary>
    Task<IReadOnlyList<ChunkRow>> ChunksStartingByAsync(long documentId, long time, CancellationToken cancellationToken);

    Task<SnapshotRow?> SnapshotAtOrBeforeAsync(long documentId, int revision, CancellationToken cancellationToken);

    Task<SnapshotRow?> LastSnapshotAsync(long documentId, CancellationToken cancellationToken);

    /// <summary>Row events in sequence order, optionally of one document.</summary>
    Task<IReadOnlyList<StoredEvent>> EventsAsync(long? documentId, CancellationToken cancellationToken);

    Task<StoredEvent?> FindEventAsync(long seq, CancellationToken cancellationToken);

    Task<Contributor> AddContributorAsync(string name, long now, CancellationToken cancellationToken);

    Task AddConsentAsync(ConsentRecord record, CancellationToken cancellationToken);

    Task<PauseInterval> StartPauseAsync(long contributorId, long now, CancellationToken cancellationToken);

    Task EndPauseAsync(long pauseId, long now, CancellationToken cancellationToken);

    Task<DocumentInfo> CreateDocumentAsync(string name, SourceKind source, string startContent, long now, CancellationToken cancellationToken);

    Task UpdateDocumentAsync(DocumentInfo document, CancellationToken cancellationToken);

    /// <summary>
    /// Reserves <paramref name="count"/> consecutive event ids and returns the first. Ids are unique and
    /// increase within a document; on PostgreSQL a rolled-back session leaves its ids unused.
    /// </summary>
    Task<long> AllocateSeqAsync(long count, CancellationToken cancellationToken);

    Task InsertChunkAsync(ChunkRow chunk, CancellationToken cancellationToken);

    /// <summary>Replaces the chunk of the same document and first revision (used to extend the last chunk).</summary>
    Task ReplaceChunkAsync(ChunkRow chunk, CancellationToken cancellationToken);

    Task InsertSnapshotAsync(SnapshotRow snapshot, CancellationToken cancellationToken);

    /// <summary>Appends a row event with a new sequence number and returns it.</summary>
    Task<long> AppendEventAsync(NewEvent newEvent, CancellationToken cancellationToken);

    /// <summary>Appends row events with consecutive new sequence numbers, in one go, and returns the first.</summary>
    Task<long> AppendEventsAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken);

    Task RecordBatchAsync(BatchRecord batch, CancellationToken cancellationToken);

    /// <summary>Removes every chunk and snapshot of a document (redaction then appends its rewritten history).</summary>
    Task DeleteDocumentHistoryAsync(long documentId, CancellationToken cancellationToken);

    /// <summary>Replaces a document's start content (redaction of a secret in it).</summary>
    Task ReplaceStartContentAsync(long documentId, string startContent, CancellationToken cancellationToken);

    /// <summary>Replaces a row event's payload (redaction remapping a comment's range).</summary>
    Task UpdateEventPayloadAsync(long seq, string payload, CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);
}

/// <summary>Bytes the store takes, in total and by table or index, after its write-ahead log was folded in.</summary>
public sealed record StoreFootprint(long TotalBytes, IReadOnlyDictionary<string, long> Files, IReadOnlyDictionary<string, long> Objects);
