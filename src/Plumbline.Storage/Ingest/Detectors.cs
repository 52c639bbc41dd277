using Plumbline.Core.Privacy;

namespace Plumbline.Storage.Ingest;

/// <summary>The secret detector for an ingest: the standard rules plus the own terms of the contributors involved.</summary>
public static class Detectors
{
    /// <summary>The standard rules, with no contributor's terms.</summary>
    public static SecretDetector Standard { get; } = new();

    public static async Task<SecretDetector> ForAsync(IStoreSession session, IEnumerable<long> contributorIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(contributorIds);
        var terms = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var id in contributorIds.Distinct())
        {
            terms.UnionWith(await session.TermsAsync(id, cancellationToken));
        }

        return terms.Count == 0 ? Standard : new SecretDetector(new SecretDetectorOptions { Terms = terms.ToList() });
    }
}
