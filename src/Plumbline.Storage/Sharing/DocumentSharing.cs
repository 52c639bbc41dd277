using Plumbline.Core;

namespace Plumbline.Storage.Sharing;

/// <summary>Who asks to change or see a document's shares: a contributor acting for themselves, or an admin.</summary>
public sealed record ShareActor(string Name, long? ContributorId, bool IsAdmin)
{
    public static ShareActor Admin(string name) => new(name, null, IsAdmin: true);
}

/// <summary>
/// A share as its document's owner sees it. <see cref="WithheldBy"/>: the contributors (names) whose text in the
/// document keeps it closed to this grantee for now (empty: the grantee sees the document).
/// </summary>
public sealed record ShareView(
    string Grantee,
    ShareRole Role,
    string Owner,
    string GrantedBy,
    long GrantedAt,
    string? RevokedBy,
    long? RevokedAt,
    IReadOnlyList<string> WithheldBy);

/// <summary>A document's owner and its shares (active first, then revoked; each by grantee name).</summary>
public sealed record ShareList(string Owner, IReadOnlyList<ShareView> Shares);

/// <summary>
/// Sharing a document with a reviewer (read + comment) or an editor (read + comment + edit).
/// <para>
/// Who may share: the document's owner — the contributor who created it (<see cref="IStoreSession.DocumentCreatorAsync"/>)
/// — or an admin (for the owner). Grantees cannot share further. A grantee is a contributor other than the owner.
/// </para>
/// <para>
/// Consent of the others (fail closed): the owner chose to show their own text to the grantee; nobody else did. A
/// shared document reaches its grantee only while every contributor with a revision or an event in it is the
/// owner, the grantee, or another ACTIVE grantee of it (they joined the collaboration through a share and see
/// the document themselves). Any other contributor's text — a co-author of an imported history, a former grantee
/// whose share was revoked — closes the document to every grantee (it answers as a missing document) until that
/// contributor is a grantee too or their text is withdrawn. <see cref="ShareView.WithheldBy"/> tells the owner why.
/// </para>
/// <para>
/// Revocation holds at once and hides the document from the former grantee even though their comments stay in it.
/// A deleted document's shares are deleted with it; a withdrawal deletes the shares the contributor holds and owns
/// (of the withdrawn source). Granting again after a revocation makes a fresh share.
/// </para>
/// </summary>
public sealed class DocumentSharing(ITraceStore store, TimeProvider time)
{
    /// <summary>Shares <paramref name="document"/> with <paramref name="grantee"/> (again, or with a new role).</summary>
    public Task<ShareView> GrantAsync(DocumentInfo document, string grantee, ShareRole role, ShareActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentException.ThrowIfNullOrWhiteSpace(grantee);
        ArgumentNullException.ThrowIfNull(actor);
        return StoreRetry.RunAsync(time, async () =>
        {
            await using var session = await store.OpenAsync(write: true, cancellationToken);
            var (current, owner) = await RequireOwnerAsync(session, document, actor, cancellationToken);
            var to = await session.FindContributorAsync(grantee, cancellationToken)
                ?? throw PlumblineException.NotFound($"contributor: there is no contributor named '{grantee}'");
            if (to.Id == owner.Id)
            {
                throw PlumblineException.BadInput($"contributor: '{to.Name}' owns document '{current.Name}'; an owner needs no share");
            }

            var share = new DocumentShare(current.Id, to.Id, role, owner.Id, actor.Name, time.GetUtcNow().ToUnixTimeMilliseconds(), null, null);
            await session.UpsertShareAsync(share, cancellationToken);
            var view = await ViewAsync(session, share, cancellationToken);
            await session.CommitAsync(cancellationToken);
            return view;
        }, cancellationToken);
    }

    /// <summary>Revokes an active share; not found when <paramref name="grantee"/> holds none of the document.</summary>
    public Task<ShareView> RevokeAsync(DocumentInfo document, string grantee, ShareActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentException.ThrowIfNullOrWhiteSpace(grantee);
        ArgumentNullException.ThrowIfNull(actor);
        return StoreRetry.RunAsync(time, async () =>
        {
            await using var session = await store.OpenAsync(write: true, cancellationToken);
            var (current, _) = await RequireOwnerAsync(session, document, actor, cancellationToken);
            var to = await session.FindContributorAsync(grantee, cancellationToken);
            if (to is null || !await session.RevokeShareAsync(current.Id, to.Id, actor.Name, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken))
            {
                throw PlumblineException.NotFound($"contributor: '{grantee}' holds no share of document '{current.Name}'");
            }

            var view = await ViewAsync(session, (await session.GetShareAsync(current.Id, to.Id, cancellationToken))!, cancellationToken);
            await session.CommitAsync(cancellationToken);
            return view;
        }, cancellationToken);
    }

    /// <summary>The document's owner and shares (owner or admin only).</summary>
    public async Task<ShareList> ListAsync(DocumentInfo document, ShareActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(actor);
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        var (current, owner) = await RequireOwnerAsync(session, document, actor, cancellationToken);
        var shares = await session.SharesOfDocumentAsync(current.Id, cancellationToken);
        var contributors = await session.DocumentContributorsAsync(current.Id, cancellationToken);
        var views = new List<ShareView>();
        foreach (var share in shares)
        {
            views.Add(await ViewAsync(session, share, share.IsActive ? WithheldBy(contributors, shares, share) : [], cancellationToken));
        }

        return new ShareList(
            owner.Name,
            views.OrderBy(v => v.RevokedAt is not null).ThenBy(v => v.Grantee, StringComparer.Ordinal).ToList());
    }

    /// <summary>
    /// The contributors whose text keeps <paramref name="share"/>'s document closed to its grantee (ids; empty:
    /// it reaches them): everyone with a revision or event in it other than the owner, the grantee and active grantees.
    /// </summary>
    public static async Task<IReadOnlyList<long>> WithheldByAsync(IStoreSession session, DocumentShare share, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(share);
        return WithheldBy(
            await session.DocumentContributorsAsync(share.DocumentId, cancellationToken),
            await session.SharesOfDocumentAsync(share.DocumentId, cancellationToken),
            share);
    }

    /// <summary><see cref="WithheldByAsync"/> from the document's contributors and shares, read once for all its shares.</summary>
    private static List<long> WithheldBy(IReadOnlyList<long> contributors, IReadOnlyList<DocumentShare> shares, DocumentShare share)
    {
        var active = shares.Where(s => s.IsActive).Select(s => s.GranteeId).ToHashSet();
        return contributors.Where(c => c != share.OwnerId && c != share.GranteeId && !active.Contains(c)).ToList();
    }

    /// <summary>
    /// What a share gives <paramref name="contributorId"/> on a document: null when they hold no share row (their
    /// access is decided elsewhere), otherwise whether they may read it now and, if so, the share.
    /// </summary>
    public static async Task<ShareAccess?> AccessAsync(IStoreSession session, long documentId, long contributorId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var share = await session.GetShareAsync(documentId, contributorId, cancellationToken);
        if (share is null)
        {
            return null;
        }

        return new ShareAccess(share, share.IsActive && (await WithheldByAsync(session, share, cancellationToken)).Count == 0);
    }

    public static string RoleName(ShareRole role) => ShareRows.RoleName(role);

    /// <summary>Parses reviewer|editor, naming <paramref name="field"/> when it is neither.</summary>
    public static ShareRole ParseRole(string text, string field) => text switch
    {
        "reviewer" => ShareRole.Reviewer,
        "editor" => ShareRole.Editor,
        _ => throw PlumblineException.BadInput($"{field}: '{text}' is not a share role (reviewer or editor)"),
    };

    private static async Task<(DocumentInfo Document, Contributor Owner)> RequireOwnerAsync(IStoreSession session, DocumentInfo document, ShareActor actor, CancellationToken cancellationToken)
    {
        var current = await session.GetDocumentAsync(document.Id, cancellationToken)
            ?? throw PlumblineException.NotFound($"document: no document named '{document.Name}'");
        var ownerId = await session.DocumentCreatorAsync(current.Id, cancellationToken);
        var owner = ownerId is { } id ? await session.GetContributorAsync(id, cancellationToken) : null;
        if (owner is null)
        {
            throw PlumblineException.Refused($"document '{current.Name}': no contributor owns it (none of its revisions names one), so nobody can share it");
        }

        if (!actor.IsAdmin && actor.ContributorId != owner.Id)
        {
            throw PlumblineException.Refused($"document '{current.Name}': only its owner (the contributor who created it) or an admin shares it");
        }

        return (current, owner);
    }

    private static async Task<ShareView> ViewAsync(IStoreSession session, DocumentShare share, CancellationToken cancellationToken) =>
        await ViewAsync(session, share, share.IsActive ? await WithheldByAsync(session, share, cancellationToken) : [], cancellationToken);

    private static async Task<ShareView> ViewAsync(IStoreSession session, DocumentShare share, IReadOnlyList<long> withheld, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        foreach (var id in withheld)
        {
            names.Add((await session.GetContributorAsync(id, cancellationToken))?.Name ?? $"#{id}");
        }

        return new ShareView(
            (await session.GetContributorAsync(share.GranteeId, cancellationToken))?.Name ?? $"#{share.GranteeId}",
            share.Role,
            (await session.GetContributorAsync(share.OwnerId, cancellationToken))?.Name ?? $"#{share.OwnerId}",
            share.GrantedBy,
            share.GrantedAt,
            share.RevokedBy,
            share.RevokedAt,
            names);
    }
}

/// <summary>A contributor's share of a document and whether it lets them read it now (active, and no one else's text withheld).</summary>
public sealed record ShareAccess(DocumentShare Share, bool Readable);
