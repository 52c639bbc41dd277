using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Storage.Documents;

namespace Plumbline.Storage.Review;

/// <summary>What is recorded about one contributor from one source: events (edit patches and row events), documents, first and last time (Unix ms).</summary>
public sealed record SourceSummary(SourceKind Source, long Events, int Documents, long First, long Last);

/// <summary>Events of one source recorded on one UTC day.</summary>
public sealed record DaySummary(DateOnly Day, SourceKind Source, long Events);

/// <summary>Everything recorded about a contributor, counted: by source (only sources with events), and per UTC day for a timeline.</summary>
public sealed record ContributorSummaryResult(Contributor Contributor, bool Paused, IReadOnlyList<SourceSummary> Sources, IReadOnlyList<DaySummary> Days);

/// <summary>
/// The "My data" counts: every edit patch of theirs (revisions they made, gap revisions of their pauses included) and
/// every row event of theirs (comments, resolutions, notes, cues, commits, gaps), by source and by UTC day of the
/// event's time. A document counts for a source when they edited it or have a row event on it.
/// </summary>
public sealed class ContributorSummary(ITraceStore store)
{
    public async Task<ContributorSummaryResult> ForAsync(string contributorName, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        var contributor = await session.FindContributorAsync(contributorName, cancellationToken)
            ?? throw PlumblineException.NotFound($"CONTRIBUTOR: there is no contributor named '{contributorName}' (plumb contributor list)");
        var sources = new Dictionary<SourceKind, (long Events, HashSet<long> Documents, long First, long Last)>();
        var days = new SortedDictionary<(DateOnly Day, SourceKind Source), long>();
        void Add(SourceKind source, long? documentId, long eventTime, long count, long first, long last)
        {
            var entry = sources.TryGetValue(source, out var e) ? e : (0, new HashSet<long>(), long.MaxValue, long.MinValue);
            if (documentId is { } d)
            {
                entry.Documents.Add(d);
            }

            sources[source] = (entry.Events + count, entry.Documents, Math.Min(entry.First, first), Math.Max(entry.Last, last));
            var key = (Day(eventTime), source);
            days[key] = days.GetValueOrDefault(key) + count;
        }

        var documents = new Dictionary<long, DocumentInfo?>();
        foreach (var chunk in await session.ChunksOfContributorAsync(contributor.Id, cancellationToken))
        {
            if (!documents.TryGetValue(chunk.DocumentId, out var document))
            {
                documents[chunk.DocumentId] = document = await session.GetDocumentAsync(chunk.DocumentId, cancellationToken);
            }

            if (document is null)
            {
                continue;
            }

            if (Day(chunk.MinTime) == Day(chunk.MaxTime))
            {
                // the whole chunk falls on one day: no need to decode it
                Add(document.Source, document.Id, chunk.MinTime, chunk.PatchCount, chunk.MinTime, chunk.MaxTime);
                continue;
            }

            foreach (var entry in RevisionChunkCodec.Decode(chunk.Data))
            {
                Add(document.Source, document.Id, entry.Time, entry.Patches.Length, entry.Time, entry.Time);
            }
        }

        foreach (var e in await session.EventsOfContributorAsync(contributor.Id, cancellationToken))
        {
            Add(e.Source, e.DocumentId, e.Time, 1, e.Time, e.Time);
        }

        var paused = (await session.PausesAsync(contributor.Id, cancellationToken)).Any(p => p.End is null);
        return new ContributorSummaryResult(
            contributor,
            paused,
            sources.OrderBy(s => s.Key).Select(s => new SourceSummary(s.Key, s.Value.Events, s.Value.Documents.Count, s.Value.First, s.Value.Last)).ToList(),
            days.Select(d => new DaySummary(d.Key.Day, d.Key.Source, d.Value)).ToList());
    }

    private static DateOnly Day(long unixMs) => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime);
}
