using Plumbline.Core.Capture;

using static Plumbline.Storage.StoreRows;

namespace Plumbline.Storage.Sqlite;

internal sealed partial class SqliteSession
{
    public async Task<long> RecordWithdrawalAsync(WithdrawalRecord withdrawal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(withdrawal);
        await using var insert = WriteCommand(
            """
            INSERT INTO withdrawals (contributor_id, source, withdrawn_at, recorded_by, events, documents_deleted, documents_masked)
            VALUES ($c, $s, $at, $by, $n, $deleted, $masked) RETURNING id
            """,
            ("$c", withdrawal.ContributorId),
            ("$s", withdrawal.Source?.Name()),
            ("$at", withdrawal.WithdrawnAt),
            ("$by", withdrawal.RecordedBy),
            ("$n", withdrawal.Events),
            ("$deleted", withdrawal.DocumentsDeleted),
            ("$masked", withdrawal.DocumentsMasked));
        return (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<WithdrawalRecord>> WithdrawalsAsync(CancellationToken cancellationToken) =>
        await QueryAsync(
            "SELECT id, contributor_id, source, withdrawn_at, recorded_by, events, documents_deleted, documents_masked FROM withdrawals ORDER BY id",
            r => new WithdrawalRecord(
                r.GetInt64(0),
                r.GetInt64(1),
                r.IsDBNull(2) ? null : ParseSourceName(r.GetString(2)),
                r.GetInt64(3),
                r.GetString(4),
                r.GetInt64(5),
                r.GetInt32(6),
                r.GetInt32(7)),
            cancellationToken);

    public async Task<IReadOnlyList<long>> DocumentsEditedByAsync(long contributorId, CancellationToken cancellationToken) =>
        await QueryAsync(
            "SELECT DISTINCT document_id FROM edit_chunks WHERE contributor_id = $c ORDER BY document_id",
            r => r.GetInt64(0),
            cancellationToken,
            ("$c", contributorId));

    public async Task<IReadOnlyList<StoredEvent>> EventsOfContributorAsync(long contributorId, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {EventColumns} FROM events WHERE contributor_id = $c ORDER BY seq", ReadEvent, cancellationToken, ("$c", contributorId));

    public async Task DeleteEventsAsync(IReadOnlyList<long> seqs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seqs);
        foreach (var seq in seqs)
        {
            await ExecuteAsync("DELETE FROM events WHERE seq = $seq", cancellationToken, ("$seq", seq));
        }
    }

    public async Task DeleteDocumentAsync(long documentId, CancellationToken cancellationToken)
    {
        await ExecuteAsync("DELETE FROM edit_chunks WHERE document_id = $doc", cancellationToken, ("$doc", documentId));
        await ExecuteAsync("DELETE FROM snapshots WHERE document_id = $doc", cancellationToken, ("$doc", documentId));
        await ExecuteAsync("DELETE FROM events WHERE document_id = $doc", cancellationToken, ("$doc", documentId));
        await ExecuteAsync("DELETE FROM batches WHERE document_id = $doc", cancellationToken, ("$doc", documentId));
        await ExecuteAsync("DELETE FROM document_shares WHERE document_id = $doc", cancellationToken, ("$doc", documentId));
        await ExecuteAsync("DELETE FROM documents WHERE id = $doc", cancellationToken, ("$doc", documentId));
        _afterCommit.Add(() => _keys.Destroy(Keys.KeyScope.DocumentKind, documentId, null, retiredOnly: false, "document deleted"));
    }
}
