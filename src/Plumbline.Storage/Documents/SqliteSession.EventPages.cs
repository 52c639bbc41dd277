using Plumbline.Storage.Documents;
using static Plumbline.Storage.StoreRows;

namespace Plumbline.Storage.Sqlite;

internal sealed partial class SqliteSession
{
    public async Task<IReadOnlyList<StoredEvent>> EventsAfterAsync(long? documentId, long afterSeq, int limit, CancellationToken cancellationToken) =>
        documentId is { } doc
            ? await QueryAsync($"SELECT {EventColumns} FROM events WHERE document_id = $doc AND seq > $after ORDER BY seq LIMIT $limit", ReadEvent, cancellationToken, ("$doc", doc), ("$after", afterSeq), ("$limit", limit))
            : await QueryAsync($"SELECT {EventColumns} FROM events WHERE seq > $after ORDER BY seq LIMIT $limit", ReadEvent, cancellationToken, ("$after", afterSeq), ("$limit", limit));

    public async Task<int> ChunkRevisionAtSeqAsync(long documentId, long afterSeq, CancellationToken cancellationToken) =>
        (await QueryAsync(
            "SELECT first_rev FROM edit_chunks WHERE document_id = $doc AND first_seq <= $after ORDER BY first_seq DESC LIMIT 1",
            r => r.GetInt32(0),
            cancellationToken,
            ("$doc", documentId),
            ("$after", afterSeq))) is [var first, ..] ? first : 1;

    /// <summary>
    /// No snapshot: SQLite lets one writer in at a time, from BEGIN IMMEDIATE to COMMIT, and that writer takes its
    /// seqs from <c>meta.next_seq</c> inside its transaction (a rollback returns them), so every commit's seqs are
    /// above every seq committed before it: paging on seq alone misses nothing.
    /// </summary>
    public async Task<LogState> LogStateAsync(CancellationToken cancellationToken) =>
        new(await MetaAsync(LogEpoch.MetaKey, cancellationToken) ?? 0, null);

    public Task<IReadOnlyList<StoredEvent>> GenerationEventsAsync(
        LogGeneration generation, IReadOnlyList<long>? documentIds, bool unattached, long afterSeq, int limit, CancellationToken cancellationToken) =>
        throw new NotSupportedException("SQLite pages the event log on seq alone");

    public Task<IReadOnlyList<EditRange>> GenerationEditRangesAsync(
        LogGeneration generation, IReadOnlyList<long>? documentIds, long afterSeq, int limit, CancellationToken cancellationToken) =>
        throw new NotSupportedException("SQLite pages the event log on seq alone");

    public Task<IReadOnlyList<ChunkRow>> ChunksBySeqAsync(long documentId, long fromSeq, long toSeq, CancellationToken cancellationToken) =>
        throw new NotSupportedException("SQLite pages the event log on seq alone");

    /// <summary>Nothing to record: seq order is commit order here.</summary>
    public Task RecordEditRangeAsync(long documentId, long firstSeq, long count, CancellationToken cancellationToken) => Task.CompletedTask;
}
