namespace Plumbline.Storage.Postgres;

internal sealed partial class PostgresSession
{
    public async Task UpsertShareAsync(DocumentShare share, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(share);
        RequireWrite();
        await QueryAsync(
            """
            INSERT INTO document_shares (document_id, grantee_id, role, owner_id, granted_by, granted_at, revoked_by, revoked_at)
            VALUES (@doc, @grantee, @role, @owner, @by, @at, NULL, NULL)
            ON CONFLICT (document_id, grantee_id) DO UPDATE SET
                role = excluded.role, owner_id = excluded.owner_id, granted_by = excluded.granted_by, granted_at = excluded.granted_at,
                revoked_by = NULL, revoked_at = NULL
            RETURNING document_id
            """,
            static r => r.GetInt64(0),
            cancellationToken,
            ("doc", share.DocumentId),
            ("grantee", share.GranteeId),
            ("role", ShareRows.RoleName(share.Role)),
            ("owner", share.OwnerId),
            ("by", share.GrantedBy),
            ("at", share.GrantedAt));
    }

    public async Task<bool> RevokeShareAsync(long documentId, long granteeId, string revokedBy, long now, CancellationToken cancellationToken)
    {
        RequireWrite();
        var rows = await QueryAsync(
            "UPDATE document_shares SET revoked_by = @by, revoked_at = @now WHERE document_id = @doc AND grantee_id = @grantee AND revoked_at IS NULL RETURNING document_id",
            static r => r.GetInt64(0),
            cancellationToken,
            ("doc", documentId),
            ("grantee", granteeId),
            ("by", revokedBy),
            ("now", now));
        return rows.Count == 1;
    }

    public Task<DocumentShare?> GetShareAsync(long documentId, long granteeId, CancellationToken cancellationToken) =>
        QuerySingleAsync(
            $"SELECT {ShareRows.Columns} FROM document_shares s WHERE s.document_id = @doc AND s.grantee_id = @grantee",
            ShareRows.Read,
            cancellationToken,
            ("doc", documentId),
            ("grantee", granteeId));

    public async Task<IReadOnlyList<DocumentShare>> SharesOfDocumentAsync(long documentId, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {ShareRows.Columns} FROM document_shares s WHERE s.document_id = @doc ORDER BY s.grantee_id", ShareRows.Read, cancellationToken, ("doc", documentId));

    public async Task<IReadOnlyList<GranteeShare>> SharesOfGranteeAsync(long granteeId, CancellationToken cancellationToken) =>
        await QueryAsync(
            $"""
            SELECT {ShareRows.Columns}, d.name, o.name FROM document_shares s
            JOIN documents d ON d.id = s.document_id JOIN contributors o ON o.id = s.owner_id
            WHERE s.grantee_id = @grantee ORDER BY s.document_id
            """,
            ShareRows.ReadGrantee,
            cancellationToken,
            ("grantee", granteeId));

    public async Task<long?> DocumentCreatorAsync(long documentId, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            """
            SELECT contributor_id FROM (
                SELECT first_seq AS seq, contributor_id FROM edit_chunks WHERE document_id = @doc AND contributor_id IS NOT NULL
                UNION ALL SELECT seq, contributor_id FROM events WHERE document_id = @doc AND contributor_id IS NOT NULL) AS firsts
            ORDER BY seq LIMIT 1
            """,
            static r => r.GetInt64(0),
            cancellationToken,
            ("doc", documentId));
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<int> DeleteSharesOfDocumentAsync(long documentId, CancellationToken cancellationToken)
    {
        RequireWrite();
        return (await QueryAsync("DELETE FROM document_shares WHERE document_id = @doc RETURNING document_id", static r => r.GetInt64(0), cancellationToken, ("doc", documentId))).Count;
    }

    public async Task<int> DeleteSharesOfContributorAsync(long contributorId, string? source, CancellationToken cancellationToken)
    {
        RequireWrite();
        return (await QueryAsync(
            """
            DELETE FROM document_shares WHERE (grantee_id = @c OR owner_id = @c)
                AND (@source::text IS NULL OR document_id IN (SELECT id FROM documents WHERE source = @source::text))
            RETURNING document_id
            """,
            static r => r.GetInt64(0),
            cancellationToken,
            ("c", contributorId),
            ("source", source))).Count;
    }
}
