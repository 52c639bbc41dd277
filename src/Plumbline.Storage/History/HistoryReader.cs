using System.Text.Json;
using Plumbline.Core.Capture;
using Plumbline.Core.Text;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Ingest;

namespace Plumbline.Storage.History;

/// <summary>A run of characters of the text at some revision typed by one contributor (null: the start content); <see cref="Withheld"/> for text of a gap.</summary>
public sealed record AuthorRun(long? ContributorId, bool Withheld, int Length);

/// <summary>Revisions [<see cref="From"/>, <see cref="To"/>] of one contributor (null: none recorded), in order.</summary>
public sealed record AuthorBand(int From, int To, long? ContributorId);

/// <summary>
/// A bucket of consecutive revisions: when they were made, how many code points they inserted and deleted,
/// and the contributor who made most of them.
/// </summary>
public sealed record ActivityBucket(int From, int To, long FirstTime, long LastTime, long Inserted, long Deleted, long? ContributorId);

/// <summary>The whole history at a glance, for a timeline: time span, author bands, activity downsampled to buckets.</summary>
public sealed record DocumentTimeline(long? FirstTime, long? LastTime, IReadOnlyList<AuthorBand> Bands, IReadOnlyList<ActivityBucket> Activity);

/// <summary>A comment as it was made: its range and the text it covered at that revision, and when it was resolved.</summary>
public sealed record CommentAtCreation(
    long Id,
    long? AuthorId,
    string Text,
    long Time,
    int Revision,
    int Start,
    int End,
    string Quote,
    long? ResolvedBy,
    int? ResolvedAtRevision);

/// <summary>
/// Reads for a history view that must scale to documents of hundreds of thousands of revisions: the text and its
/// authorship at any revision (from the nearest snapshot when the authorship is trivial), a compact timeline read
/// from the chunk columns without building patches, and comments with the text they covered when made.
/// </summary>
public static class HistoryReader
{
    /// <summary>Authorship values in the authors buffer: 0 start content, 1..<see cref="MaxAuthors"/> contributors by index, then withheld.</summary>
    private const int MaxAuthors = 120;
    private const int WithheldMark = MaxAuthors + 1;
    private const int NoContributorMark = MaxAuthors + 2;

    /// <summary>
    /// Who typed each character of the text at <paramref name="revision"/>, as runs. A document with at most one
    /// contributor and no start content is answered without reading any chunk (every character is theirs; the
    /// characters of gaps are the withheld fill and are told apart by the reader). Otherwise the authorship is replayed
    /// over the chunk columns, without building patches or text, from the nearest in-memory checkpoint of this very
    /// history (<see cref="AuthorshipCheckpoints"/>: one every 16,384 revisions, kept as earlier reads pass them) or
    /// from revision 1 on the first read. The chunks' stored bytes up to the revision are still read and hashed to find
    /// the checkpoint: cheap next to decompressing them.
    /// </summary>
    public static async Task<IReadOnlyList<AuthorRun>> AuthorsAtAsync(
        IStoreSession session,
        DocumentInfo document,
        int revision,
        int textLength,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(document);
        if (textLength == 0)
        {
            return [];
        }

        if (revision == 0)
        {
            return [new AuthorRun(null, false, textLength)];
        }

        var start = await session.StartContentAsync(document.Id, cancellationToken);
        var startLength = CodePoints.Count(start);
        var contributors = await session.DocumentContributorsAsync(document.Id, cancellationToken);

        if (start.Length == 0 && contributors.Count <= 1)
        {
            return [new AuthorRun(contributors.Count == 1 ? contributors[0] : null, false, textLength)];
        }

        // Checkpoints of the authorship are keyed by what determines it: the start length and every chunk (its
        // contributor and bytes) up to the checkpoint, so a rewritten history (redaction, withdrawal) never matches.
        var chunks = await session.ChunksAsync(document.Id, 1, revision, cancellationToken);
        var prefixes = AuthorshipCheckpoints.PrefixKeys(startLength, chunks);
        var resume = -1;
        AuthorshipCheckpoints.Checkpoint? found = null;
        for (var c = chunks.Count - 1; c >= 0 && found is null; c--)
        {
            if (chunks[c].LastRevision <= revision && AuthorshipCheckpoints.TryGet(prefixes[c], out found))
            {
                resume = c;
            }
        }

        var ids = found is null ? [] : new List<long>(found.Ids);
        var authors = new TextBuffer(found?.Authors ?? new string('\0', startLength), Math.Max(document.Length, textLength) + 1024);
        var checkpointAt = found is null ? 0 : chunks[resume].LastRevision;
        var fill = new byte[256];
        for (var c = resume + 1; c < chunks.Count; c++)
        {
            var chunk = chunks[c];
            int mark;
            if (chunk.ContributorId is not { } id)
            {
                mark = NoContributorMark;
            }
            else
            {
                var index = ids.IndexOf(id);
                if (index < 0 && ids.Count < MaxAuthors)
                {
                    ids.Add(id);
                    index = ids.Count - 1;
                }

                mark = index < 0 ? NoContributorMark : index + 1;
            }

            ChunkColumns.Walk(chunk.Data, chunk.FirstRevision, revision, (kind, position, delete, length) =>
            {
                var value = kind == RevisionKind.Gap ? WithheldMark : mark;
                if (fill.Length < length)
                {
                    fill = new byte[Math.Max(length, fill.Length * 2)];
                }

                fill.AsSpan(0, length).Fill((byte)value);
                authors.Replace(position, delete, fill.AsSpan(0, length), length);
            });
            if (chunk.LastRevision <= revision && chunk.LastRevision - checkpointAt >= AuthorshipCheckpoints.Every)
            {
                AuthorshipCheckpoints.Add(prefixes[c], new AuthorshipCheckpoints.Checkpoint(authors.ToString(), [.. ids]));
                checkpointAt = chunk.LastRevision;
            }
        }

        if (authors.Length != textLength)
        {
            throw new InvalidDataException($"authorship of '{document.Name}' at revision {revision} has {authors.Length} code points, the text {textLength}");
        }

        var runs = new List<AuthorRun>();
        var i = 0;
        while (i < authors.Length)
        {
            var value = authors.CodePointAt(i);
            var j = i + 1;
            while (j < authors.Length && authors.CodePointAt(j) == value)
            {
                j++;
            }

            runs.Add(value switch
            {
                0 => new AuthorRun(null, false, j - i),
                WithheldMark => new AuthorRun(null, true, j - i),
                NoContributorMark => new AuthorRun(null, false, j - i),
                _ => new AuthorRun(ids[value - 1], false, j - i),
            });
            i = j;
        }

        return runs;
    }

    /// <summary>
    /// The timeline of the whole document: <paramref name="buckets"/> (at most) equal runs of revisions with their
    /// activity, and the author bands (consecutive chunks of one contributor merged; when there would be more than
    /// <paramref name="maxBands"/>, the buckets' main contributors merged instead). Reads every chunk's columns once
    /// without building patches or text.
    /// </summary>
    public static async Task<DocumentTimeline> TimelineAsync(
        IStoreSession session,
        DocumentInfo document,
        int buckets,
        int maxBands,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(document);
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        var total = document.Revisions;
        if (total == 0)
        {
            return new DocumentTimeline(null, null, [], []);
        }

        var size = (total + buckets - 1) / buckets;
        var count = (total + size - 1) / size;
        var first = new long[count];
        var last = new long[count];
        var inserted = new long[count];
        var deleted = new long[count];
        var seen = new bool[count];
        var shares = new Dictionary<long, long>[count];
        var bands = new List<AuthorBand>();
        long? firstTime = null;
        long? lastTime = null;
        foreach (var chunk in await session.ChunksAsync(document.Id, 1, total, cancellationToken))
        {
            var key = chunk.ContributorId ?? -1;
            if (bands.Count > 0 && bands[^1].ContributorId == chunk.ContributorId && bands[^1].To + 1 == chunk.FirstRevision)
            {
                bands[^1] = bands[^1] with { To = chunk.LastRevision };
            }
            else
            {
                bands.Add(new AuthorBand(chunk.FirstRevision, chunk.LastRevision, chunk.ContributorId));
            }

            for (var b = (chunk.FirstRevision - 1) / size; b <= (chunk.LastRevision - 1) / size && b < count; b++)
            {
                var overlap = Math.Min(chunk.LastRevision, (b + 1) * size) - Math.Max(chunk.FirstRevision, (b * size) + 1) + 1;
                shares[b] ??= [];
                shares[b][key] = shares[b].GetValueOrDefault(key) + overlap;
            }

            ChunkColumns.WalkRevisions(chunk.Data, chunk.FirstRevision, total, (revision, time, ins, del) =>
            {
                var b = (revision - 1) / size;
                if (!seen[b])
                {
                    seen[b] = true;
                    first[b] = time;
                }

                last[b] = time;
                inserted[b] += ins;
                deleted[b] += del;
                firstTime ??= time;
                lastTime = time;
            });
        }

        var activity = new List<ActivityBucket>(count);
        for (var b = 0; b < count; b++)
        {
            var main = shares[b] is { Count: > 0 } s ? s.MaxBy(p => p.Value).Key : -1;
            activity.Add(new ActivityBucket((b * size) + 1, Math.Min(total, (b + 1) * size), first[b], last[b], inserted[b], deleted[b], main < 0 ? null : main));
        }

        if (bands.Count > maxBands)
        {
            bands.Clear();
            foreach (var a in activity)
            {
                if (bands.Count > 0 && bands[^1].ContributorId == a.ContributorId)
                {
                    bands[^1] = bands[^1] with { To = a.To };
                }
                else
                {
                    bands.Add(new AuthorBand(a.From, a.To, a.ContributorId));
                }
            }
        }

        return new DocumentTimeline(firstTime, lastTime, bands, activity);
    }

    /// <summary>
    /// Every comment of the document with the text its range covered at the revision it was made at, read by
    /// moving one text forward through the comments in revision order (reloading from a snapshot when a later
    /// snapshot is nearer): each quote costs at most the distance to its nearest snapshot. <paramref name="events"/>
    /// are the document's row events (the caller has them already for its gaps).
    /// </summary>
    public static async Task<IReadOnlyList<CommentAtCreation>> CommentsAsync(
        IStoreSession session,
        DocumentInfo document,
        IReadOnlyList<StoredEvent> events,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(events);
        var resolved = new Dictionary<long, (long? By, int At)>();
        foreach (var e in events.Where(e => e.Kind == EventKind.CommentResolved))
        {
            var payload = JsonSerializer.Deserialize<ResolvePayload>(e.Payload, CommentIngest.Json)!;
            resolved.TryAdd(payload.Comment, (e.ContributorId, e.Revision ?? document.Revisions));
        }

        var comments = events
            .Where(e => e.Kind == EventKind.Comment && e.Revision is not null)
            .Select(e => (Event: e, Payload: JsonSerializer.Deserialize<CommentPayload>(e.Payload, CommentIngest.Json)!))
            .OrderBy(c => c.Event.Revision!.Value)
            .ThenBy(c => c.Event.Seq)
            .ToList();
        var list = new List<CommentAtCreation>(comments.Count);
        TextBuffer? text = null;
        var at = -1;
        foreach (var (e, payload) in comments)
        {
            var revision = Math.Min(e.Revision!.Value, document.Revisions);
            text = await DocumentReader.LoadAsync(session, document, revision, text, at, cancellationToken);
            at = revision;
            var start = Math.Clamp(payload.Start, 0, text.Length);
            var end = Math.Clamp(payload.End, start, text.Length);
            var resolution = resolved.TryGetValue(e.Seq, out var r) ? r : ((long? By, int At)?)null;
            list.Add(new CommentAtCreation(
                e.Seq,
                e.ContributorId,
                payload.Text,
                e.Time,
                e.Revision!.Value,
                payload.Start,
                payload.End,
                text.Substring(start, end - start),
                resolution?.By,
                resolution?.At));
        }

        return list;
    }
}
