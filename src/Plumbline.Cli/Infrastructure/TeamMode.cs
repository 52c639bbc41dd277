using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Consent;
using Plumbline.Storage;
using Plumbline.Storage.Consent;
using Plumbline.Server.Contracts;
using Plumbline.Storage.Ingest;

namespace Plumbline.Cli.Infrastructure;

/// <summary>Verbs that run the same on a local store and through the team server share these.</summary>
internal static class TeamMode
{
    /// <summary>
    /// An edit batch through the local ingest pipeline, or in team mode as one API batch (its id is the
    /// import's own, so running the import again is a no-op there too; the base is the document's current revision).
    /// Whole-text transactions (saved files) are sent as text: the server diffs them as a local ingest would.
    /// </summary>
    public static async Task<IngestResult> IngestAsync(CliContext context, EditBatch batch, IProgress<double>? progress, CancellationToken ct)
    {
        if (!context.Team)
        {
            return await new EditIngest(context.Store, context.Time).IngestAsync(batch, progress, ct);
        }

        var current = await context.Api.FindDocumentAsync(batch.Document, ct);
        var request = new EditBatchRequest(
            batch.BatchId,
            current?.Revisions ?? 0,
            batch.Transactions
                .Select(t => new TransactionDto(t.Patches.Select(p => new PatchDto(p.Position, p.Delete, p.Insert)).ToList(), DateTimeOffset.FromUnixTimeMilliseconds(t.Time), t.Author, t.NewText))
                .ToList(),
            batch.StartContent,
            batch.ExpectedEnd,
            batch.AuthorMap.Count == 0 ? null : batch.AuthorMap,
            batch.SourceStartContent);
        var r = await context.Api.PostBatchAsync(batch.Document, request, ct);
        progress?.Report(1);
        return new IngestResult(r.Document, r.Transactions, r.Patches, r.StoredRevisions, r.GapRevisions, r.WithheldTransactions, r.FirstRevision, r.LastRevision, r.AlreadyStored)
        {
            Redacted = r.Redacted,
        };
    }

    public static EventResult Result(EventResultResponse r) => new(r.Id, r.Stored, r.DroppedBecause, r.Revision);

    /// <summary>A contributor as the API returns them, in the shape the local verbs print (statements are not sent, only their hashes).</summary>
    public static ContributorStatus Status(ContributorDto d) => new(
        new Contributor(d.Id, d.Name, d.CreatedAt.ToUnixTimeMilliseconds()),
        d.History.Select(h => new ConsentRecord(
            d.Id,
            h.Version,
            new ConsentTerms(
                ConsentTerms.ParseSources(string.Join(',', h.Sources), "sources"),
                ConsentTerms.ParseUses(string.Join(',', h.Uses), "uses"),
                h.Embargo),
            "",
            h.StatementSha256,
            h.RecordedBy,
            h.RecordedAt.ToUnixTimeMilliseconds())).ToList(),
        d.Pauses.Select((p, i) => new PauseInterval(i, d.Id, p.Start.ToUnixTimeMilliseconds(), p.End?.ToUnixTimeMilliseconds())).ToList());
}
