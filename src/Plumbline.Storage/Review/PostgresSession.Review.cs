using static Plumbline.Storage.StoreRows;

namespace Plumbline.Storage.Postgres;

internal sealed partial class PostgresSession
{
    public async Task<long> RecordReviewRedactionAsync(ReviewRedactionRecord redaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(redaction);
        RequireWrite();
        return (await QueryAsync(
            """
            INSERT INTO review_redactions (contributor_id, kind, document, revision, span_start, span_end, from_time, to_time, source, recorded_by, recorded_at, events_rewritten, revisions_affected)
            VALUES (@c, @kind, @doc, @rev, @start, @end, @from, @to, @source, @by, @at, @events, @revs) RETURNING id
            """,
            r => r.GetInt64(0),
            cancellationToken,
            ReviewRows.Parameters(redaction, "")))[0];
    }

    public async Task<IReadOnlyList<ReviewRedactionRecord>> ReviewRedactionsAsync(long contributorId, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {ReviewRows.Columns} FROM review_redactions WHERE contributor_id = @c ORDER BY id", ReviewRows.Read, cancellationToken, ("c", contributorId));

    public async Task<IReadOnlyList<ChunkRow>> ChunksOfContributorAsync(long contributorId, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {ChunkColumns} FROM edit_chunks WHERE contributor_id = @c ORDER BY document_id, first_rev", ReadChunk, cancellationToken, ("c", contributorId));
}
