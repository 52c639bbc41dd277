using System.Data.Common;

namespace Plumbline.Storage;

/// <summary>What a share lets its grantee do with a document.</summary>
public enum ShareRole
{
    /// <summary>Read (text, replay, history, comments, events) and comment; never edit.</summary>
    Reviewer,

    /// <summary>Read, comment and edit.</summary>
    Editor,
}

/// <summary>
/// A document shared with a contributor (the grantee). One row per document and grantee: granting again
/// changes the role and clears a revocation. A revoked row is kept: it hides the document from its former
/// grantee even where they have events in it (a comment made while it was shared), until shared again.
/// </summary>
public sealed record DocumentShare(
    long DocumentId,
    long GranteeId,
    ShareRole Role,
    long OwnerId,
    string GrantedBy,
    long GrantedAt,
    string? RevokedBy,
    long? RevokedAt)
{
    public bool IsActive => RevokedAt is null;
}

/// <summary>A share as its grantee sees it: with the stored name of the document and its owner's name.</summary>
public sealed record GranteeShare(DocumentShare Share, string DocumentName, string OwnerName);

public partial interface IStoreSession
{
    /// <summary>Grants (or grants again, with this role, clearing any revocation) a share of a document.</summary>
    Task UpsertShareAsync(DocumentShare share, CancellationToken cancellationToken);

    /// <summary>Marks an active share revoked; false when there is no active share of the document with the grantee.</summary>
    Task<bool> RevokeShareAsync(long documentId, long granteeId, string revokedBy, long now, CancellationToken cancellationToken);

    /// <summary>The share row of a document with a contributor (active or revoked), or null.</summary>
    Task<DocumentShare?> GetShareAsync(long documentId, long granteeId, CancellationToken cancellationToken);

    /// <summary>Every share row of a document (active and revoked), by grantee id.</summary>
    Task<IReadOnlyList<DocumentShare>> SharesOfDocumentAsync(long documentId, CancellationToken cancellationToken);

    /// <summary>Every share row (active and revoked) granted to a contributor, with the document's stored name and owner's name, by document id.</summary>
    Task<IReadOnlyList<GranteeShare>> SharesOfGranteeAsync(long granteeId, CancellationToken cancellationToken);

    /// <summary>
    /// The contributor who created a document: the contributor of its earliest stored revision or event
    /// (lowest sequence number) that names one; null when none does (every revision a gap).
    /// </summary>
    Task<long?> DocumentCreatorAsync(long documentId, CancellationToken cancellationToken);

    /// <summary>Deletes every share row of a document (the document is being deleted); returns how many.</summary>
    Task<int> DeleteSharesOfDocumentAsync(long documentId, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes every share row that a contributor holds or owns (they withdrew), only of documents of
    /// <paramref name="source"/> when given (its stored name); returns how many.
    /// </summary>
    Task<int> DeleteSharesOfContributorAsync(long contributorId, string? source, CancellationToken cancellationToken);
}

/// <summary>Share rows as both backends read and write them.</summary>
internal static class ShareRows
{
    public const string Columns = "s.document_id, s.grantee_id, s.role, s.owner_id, s.granted_by, s.granted_at, s.revoked_by, s.revoked_at";

    public static string RoleName(ShareRole role) => role switch
    {
        ShareRole.Reviewer => "reviewer",
        ShareRole.Editor => "editor",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown share role"),
    };

    public static ShareRole ParseRole(string text) => text switch
    {
        "reviewer" => ShareRole.Reviewer,
        "editor" => ShareRole.Editor,
        _ => throw new InvalidDataException($"document_shares.role: unknown role '{text}'"),
    };

    public static DocumentShare Read(DbDataReader r) => new(
        r.GetInt64(0),
        r.GetInt64(1),
        ParseRole(r.GetString(2)),
        r.GetInt64(3),
        r.GetString(4),
        r.GetInt64(5),
        r.IsDBNull(6) ? null : r.GetString(6),
        r.IsDBNull(7) ? null : r.GetInt64(7));

    public static GranteeShare ReadGrantee(DbDataReader r) => new(Read(r), r.GetString(8), r.GetString(9));
}
