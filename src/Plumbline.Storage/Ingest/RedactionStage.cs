using Plumbline.Core.Capture;
using Plumbline.Core.Privacy;
using Plumbline.Core.Text;
using Plumbline.Storage.Documents;

namespace Plumbline.Storage.Ingest;

/// <summary>What redaction did to one batch.</summary>
public sealed record RedactionResult(int Secrets, bool RewroteHistory, IReadOnlyList<RedactedSecret> Found)
{
    public static RedactionResult None { get; } = new(0, false, []);
}

/// <summary>
/// The redaction stage of the ingest pipeline. Detection runs on every reconstructed state of the batch
/// (with the stored text before it); secrets found only in the batch are replaced in its revisions
/// before anything is stored. When a secret reaches back into stored text — a key typed one character
/// per batch — the document's whole stored history is redacted and rewritten in the same transaction
/// (the one exception to append-only), keeping every event id, and comment ranges are remapped.
/// </summary>
internal sealed class RedactionStage(StoreOptions options)
{
    public async Task<(List<NewRevision> Revisions, RedactionResult Result, DocumentInfo Document, string Head)> ApplyAsync(
        IStoreSession session,
        DocumentInfo document,
        string head,
        List<NewRevision> revisions,
        SecretDetector detector,
        CancellationToken cancellationToken)
    {
        var local = HistoryRedactor.Redact(head, revisions.Select(r => r.Patches).ToList(), detector);
        if (local.Secrets.Count == 0)
        {
            return (revisions, RedactionResult.None, document, head);
        }

        if (!local.TouchesStart)
        {
            return (Replace(revisions, local.Revisions, 0), new RedactionResult(local.Secrets.Count, false, local.Secrets), document, head);
        }

        // The secret began before this batch: redact and rewrite the stored history, then this batch after it.
        var start = await session.StartContentAsync(document.Id, cancellationToken);
        var stored = await DocumentReader.RevisionsAsync(session, document, 1, document.Revisions, cancellationToken).ToListAsync(cancellationToken);
        var chunks = await session.ChunksAsync(document.Id, 1, document.Revisions, cancellationToken);
        var comments = await HistoryRewrite.CommentsAsync(session, document.Id, cancellationToken);
        var all = HistoryRedactor.Redact(
            start,
            stored.Select(r => r.Patches).Concat(revisions.Select(r => r.Patches)).ToList(),
            detector,
            HistoryRewrite.Positions(comments));
        var rewritten = await HistoryRewrite.ApplyAsync(session, options, document, stored, chunks, all, comments, cancellationToken);
        var redactedHead = (await DocumentReader.LoadAsync(session, rewritten, rewritten.Revisions, cancellationToken)).ToString();
        return (Replace(revisions, all.Revisions, stored.Count), new RedactionResult(all.Secrets.Count, true, all.Secrets), rewritten, redactedHead);
    }

    private static List<NewRevision> Replace(List<NewRevision> revisions, IReadOnlyList<Patch[]> redacted, int offset) =>
        revisions.Select((r, i) => r with { Patches = redacted[offset + i] }).ToList();
}
