using Plumbline.Core.Capture;

namespace Plumbline.Storage;

/// <summary>
/// A sealed value in the store, by its row: <c>edit_chunks</c> (document, first revision), <c>snapshots</c>
/// (document, revision), <c>documents</c> (document, 0), <c>events</c> (seq, 0), <c>contributor_terms</c>
/// (contributor, 0, with the sealed term to find the row). <see cref="KeyId"/> is null when the value is not sealed.
/// </summary>
public sealed record SealedRef(string Table, long Row, long Part, long? KeyId, byte[]? Value = null);

public partial interface IStoreSession
{
    /// <summary>
    /// After this session commits, destroys the contributor's data keys (of <paramref name="source"/>, or all
    /// of them with their terms key) and records a tombstone in the key store. Nothing happens on rollback.
    /// </summary>
    void ShredContributorAfterCommit(long contributorId, SourceKind? source);

    /// <summary>Every sealed value's row and key id, without decrypting (restore uses it to find what can no longer be opened).</summary>
    Task<IReadOnlyList<SealedRef>> SealedRefsAsync(CancellationToken cancellationToken);

    /// <summary>Removes a document's chunks from <paramref name="firstRevision"/> on (they start at or after it).</summary>
    Task DeleteChunksFromAsync(long documentId, int firstRevision, CancellationToken cancellationToken);

    /// <summary>Removes every snapshot of a document (a cache: replay works from the chunks).</summary>
    Task DeleteSnapshotsAsync(long documentId, CancellationToken cancellationToken);

    /// <summary>Removes a document's row events made at a revision after <paramref name="revision"/>.</summary>
    Task<int> DeleteEventsAfterRevisionAsync(long documentId, int revision, CancellationToken cancellationToken);

    /// <summary>Removes one stored term row by its sealed bytes.</summary>
    Task DeleteSealedTermAsync(long contributorId, byte[] sealedTerm, CancellationToken cancellationToken);
}
