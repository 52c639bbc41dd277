using Plumbline.Storage.Documents;
using static Plumbline.Storage.StoreRows;

namespace Plumbline.Storage.Postgres;

internal sealed partial class PostgresSession
{
    public async Task<IReadOnlyList<StoredEvent>> EventsAfterAsync(long? documentId, long afterSeq, int limit, CancellationToken cancellationToken) =>
        documentId is { } doc
            ? await QueryAsync($"SELECT {EventColumns} FROM events WHERE document_id = @doc AND seq > @after ORDER BY seq LIMIT @limit", ReadEvent, cancellationToken, ("doc", doc), ("after", afterSeq), ("limit", limit))
            : await QueryAsync($"SELECT {EventColumns} FROM events WHERE seq > @after ORDER BY seq LIMIT @limit", ReadEvent, cancellationToken, ("after", afterSeq), ("limit", limit));

    public async Task<int> ChunkRevisionAtSeqAsync(long documentId, long afterSeq, CancellationToken cancellationToken) =>
        (await QueryAsync(
            "SELECT first_rev FROM edit_chunks WHERE document_id = @doc AND first_seq <= @after ORDER BY first_seq DESC LIMIT 1",
            r => r.GetInt32(0),
            cancellationToken,
            ("doc", documentId),
            ("after", afterSeq))) is [var first, ..] ? first : 1;

    /// <summary>The log epoch and the snapshot of this REPEATABLE READ session: the one every read in it sees.</summary>
    public async Task<LogState> LogStateAsync(CancellationToken cancellationToken) =>
        (await QueryAsync(
            "SELECT COALESCE((SELECT value FROM meta WHERE key = @key), 0), pg_current_snapshot()::text",
            r => new LogState(r.GetInt64(0), r.GetString(1)),
            cancellationToken,
            ("key", LogEpoch.MetaKey)))[0];

    public async Task<IReadOnlyList<StoredEvent>> GenerationEventsAsync(
        LogGeneration generation, IReadOnlyList<long>? documentIds, bool unattached, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(generation);
        var documents = documentIds is null ? "" : unattached ? " AND (document_id IS NULL OR document_id = ANY(@docs))" : " AND document_id = ANY(@docs)";
        return await QueryAsync(
            $"SELECT {EventColumns} FROM events WHERE seq > @after AND {InGeneration(generation)}{documents} ORDER BY seq LIMIT @limit",
            ReadEvent,
            cancellationToken,
            GenerationParameters(generation, documentIds, afterSeq, limit));
    }

    /// <summary>The range holding <c>afterSeq + 1</c> (when a page ended inside it), then the ranges after it.</summary>
    public async Task<IReadOnlyList<EditRange>> GenerationEditRangesAsync(
        LogGeneration generation, IReadOnlyList<long>? documentIds, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(generation);
        var filter = InGeneration(generation) + (documentIds is null ? "" : " AND document_id = ANY(@docs)");
        return await QueryAsync(
            $"""
            SELECT document_id, first_seq, patch_count FROM (
                (SELECT document_id, first_seq, patch_count FROM edit_ranges
                 WHERE first_seq = (SELECT max(first_seq) FROM edit_ranges WHERE first_seq <= @after)
                   AND first_seq + patch_count - 1 > @after AND {filter})
                UNION ALL
                (SELECT document_id, first_seq, patch_count FROM edit_ranges
                 WHERE first_seq > @after AND {filter} ORDER BY first_seq LIMIT @limit)) r
            ORDER BY first_seq LIMIT @limit
            """,
            r => new EditRange(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)),
            cancellationToken,
            GenerationParameters(generation, documentIds, afterSeq, limit));
    }

    public async Task<IReadOnlyList<ChunkRow>> ChunksBySeqAsync(long documentId, long fromSeq, long toSeq, CancellationToken cancellationToken) =>
        await QueryAsync(
            $"""
            SELECT {ChunkColumns} FROM edit_chunks
            WHERE document_id = @doc AND first_seq <= @to AND first_seq + patch_count > @from
              AND first_seq >= COALESCE((SELECT max(first_seq) FROM edit_chunks WHERE document_id = @doc AND first_seq <= @from), 0)
            ORDER BY first_rev
            """,
            ReadChunk,
            cancellationToken,
            ("doc", documentId),
            ("from", fromSeq),
            ("to", toSeq));

    /// <summary>The range's <c>txid</c> is this transaction's (the column's default), so it commits or vanishes with the patches.</summary>
    public Task RecordEditRangeAsync(long documentId, long firstSeq, long count, CancellationToken cancellationToken) =>
        count <= 0
            ? Task.CompletedTask
            : QueueAsync(
                "INSERT INTO edit_ranges (first_seq, document_id, patch_count) VALUES (@seq, @doc, @n)",
                cancellationToken,
                ("seq", firstSeq),
                ("doc", documentId),
                ("n", count));

    /// <summary>
    /// Rows whose writing transaction the generation's upper snapshot sees committed and its lower one does not.
    /// The plain comparisons on <c>txid</c> say the same as <c>pg_visible_in_snapshot</c> in a form the
    /// <c>txid</c> index can serve: a transaction a snapshot does not see is one at or above its xmax or in its xip.
    /// </summary>
    private static string InGeneration(LogGeneration generation) =>
        "txid < pg_snapshot_xmax(@upto::pg_snapshot) AND pg_visible_in_snapshot(txid, @upto::pg_snapshot)" +
        (generation.From is null
            ? ""
            : " AND (txid >= pg_snapshot_xmax(@from::pg_snapshot) OR txid = ANY(ARRAY(SELECT pg_snapshot_xip(@from::pg_snapshot))))" +
              " AND NOT pg_visible_in_snapshot(txid, @from::pg_snapshot)");

    private static (string, object?)[] GenerationParameters(LogGeneration generation, IReadOnlyList<long>? documentIds, long afterSeq, int limit)
    {
        var parameters = new List<(string, object?)> { ("upto", generation.Upto), ("after", afterSeq), ("limit", limit) };
        if (generation.From is not null)
        {
            parameters.Add(("from", generation.From));
        }

        if (documentIds is not null)
        {
            parameters.Add(("docs", documentIds.ToArray()));
        }

        return [.. parameters];
    }
}
