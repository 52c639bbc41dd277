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
/// </summary>
internal static class DocumentNames
{
    /// <summary>The stored name of contributor <paramref name="contributorId"/>'s own document called <paramref name="name"/>.</summary>
    public static string Private(long contributorId, string name) => $"~{contributorId.ToString(CultureInfo.InvariantCulture)}/{name}";

    /// <summary>Whether <paramref name="name"/> has the reserved <c>~ID/…</c> form.</summary>
    public static bool IsReserved(string name)
    {
        if (name.Length < 3 || name[0] != '~')
        {
            return false;
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        return slash > 1 && name.AsSpan(1, slash - 1).ContainsAnyExceptInRange('0', '9') is false;
    }

    /// <summary>Refuses a reserved name as the name of something to write (it says nothing about what exists).</summary>
    public static void RequireWritable(string name, string field)
    {
        if (IsReserved(name))
        {
            throw PlumblineException.BadInput($"{field}: names of the form ~NUMBER/… are reserved (for documents whose name another contributor already uses)");
        }
    }

    /// <summary>The stored document the caller means by <paramref name="name"/> (not yet checked for visibility), or null.</summary>
    public static async Task<DocumentInfo?> FindAsync(IStoreSession session, Caller caller, string name, CancellationToken cancellationToken)
    {
        if (caller is { Role: ApiRole.Contributor, ContributorId: { } id } && !IsReserved(name) &&
            await session.FindDocumentAsync(Private(id, name), cancellationToken) is { } own)
        {
            return own;
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

        return await session.FindDocumentAsync(name, cancellationToken) is { } existing && !(await session.DocumentContributorsAsync(existing.Id, cancellationToken)).Contains(id)
            ? Private(id, name)
            : name;
    }

    /// <summary>A stored name as the caller knows it (a contributor's private names without their prefix).</summary>
    public static string Shown(Caller caller, string stored) =>
        caller is { Role: ApiRole.Contributor, ContributorId: { } id } && stored.StartsWith(Private(id, ""), StringComparison.Ordinal)
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
