using Plumbline.Core.Capture;
using Plumbline.Storage.Sqlite;

using static Plumbline.Storage.StoreRows;

namespace Plumbline.Storage.Postgres;

internal sealed partial class PostgresSession
{
    public async Task<long> RecordWithdrawalAsync(WithdrawalRecord withdrawal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(withdrawal);
        RequireWrite();
        return (await QueryAsync(
            """
            INSERT INTO withdrawals (contributor_id, source, withdrawn_at, recorded_by, events, documents_deleted, documents_masked)
            VALUES (@c, @s, @at, @by, @n, @deleted, @masked) RETURNING id
            """,
            r => r.GetInt64(0),
            cancellationToken,
            ("c", withdrawal.ContributorId),
            ("s", withdrawal.Source?.Name()),
            ("at", withdrawal.WithdrawnAt),
            ("by", withdrawal.RecordedBy),
            ("n", withdrawal.Events),
            ("deleted", withdrawal.DocumentsDeleted),
            ("masked", withdrawal.DocumentsMasked)))[0];
    }

    public async Task<IReadOnlyList<WithdrawalRecord>> WithdrawalsAsync(CancellationToken cancellationToken) =>
        await QueryAsync(
            "SELECT id, contributor_id, source, withdrawn_at, recorded_by, events, documents_deleted, documents_masked FROM withdrawals ORDER BY id",
            r => new WithdrawalRecord(
                r.GetInt64(0),
                r.GetInt64(1),
                r.IsDBNull(2) ? null : SqliteSession.ParseSourceName(r.GetString(2)),
                r.GetInt64(3),
                r.GetString(4),
                r.GetInt64(5),
                r.GetInt32(6),
                r.GetInt32(7)),
            cancellationToken);

    public async Task<IReadOnlyList<long>> DocumentsEditedByAsync(long contributorId, CancellationToken cancellationToken) =>
        await QueryAsync(
            "SELECT DISTINCT document_id FROM edit_chunks WHERE contributor_id = @c ORDER BY document_id",
            r => r.GetInt64(0),
            cancellationToken,
            ("c", contributorId));

    public async Task<IReadOnlyList<StoredEvent>> EventsOfContributorAsync(long contributorId, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {EventColumns} FROM events WHERE contributor_id = @c ORDER BY seq", ReadEvent, cancellationToken, ("c", contributorId));

    public async Task DeleteEventsAsync(IReadOnlyList<long> seqs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seqs);
        if (seqs.Count > 0)
        {
            await QueueAsync("DELETE FROM events WHERE seq = ANY(@seqs)", cancellationToken, ("seqs", seqs.ToArray()));
        }
    }

    public async Task DeleteDocumentAsync(long documentId, CancellationToken cancellationToken)
    {
        await QueueAsync("DELETE FROM edit_chunks WHERE document_id = @doc", cancellationToken, ("doc", documentId));
        await QueueAsync("DELETE FROM snapshots WHERE document_id = @doc", cancellationToken, ("doc", documentId));
        await QueueAsync("DELETE FROM events WHERE document_id = @doc", cancellationToken, ("doc", documentId));
        await QueueAsync("DELETE FROM batches WHERE document_id = @doc", cancellationToken, ("doc", documentId));
        await QueueAsync("DELETE FROM document_shares WHERE document_id = @doc", cancellationToken, ("doc", documentId));
        await QueueAsync("DELETE FROM documents WHERE id = @doc", cancellationToken, ("doc", documentId));
        _afterCommit.Add(() => _keys.Destroy(Keys.KeyScope.DocumentKind, documentId, null, retiredOnly: false, "document deleted"));
    }
}
