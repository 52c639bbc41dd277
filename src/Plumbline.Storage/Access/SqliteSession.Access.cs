using System.Data.Common;

namespace Plumbline.Storage.Sqlite;

internal sealed partial class SqliteSession
{
    private const string TokenColumns = "id, role, contributor_id, secret_sha256, label, created_by, created_at, revoked_at";

    public async Task<long> AddTokenAsync(NewApiToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        await using var command = WriteCommand(
            "INSERT INTO api_tokens (role, contributor_id, secret_sha256, label, created_by, created_at) VALUES ($role, $c, $hash, $label, $by, $at) RETURNING id",
            ("$role", AccessRows.RoleName(token.Role)),
            ("$c", token.ContributorId),
            ("$hash", token.SecretSha256),
            ("$label", token.Label),
            ("$by", token.CreatedBy),
            ("$at", token.CreatedAt));
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public Task<ApiTokenRow?> GetTokenAsync(long id, CancellationToken cancellationToken) =>
        QuerySingleAsync($"SELECT {TokenColumns} FROM api_tokens WHERE id = $id", AccessRows.ReadToken, cancellationToken, ("$id", id));

    public async Task<IReadOnlyList<ApiTokenRow>> ListTokensAsync(CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {TokenColumns} FROM api_tokens ORDER BY id", AccessRows.ReadToken, cancellationToken);

    public async Task<bool> RevokeTokenAsync(long id, long now, CancellationToken cancellationToken)
    {
        await using var command = WriteCommand("UPDATE api_tokens SET revoked_at = $now WHERE id = $id AND revoked_at IS NULL", ("$id", id), ("$now", now));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<long>> DocumentContributorsAsync(long documentId, CancellationToken cancellationToken) =>
        await QueryAsync(
            """
            SELECT contributor_id FROM edit_chunks WHERE document_id = $doc AND contributor_id IS NOT NULL
            UNION SELECT contributor_id FROM events WHERE document_id = $doc AND contributor_id IS NOT NULL
            ORDER BY 1
            """,
            static r => r.GetInt64(0),
            cancellationToken,
            ("$doc", documentId));

    public async Task<IReadOnlyList<long>> ContributorDocumentsAsync(long contributorId, CancellationToken cancellationToken) =>
        await QueryAsync(
            """
            SELECT document_id FROM edit_chunks WHERE contributor_id = $c
            UNION SELECT document_id FROM events WHERE contributor_id = $c AND document_id IS NOT NULL
            ORDER BY 1
            """,
            static r => r.GetInt64(0),
            cancellationToken,
            ("$c", contributorId));
}

/// <summary>Token rows as both backends read them.</summary>
internal static class AccessRows
{
    public static string RoleName(ApiRole role) => role switch
    {
        ApiRole.Contributor => "contributor",
        ApiRole.Curator => "curator",
        ApiRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown role"),
    };

    public static ApiRole ParseRole(string text) => text switch
    {
        "contributor" => ApiRole.Contributor,
        "curator" => ApiRole.Curator,
        "admin" => ApiRole.Admin,
        _ => throw new InvalidDataException($"api_tokens.role: unknown role '{text}'"),
    };

    public static ApiTokenRow ReadToken(DbDataReader r) => new(
        r.GetInt64(0),
        ParseRole(r.GetString(1)),
        r.IsDBNull(2) ? null : r.GetInt64(2),
        (byte[])r[3],
        r.GetString(4),
        r.GetString(5),
        r.GetInt64(6),
        r.IsDBNull(7) ? null : r.GetInt64(7));
}
