namespace Plumbline.Server.Contracts;

/// <summary>A document shared with the caller: its owner and the caller's role in it (reviewer or editor).</summary>
public sealed record SharedWithMeDto(string Owner, string Role);

/// <summary>Share a document with a contributor; role reviewer (read + comment, the default) or editor (+ edit).</summary>
public sealed record ShareRequest(string Contributor, string? Role = null);

/// <summary>
/// A share as the document's owner sees it. <see cref="WithheldBy"/>: contributors whose text in the document keeps it
/// closed to this grantee for now (their consent covers only themselves); empty when the grantee sees it.
/// </summary>
public sealed record ShareDto(
    string Contributor,
    string Role,
    string Owner,
    string GrantedBy,
    DateTimeOffset GrantedAt,
    string? RevokedBy,
    DateTimeOffset? RevokedAt,
    IReadOnlyList<string> WithheldBy)
{
    /// <summary>A stored share as the API and the CLI's --json show it.</summary>
    public static ShareDto From(Plumbline.Storage.Sharing.ShareView v) => new(
        v.Grantee,
        Plumbline.Storage.Sharing.DocumentSharing.RoleName(v.Role),
        v.Owner,
        v.GrantedBy,
        DateTimeOffset.FromUnixTimeMilliseconds(v.GrantedAt),
        v.RevokedBy,
        v.RevokedAt is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null,
        v.WithheldBy);
}

/// <summary>A document's shares, active first, then revoked ones.</summary>
public sealed record ShareListResponse(string Document, string Owner, IReadOnlyList<ShareDto> Shares);
