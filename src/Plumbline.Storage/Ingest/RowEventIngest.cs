using Plumbline.Core.Consent;

namespace Plumbline.Storage.Ingest;

/// <summary>The ingest path for single events (comments, notes): consent gate, pause, append, commit.</summary>
internal static class RowEventIngest
{
    /// <summary>
    /// Appends <paramref name="draft"/> as <paramref name="actorName"/>'s event (its contributor and consent
    /// version are filled in), refusing it when their consent does not cover its source and dropping it
    /// when they are paused at its time.
    /// </summary>
    public static async Task<EventResult> AppendAsync(IStoreSession session, string actorName, NewEvent draft, CancellationToken cancellationToken)
    {
        var actor = await ContributorLookup.RequireAsync(session, actorName, "--as", cancellationToken);
        ConsentGate.RequireActor(actor, draft.Source);
        if (ConsentGate.Decide(actor, draft.Source, draft.Time) == GateVerdict.Paused)
        {
            return new EventResult(null, false, $"recording is paused for {actor.Name}", draft.Revision ?? 0);
        }

        var id = await session.AppendEventAsync(draft with { ContributorId = actor.ContributorId, ConsentVersion = actor.Current!.Version }, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return new EventResult(id, true, null, draft.Revision ?? 0);
    }
}
