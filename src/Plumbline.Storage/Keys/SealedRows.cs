using Plumbline.Core.Capture;
using Plumbline.Storage.Documents;

namespace Plumbline.Storage.Keys;

/// <summary>
/// Which key seals which column, and the context (associated data) that binds each sealed value to its
/// row: both backends seal and open through these, so the choice is made once.
/// </summary>
internal static class SealedRows
{
    public static string ChunkContext(long documentId, int firstRevision) => $"edit_chunks/{documentId}/{firstRevision}";

    public static string SnapshotContext(long documentId, int revision) => $"snapshots/{documentId}/{revision}";

    public static string StartContext(long documentId) => $"documents/{documentId}/start_content";

    public static string EventContext(long seq) => $"events/{seq}";

    public static string TermContext(long contributorId) => $"contributor_terms/{contributorId}";

    /// <summary>A chunk is sealed under its contributor's key for the document's source (no contributor: the store key).</summary>
    public static ChunkRow SealChunk(StoreKeys keys, ChunkRow chunk, SourceKind documentSource) =>
        chunk with { Data = keys.Seal(KeyScope.ContributorOrStore(chunk.ContributorId, documentSource.Name()), chunk.Data, ChunkContext(chunk.DocumentId, chunk.FirstRevision)) };

    public static ChunkRow OpenChunk(StoreKeys keys, ChunkRow chunk) =>
        chunk with { Data = keys.Open(chunk.Data, ChunkContext(chunk.DocumentId, chunk.FirstRevision)) };

    public static SnapshotRow SealSnapshot(StoreKeys keys, SnapshotRow snapshot) =>
        snapshot with { Data = keys.Seal(KeyScope.DocumentSnapshots(snapshot.DocumentId), snapshot.Data, SnapshotContext(snapshot.DocumentId, snapshot.Revision)) };

    public static SnapshotRow OpenSnapshot(StoreKeys keys, SnapshotRow snapshot) =>
        snapshot with { Data = keys.Open(snapshot.Data, SnapshotContext(snapshot.DocumentId, snapshot.Revision)) };

    public static byte[] SealStart(StoreKeys keys, long documentId, string startContent) =>
        keys.Seal(KeyScope.DocumentStart(documentId), Compression.CompressText(startContent, 9), StartContext(documentId));

    public static string OpenStart(StoreKeys keys, long documentId, byte[] sealedBytes) =>
        Compression.DecompressText(keys.Open(sealedBytes, StartContext(documentId)));

    /// <summary>A row event is sealed under its contributor's key for its source (no contributor: the store key).</summary>
    public static byte[] SealPayload(StoreKeys keys, long seq, long? contributorId, SourceKind source, string payload) =>
        keys.SealText(KeyScope.ContributorOrStore(contributorId, source.Name()), payload, EventContext(seq));

    public static string OpenPayload(StoreKeys keys, long seq, byte[] sealedBytes) => keys.OpenText(sealedBytes, EventContext(seq));

    public static byte[] SealTerm(StoreKeys keys, long contributorId, string term) =>
        keys.SealText(KeyScope.Contributor(contributorId, KeyScope.TermsPart), term, TermContext(contributorId));

    public static string OpenTerm(StoreKeys keys, long contributorId, byte[] sealedBytes) => keys.OpenText(sealedBytes, TermContext(contributorId));
}
