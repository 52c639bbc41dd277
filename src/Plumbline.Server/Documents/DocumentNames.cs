using System.Globalization;
using Plumbline.Core;
using Plumbline.Server.Access;
using Plumbline.Storage;

namespace Plumbline.Server.Documents;

/// <summary>
/// What a document name means to a caller. Names are unique in the store, but a contributor must not learn
/// that another contributor already uses one: creating a document under a name that belongs to a document
/// the contributor may not see creates theirs under a private stored name, <c>~ID/NAME</c> (ID: their
/// contributor id), and from then on the name reaches their own document and every answer shows it as
/// NAME. So "exists, not yours" and "does not exist" answer the same everywhere. Curators and admins see
/// (and address) stored names; names of the form <c>~ID/…</c> are reserved for this and refused in writes.
/// A document shared with a contributor has one name for them, <c>~OWNER/NAME</c> (<see cref="SharedName"/>); so names
/// of the form <c>~X/…</c> are reserved too.
/// </summary>
internal static class DocumentNames
{
    /// <summary>The stored name of contributor <paramref name="contributorId"/>'s own document called <paramref name="name"/>.</summary>
    public static string Private(long contributorId, string name) => $"~{contributorId.ToString(CultureInfo.InvariantCulture)}/{name}";

    /// <summary>
    /// Whether <paramref name="name"/> has a reserved form: <c>~ID/…</c> (a private stored name) or any <c>~X/…</c>
    /// (<c>~OWNER/NAME</c>: how a grantee names a document shared with them).
    /// </summary>
    public static bool IsReserved(string name) => name.Length >= 3 && name[0] == '~' && name.IndexOf('/', StringComparison.Ordinal) > 1;

    /// <summary>Refuses a reserved name as the name of something to write (it says nothing about what exists).</summary>
    public static void RequireWritable(string name, string field)
    {
        if (IsReserved(name))
        {
            throw PlumblineException.BadInput(
                $"{field}: names of the form ~NUMBER/… are reserved (for documents whose name another contributor already uses), as is ~OWNER/NAME (for documents shared with you)");
        }
    }

    /// <summary>
    /// How a grantee names a document shared with them: <c>~OWNER/NAME</c>, OWNER the owner's contributor name and
    /// NAME the name the owner knows it by. It says nothing about other documents (a private stored name's
    /// <c>~ID/</c> prefix, which would tell that someone else uses NAME, is not shown).
    /// </summary>
    public static string SharedName(GranteeShare share)
    {
        ArgumentNullException.ThrowIfNull(share);
        var ownerPrefix = Private(share.Share.OwnerId, "");
        var name = share.DocumentName.StartsWith(ownerPrefix, StringComparison.Ordinal) ? share.DocumentName[ownerPrefix.Length..] : share.DocumentName;
        return $"~{share.OwnerName}/{name}";
    }

    /// <summary>The caller's share (active or revoked) that <paramref name="name"/> names as <c>~OWNER/NAME</c>, or null.</summary>
    public static GranteeShare? SharedAs(Caller caller, string name) =>
        IsReserved(name) ? caller.Shares.FirstOrDefault(s => SharedName(s) == name) : null;

    /// <summary>The caller's share (active or revoked) of the document stored as <paramref name="stored"/>, or null.</summary>
    public static GranteeShare? ShareOf(Caller caller, string stored) => caller.Shares.FirstOrDefault(s => s.DocumentName == stored);

    /// <summary>
    /// The stored document the caller means by <paramref name="name"/> (not yet checked for visibility), or null.
    /// A contributor: a document shared with them by its <c>~OWNER/NAME</c>, else their private document, else the
    /// stored name — but never a document shared with them by its stored name (it has one name for them).
    /// </summary>
    public static async Task<DocumentInfo?> FindAsync(IStoreSession session, Caller caller, string name, CancellationToken cancellationToken)
    {
        if (caller is { Role: ApiRole.Contributor, ContributorId: { } id })
        {
            if (SharedAs(caller, name) is { } shared)
            {
                return await session.GetDocumentAsync(shared.Share.DocumentId, cancellationToken);
            }

            if (!IsReserved(name) && await session.FindDocumentAsync(Private(id, name), cancellationToken) is { } own)
            {
                return own;
            }

            var stored = await session.FindDocumentAsync(name, cancellationToken);
            return stored is not null && caller.Shares.Any(s => s.Share.DocumentId == stored.Id) ? null : stored;
        }

        return await session.FindDocumentAsync(name, cancellationToken);
    }

    /// <summary>
    /// The stored name a write by the caller under <paramref name="name"/> goes to: their private document when
    /// they have one, or when the name belongs to a document they may not see; otherwise the name itself.
    /// </summary>
    public static async Task<string> WriteTargetAsync(IStoreSession session, Caller caller, string name, CancellationToken cancellationToken)
    {
        if (caller is not { Role: ApiRole.Contributor, ContributorId: { } id })
        {
            return name;
        }

        if (await session.FindDocumentAsync(Private(id, name), cancellationToken) is not null)
        {
            return Private(id, name);
        }

        return await session.FindDocumentAsync(name, cancellationToken) is { } existing
            && (!(await session.DocumentContributorsAsync(existing.Id, cancellationToken)).Contains(id) || await session.GetShareAsync(existing.Id, id, cancellationToken) is not null)
            ? Private(id, name)
            : name;
    }

    /// <summary>A stored name as the caller knows it (a contributor's private names without their prefix).</summary>
    public static string Shown(Caller caller, string stored) =>
        ShareOf(caller, stored) is { } shared
            ? SharedName(shared)
            : caller is { Role: ApiRole.Contributor, ContributorId: { } id } && stored.StartsWith(Private(id, ""), StringComparison.Ordinal)
                ? stored[Private(id, "").Length..]
                : stored;

    /// <summary><see cref="Shown(Caller, string)"/> for an optional name.</summary>
    public static string? ShownOrNull(Caller caller, string? stored) => stored is null ? null : Shown(caller, stored);

    /// <summary>A failure of a write under a private stored name, told in the caller's own name for it.</summary>
    public static PlumblineException InCallersTerms(PlumblineException e, string stored, string name)
    {
        if (stored == name || !e.Message.Contains(stored, StringComparison.Ordinal))
        {
            return e;
        }

        var renamed = new PlumblineException(e.Kind, e.Message.Replace(stored, name, StringComparison.Ordinal), e.IsTransient, e);
        foreach (System.Collections.DictionaryEntry entry in e.Data)
        {
            renamed.Data[entry.Key] = entry.Value;
        }

        return renamed;
    }
}
