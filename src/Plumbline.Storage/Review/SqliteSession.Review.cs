using static Plumbline.Storage.StoreRows;

namespace Plumbline.Storage.Sqlite;

internal sealed partial class SqliteSession
{
    public async Task<long> RecordReviewRedactionAsync(ReviewRedactionRecord redaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(redaction);
        await using var insert = WriteCommand(
            """
            INSERT INTO review_redactions (contributor_id, kind, document, revision, span_start, span_end, from_time, to_time, source, recorded_by, recorded_at, events_rewritten, revisions_affected)
            VALUES ($c, $kind, $doc, $rev, $start, $end, $from, $to, $source, $by, $at, $events, $revs) RETURNING id
            """,
            ReviewRows.Parameters(redaction, "$"));
        return (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<ReviewRedactionRecord>> ReviewRedactionsAsync(long contributorId, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {ReviewRows.Columns} FROM review_redactions WHERE contributor_id = $c ORDER BY id", ReviewRows.Read, cancellationToken, ("$c", contributorId));

    public async Task<IReadOnlyList<ChunkRow>> ChunksOfContributorAsync(long contributorId, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {ChunkColumns} FROM edit_chunks WHERE contributor_id = $c ORDER BY document_id, first_rev", ReadChunk, cancellationToken, ("$c", contributorId));
}
