namespace Plumbline.Storage;

/// <summary>What an API token may do (DESIGN: direct store access is admin access).</summary>
public enum ApiRole
{
    /// <summary>Their own data: send it, read it, pause, redact (own terms), withdraw (consent).</summary>
    Contributor,

    /// <summary>Reads consented data of everyone and builds exports.</summary>
    Curator,

    /// <summary>Manages contributors and tokens, reads everything.</summary>
    Admin,
}

/// <summary>A stored API token: only the SHA-256 of its secret is kept.</summary>
public sealed record ApiTokenRow(
    long Id,
    ApiRole Role,
    long? ContributorId,
    byte[] SecretSha256,
    string Label,
    string CreatedBy,
    long CreatedAt,
    long? RevokedAt);

/// <summary>A token to store (its id is given by the store).</summary>
public sealed record NewApiToken(ApiRole Role, long? ContributorId, byte[] SecretSha256, string Label, string CreatedBy, long CreatedAt);

public partial interface IStoreSession
{
    /// <summary>Stores a token and returns its id.</summary>
    Task<long> AddTokenAsync(NewApiToken token, CancellationToken cancellationToken);

    Task<ApiTokenRow?> GetTokenAsync(long id, CancellationToken cancellationToken);

    /// <summary>Every token, revoked ones included, by id.</summary>
    Task<IReadOnlyList<ApiTokenRow>> ListTokensAsync(CancellationToken cancellationToken);

    /// <summary>Marks a token revoked; false when there is no such token or it was revoked before.</summary>
    Task<bool> RevokeTokenAsync(long id, long now, CancellationToken cancellationToken);

    /// <summary>The contributors with any revision or event in a document (its owners, for access checks).</summary>
    Task<IReadOnlyList<long>> DocumentContributorsAsync(long documentId, CancellationToken cancellationToken);

    /// <summary>The documents in which a contributor has any revision or event.</summary>
    Task<IReadOnlyList<long>> ContributorDocumentsAsync(long contributorId, CancellationToken cancellationToken);
}
