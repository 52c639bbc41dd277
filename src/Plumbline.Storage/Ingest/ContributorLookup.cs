using Plumbline.Core;
using Plumbline.Core.Consent;

namespace Plumbline.Storage.Ingest;

/// <summary>Loads contributors with their current consent and pauses, as the gate needs them.</summary>
public static class ContributorLookup
{
    public static async Task<ContributorConsent> RequireAsync(IStoreSession session, string nameOrId, string field, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var contributor = await session.FindContributorAsync(nameOrId, cancellationToken)
            ?? throw PlumblineException.NotFound($"{field}: no contributor named '{nameOrId}' (add one with: plumb contributor add {nameOrId})");
        return await ConsentOfAsync(session, contributor, cancellationToken);
    }

    public static async Task<ContributorConsent> ConsentOfAsync(IStoreSession session, Contributor contributor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(contributor);
        var history = await session.ConsentHistoryAsync(contributor.Id, cancellationToken);
        var pauses = await session.PausesAsync(contributor.Id, cancellationToken);
        return new ContributorConsent(contributor.Id, contributor.Name, history.Count == 0 ? null : history[^1], pauses);
    }
}
