using System.Text;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Text;
using Plumbline.Storage.Documents;

namespace Plumbline.Storage.Withdrawal;

/// <summary>What a withdrawal removed.</summary>
public sealed record WithdrawalResult(
    long Id,
    string Contributor,
    string? Source,
    long EditEvents,
    long RowEvents,
    IReadOnlyList<string> DocumentsDeleted,
    IReadOnlyList<string> DocumentsMasked,
    IReadOnlyList<ExportRecord> ExportsTouched);

/// <summary>
/// The store-level primitive of withdrawal: removes a contributor's events (of one source, or all) in one
/// transaction and records the withdrawal (who, when, which source). A document only they edited is
/// removed whole (chunks, snapshots, its row events including others' comments on it, batches, the row).
/// In a document others edited too, each of their revisions stays as a gap revision — the same revision
/// number and event ids, no contributor, every inserted code point replaced by U+2591 — so positions,
/// others' revisions, comment anchors and replay stay consistent; the history is rewritten as redaction
/// rewrites it. Their row events (comments, resolutions, cues, notes, commits) are deleted. Afterwards the
/// store is scrubbed so the removed bytes do not survive in free pages or the write-ahead log.
/// After the commit the contributor's data keys (of that source, or all with their terms key) are destroyed
/// and a tombstone is recorded in the key store (crypto-shredding): copies of their payloads in backups taken
/// earlier can no longer be decrypted. Rewritten and deleted documents lose their snapshot keys the same way.
/// Not done here: changing consent.
/// </summary>
public sealed class ContributorWithdrawal(ITraceStore store, TimeProvider time, StoreOptions? options = null)
{
    private readonly StoreOptions _options = options ?? StoreOptions.Default;

    public async Task<WithdrawalResult> WithdrawAsync(string contributorName, SourceKind? source, string recordedBy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contributorName);
        var result = await StoreRetry.RunAsync(time, () => WithdrawOnceAsync(contributorName, source, recordedBy, cancellationToken), cancellationToken);
        await store.ScrubAsync(cancellationToken);
        return result;
    }

    private async Task<WithdrawalResult> WithdrawOnceAsync(string contributorName, SourceKind? source, string recordedBy, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: true, cancellationToken);
        var contributor = await session.FindContributorAsync(contributorName, cancellationToken)
            ?? throw PlumblineException.NotFound($"CONTRIBUTOR: there is no contributor named '{contributorName}' (plumb contributor list)");
        var deleted = new List<string>();
        var masked = new List<string>();
        var deletedIds = new HashSet<long>();
        long editEvents = 0;
        foreach (var documentId in await session.DocumentsEditedByAsync(contributor.Id, cancellationToken))
        {
            var document = await session.GetDocumentAsync(documentId, cancellationToken);
            if (document is null || (source is { } only && document.Source != only))
            {
                continue;
            }

            var revisions = await DocumentReader.RevisionsAsync(session, document, 1, document.Revisions, cancellationToken).ToListAsync(cancellationToken);
            editEvents += revisions.Where(r => r.ContributorId == contributor.Id).Sum(r => (long)r.Patches.Length);
            var othersEdited = revisions.Any(r => r.ContributorId is { } other && other != contributor.Id && r.Kind == RevisionKind.Edit);
            if (!othersEdited)
            {
                await session.DeleteDocumentAsync(document.Id, cancellationToken);
                deleted.Add(document.Name);
                deletedIds.Add(document.Id);
                continue;
            }

            await MaskAsync(session, document, revisions, contributor.Id, cancellationToken);
            masked.Add(document.Name);
        }

        var rowEvents = (await session.EventsOfContributorAsync(contributor.Id, cancellationToken))
            .Where(e => (source is null || e.Source == source) && (e.DocumentId is null || !deletedIds.Contains(e.DocumentId.Value)))
            .Select(e => e.Seq)
            .ToList();
        await session.DeleteEventsAsync(rowEvents, cancellationToken);
        await session.DeleteSharesOfContributorAsync(contributor.Id, source?.Name(), cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var id = await session.RecordWithdrawalAsync(
            new WithdrawalRecord(0, contributor.Id, source, now, recordedBy, editEvents + rowEvents.Count, deleted.Count, masked.Count),
            cancellationToken);
        var exports = await session.ExportsAsync(contributor.Id, cancellationToken);
        session.ShredContributorAfterCommit(contributor.Id, source);
        await session.CommitAsync(cancellationToken);
        return new WithdrawalResult(id, contributor.Name, source?.Name(), editEvents, rowEvents.Count, deleted, masked, exports);
    }

    /// <summary>Rewrites a document's history with the contributor's revisions as gaps of the same shape.</summary>
    private async Task MaskAsync(IStoreSession session, DocumentInfo document, List<StoredRevision> revisions, long contributorId, CancellationToken cancellationToken)
    {
        var chunks = await session.ChunksAsync(document.Id, 1, document.Revisions, cancellationToken);
        var start = await session.StartContentAsync(document.Id, cancellationToken);
        await session.DeleteDocumentHistoryAsync(document.Id, cancellationToken);
        var fresh = document with { Revisions = 0, Patches = 0, Length = CodePoints.Count(start), LastTime = null };
        var appender = await DocumentAppender.StartAsync(session, _options, fresh, start, cancellationToken);
        var offset = 0;
        foreach (var chunk in chunks)
        {
            var count = chunk.LastRevision - chunk.FirstRevision + 1;
            var rewritten = revisions.Skip(offset).Take(count)
                .Select(r => r.ContributorId == contributorId
                    ? new NewRevision(r.Time, null, 0, RevisionKind.Gap, r.Patches.Select(Mask).ToArray())
                    : new NewRevision(r.Time, r.ContributorId, r.ConsentVersion, r.Kind, r.Patches))
                .ToList();
            await appender.AppendAsync(rewritten, chunk.FirstSeq, cancellationToken);
            offset += count;
        }
    }

    private static Patch Mask(Patch patch) =>
        patch.InsertLength == 0 ? patch : new Patch(patch.Position, patch.Delete, new StringBuilder().Insert(0, "\u2591", patch.InsertLength).ToString());
}
