using Plumbline.Core.Text;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Keys;

namespace Plumbline.Storage.Backup;

/// <summary>What a restore dropped because its keys were destroyed after the backup was taken (withdrawals, rewritten histories).</summary>
public sealed record ReconcileResult(
    IReadOnlyList<string> DocumentsDropped,
    IReadOnlyList<string> DocumentsTruncated,
    int ChunksDropped,
    int SnapshotsDropped,
    int EventsDropped,
    int TermsDropped,
    IReadOnlyList<KeyTombstone> Tombstones)
{
    public bool Changed => DocumentsDropped.Count + DocumentsTruncated.Count + ChunksDropped + SnapshotsDropped + EventsDropped + TermsDropped > 0;
}

/// <summary>
/// Makes a restored store consistent with the key store as it is now: whatever was sealed under a key
/// that no longer exists is dropped, in one transaction. A document whose start content cannot be opened
/// goes whole; a document with a chunk that cannot be opened is cut back to the revision before it (with
/// its row events made after that revision), since later revisions build on the missing ones; snapshots
/// (a cache) that cannot be opened are dropped; so are row events and terms.
/// </summary>
internal static class KeyReconciler
{
    public static async Task<ReconcileResult> ReconcileAsync(ITraceStore store, CancellationToken cancellationToken)
    {
        var keys = ((IKeyedStore)store).Keys;
        await using var session = await store.OpenAsync(write: true, cancellationToken);
        var refs = await session.SealedRefsAsync(cancellationToken);
        var lost = refs.Where(r => r.KeyId is not { } id || !keys.HasKey(id)).ToList();

        var droppedIds = new HashSet<long>();
        var dropped = new List<string>();
        foreach (var start in lost.Where(r => r.Table == "documents"))
        {
            var document = await session.GetDocumentAsync(start.Row, cancellationToken);
            await session.DeleteDocumentAsync(start.Row, cancellationToken);
            droppedIds.Add(start.Row);
            dropped.Add(document?.Name ?? start.Row.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var truncated = new List<string>();
        var chunks = 0;
        var events = 0;
        var snapshotDocuments = new HashSet<long>();
        foreach (var group in lost.Where(r => r.Table == "edit_chunks" && !droppedIds.Contains(r.Row)).GroupBy(r => r.Row))
        {
            var document = (await session.GetDocumentAsync(group.Key, cancellationToken))!;
            var from = (int)group.Min(r => r.Part);
            chunks += refs.Count(r => r.Table == "edit_chunks" && r.Row == group.Key && r.Part >= from);
            await session.DeleteChunksFromAsync(document.Id, from, cancellationToken);
            await session.DeleteSnapshotsAsync(document.Id, cancellationToken);
            snapshotDocuments.Add(document.Id);
            events += await session.DeleteEventsAfterRevisionAsync(document.Id, from - 1, cancellationToken);
            var kept = await session.ChunksAsync(document.Id, 1, from - 1, cancellationToken);
            var cut = document with
            {
                Revisions = from - 1,
                Patches = kept.Sum(c => (long)c.PatchCount),
                LastTime = kept.Count == 0 ? null : kept.Max(c => c.MaxTime),
                Length = CodePoints.Count(await session.StartContentAsync(document.Id, cancellationToken)),
            };
            if (cut.Revisions > 0)
            {
                cut = cut with { Length = (await DocumentReader.LoadAsync(session, cut, cut.Revisions, cancellationToken)).Length };
            }

            await session.UpdateDocumentAsync(cut, cancellationToken);
            truncated.Add(document.Name);
        }

        var snapshots = 0;
        foreach (var snapshot in lost.Where(r => r.Table == "snapshots" && !droppedIds.Contains(r.Row)))
        {
            snapshots++;
            if (snapshotDocuments.Add(snapshot.Row))
            {
                await session.DeleteSnapshotsAsync(snapshot.Row, cancellationToken);
            }
        }

        var eventRows = lost.Where(r => r.Table == "events").Select(r => r.Row).ToList();
        var remaining = (await session.SealedRefsAsync(cancellationToken)).Where(r => r.Table == "events").Select(r => r.Row).ToHashSet();
        var stillThere = eventRows.Where(remaining.Contains).ToList();
        await session.DeleteEventsAsync(stillThere, cancellationToken);
        events += stillThere.Count;

        var terms = lost.Where(r => r.Table == "contributor_terms").ToList();
        foreach (var term in terms)
        {
            await session.DeleteSealedTermAsync(term.Row, term.Value!, cancellationToken);
        }

        await session.CommitAsync(cancellationToken);
        return new ReconcileResult(dropped, truncated, chunks, snapshots, events, terms.Count, keys.KeyStore().Tombstones());
    }
}
