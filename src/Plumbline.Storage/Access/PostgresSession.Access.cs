namespace Plumbline.Storage.Postgres;

internal sealed partial class PostgresSession
{
    private const string TokenColumns = "id, role, contributor_id, secret_sha256, label, created_by, created_at, revoked_at";

    public async Task<long> AddTokenAsync(NewApiToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        RequireWrite();
        var rows = await QueryAsync(
            "INSERT INTO api_tokens (role, contributor_id, secret_sha256, label, created_by, created_at) VALUES (@role, @c, @hash, @label, @by, @at) RETURNING id",
            static r => r.GetInt64(0),
            cancellationToken,
            ("role", Sqlite.AccessRows.RoleName(token.Role)),
            ("c", token.ContributorId),
            ("hash", token.SecretSha256),
            ("label", token.Label),
            ("by", token.CreatedBy),
            ("at", token.CreatedAt));
        return rows[0];
    }

    public Task<ApiTokenRow?> GetTokenAsync(long id, CancellationToken cancellationToken) =>
        QuerySingleAsync($"SELECT {TokenColumns} FROM api_tokens WHERE id = @id", Sqlite.AccessRows.ReadToken, cancellationToken, ("id", id));

    public async Task<IReadOnlyList<ApiTokenRow>> ListTokensAsync(CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {TokenColumns} FROM api_tokens ORDER BY id", Sqlite.AccessRows.ReadToken, cancellationToken);

    public async Task<bool> RevokeTokenAsync(long id, long now, CancellationToken cancellationToken)
    {
        RequireWrite();
        var rows = await QueryAsync(
            "UPDATE api_tokens SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL RETURNING id",
            static r => r.GetInt64(0),
            cancellationToken,
            ("id", id),
            ("now", now));
        return rows.Count == 1;
    }

    public async Task<IReadOnlyList<long>> DocumentContributorsAsync(long documentId, CancellationToken cancellationToken) =>
        await QueryAsync(
            """
            SELECT contributor_id FROM edit_chunks WHERE document_id = @doc AND contributor_id IS NOT NULL
            UNION SELECT contributor_id FROM events WHERE document_id = @doc AND contributor_id IS NOT NULL
            ORDER BY 1
            """,
            static r => r.GetInt64(0),
            cancellationToken,
            ("doc", documentId));

    public async Task<IReadOnlyList<long>> ContributorDocumentsAsync(long contributorId, CancellationToken cancellationToken) =>
        await QueryAsync(
            """
            SELECT document_id FROM edit_chunks WHERE contributor_id = @c
            UNION SELECT document_id FROM events WHERE contributor_id = @c AND document_id IS NOT NULL
            ORDER BY 1
            """,
            static r => r.GetInt64(0),
            cancellationToken,
            ("c", contributorId));
}
