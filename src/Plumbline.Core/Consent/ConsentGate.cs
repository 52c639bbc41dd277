using Plumbline.Core.Capture;

namespace Plumbline.Core.Consent;

/// <summary>What the ingest gate does with one event.</summary>
public enum GateVerdict
{
    /// <summary>Stored as content.</summary>
    Admit,

    /// <summary>Stored as a gap: the contributor was paused at the event's time.</summary>
    Paused,

    /// <summary>Stored as a gap: the author is a contributor whose consent does not cover the source.</summary>
    NotConsented,

    /// <summary>Stored as a gap: the author is not mapped to any contributor.</summary>
    Unmapped,
}

/// <summary>The consent state of one contributor at ingest time.</summary>
public sealed record ContributorConsent(long ContributorId, string Name, ConsentRecord? Current, IReadOnlyList<PauseInterval> Pauses);

/// <summary>Fail-closed consent decisions. Pure: the caller supplies the consent state.</summary>
public static class ConsentGate
{
    /// <summary>Decides one event by <paramref name="author"/> (null: an unmapped author).</summary>
    public static GateVerdict Decide(ContributorConsent? author, SourceKind source, long time)
    {
        if (author is null)
        {
            return GateVerdict.Unmapped;
        }

        if (author.Current is null || !author.Current.Terms.Covers(source))
        {
            return GateVerdict.NotConsented;
        }

        return author.Pauses.Any(p => p.Contains(time)) ? GateVerdict.Paused : GateVerdict.Admit;
    }

    /// <summary>
    /// The person running an import or acting must themselves consent to the source; otherwise the whole
    /// action is refused (exit 3) and nothing is stored.
    /// </summary>
    public static void RequireActor(ContributorConsent actor, SourceKind source)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Current is null)
        {
            throw PlumblineException.Refused(
                $"consent refused: {actor.Name} has not given consent to record anything; nothing was stored (plumb consent set {actor.Name} --sources {source.Name()} --uses ...)");
        }

        if (!actor.Current.Terms.Covers(source))
        {
            throw PlumblineException.Refused(
                $"consent refused: {actor.Name}'s consent (version {actor.Current.Version}) does not cover the source '{source.Name()}'; nothing was stored");
        }
    }

    /// <summary>Whether data by this contributor from <paramref name="source"/> may be released for <paramref name="use"/> on <paramref name="today"/>; the reason when not.</summary>
    public static string? ReleaseRefusal(ConsentRecord? current, SourceKind source, DataUse use, DateOnly today)
    {
        if (current is null)
        {
            return "no consent on record";
        }

        if (!current.Terms.Covers(source))
        {
            return $"consent no longer covers the source '{source.Name()}'";
        }

        if (!current.Terms.Uses.Contains(use))
        {
            return $"consent does not cover the use '{ConsentTerms.Name(use)}'";
        }

        if (current.Terms.Embargo is { } embargo && embargo > today)
        {
            return $"embargoed until {embargo:yyyy-MM-dd}";
        }

        return null;
    }
}
