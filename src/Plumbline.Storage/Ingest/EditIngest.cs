using System.Text.Json;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Consent;
using Plumbline.Core.Privacy;
using Plumbline.Core.Text;
using Plumbline.Core.Text.Diff;
using Plumbline.Storage.Diagnostics;
using Plumbline.Storage.Documents;

namespace Plumbline.Storage.Ingest;

/// <summary>
/// The ingest pipeline for document edits: validate against the current document state, consent gate,
/// (redact, encrypt: later stages), append — all in one write transaction, so a batch is stored whole
/// or not at all, and storing the same batch again is a no-op.
/// </summary>
public sealed class EditIngest(ITraceStore store, TimeProvider time, StoreOptions? options = null)
{
    private readonly StoreOptions _options = options ?? StoreOptions.Default;
    private readonly RedactionStage _redaction = new(options ?? StoreOptions.Default);

    /// <summary>
    /// Runs first in each batch's transaction, with the document's row locked (null: it does not exist yet);
    /// throws to refuse the batch. The server checks here that the caller may write the document.
    /// </summary>
    public Func<IStoreSession, DocumentInfo?, CancellationToken, Task>? Authorize { get; init; }

    public async Task<IngestResult> IngestAsync(EditBatch batch, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return (await IngestAsync([batch], progress, null, cancellationToken))[0];
    }

    /// <summary>
    /// Stores several batches (for example one per file of a git import) in one transaction, then lets
    /// <paramref name="alsoStore"/> add events that refer to the new revisions before it commits.
    /// A transient failure (a concurrent writer got there first) runs the whole transaction again.
    /// </summary>
    public Task<IReadOnlyList<IngestResult>> IngestAsync(
        IReadOnlyList<EditBatch> batches,
        IProgress<double>? progress,
        Func<IStoreSession, IReadOnlyList<IngestResult>, Task>? alsoStore,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        return StoreRetry.RunAsync(time, () => IngestOnceAsync(batches, progress, alsoStore, cancellationToken), cancellationToken);
    }

    private async Task<IReadOnlyList<IngestResult>> IngestOnceAsync(
        IReadOnlyList<EditBatch> batches,
        IProgress<double>? progress,
        Func<IStoreSession, IReadOnlyList<IngestResult>, Task>? alsoStore,
        CancellationToken cancellationToken)
    {
        var since = WriteProfile.Start();
        await using var session = await store.OpenAsync(write: true, cancellationToken);
        WriteProfile.Lap("ingest: open write session (all)", ref since);
        var results = new List<IngestResult>(batches.Count);
        for (var i = 0; i < batches.Count; i++)
        {
            var scaled = progress is null ? null : new Progress<double>(v => progress.Report((i + v) / batches.Count));
            results.Add(await IngestOneAsync(session, batches[i], scaled, cancellationToken));
        }

        if (alsoStore is not null)
        {
            await alsoStore(session, results);
        }

        since = WriteProfile.Start();
        await session.CommitAsync(cancellationToken);
        WriteProfile.Lap("ingest: commit (all)", ref since);
        if (results.Any(r => r.RewroteHistory))
        {
            await store.ScrubAsync(cancellationToken);
        }

        progress?.Report(1);
        return results;
    }

    private async Task<IngestResult> IngestOneAsync(IStoreSession session, EditBatch batch, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        // Reading the document first locks it (PostgreSQL), so a concurrent import of this same batch is seen as stored.
        var since = WriteProfile.Start();
        var locked = await session.FindDocumentAsync(batch.Document, cancellationToken);
        if (Authorize is not null)
        {
            await Authorize(session, locked, cancellationToken);
        }

        WriteProfile.Lap("ingest 1: find document + authorize", ref since);

        if (await session.FindBatchAsync(batch.BatchId, cancellationToken) is { } prior)
        {
            return JsonSerializer.Deserialize<IngestResult>(prior.Summary)! with { AlreadyStored = true };
        }

        var actor = await ContributorLookup.RequireAsync(session, batch.Actor, "--as", cancellationToken);
        ConsentGate.RequireActor(actor, batch.Source);
        var authors = await ResolveAuthorsAsync(session, batch, cancellationToken);
        WriteProfile.Lap("ingest 2: batch id + consent reads", ref since);

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var (document, text) = await OpenDocumentAsync(session, batch, now, cancellationToken);
        var head = text.ToString();
        WriteProfile.Lap("ingest 3: load document (snapshot, decrypt, chunks)", ref since);
        var source = SourceText(batch, head);
        var revisions = new List<NewRevision>(batch.Transactions.Count);
        var transactionRevisions = new int[batch.Transactions.Count];
        var gaps = new List<(GapRun Run, int Revision)>();
        GapRun? run = null;
        long patchCount = 0;
        for (var t = 0; t < batch.Transactions.Count; t++)
        {
            var txn = batch.Transactions[t];
            var patches = txn.Patches;
            var author = txn.Author is null ? actor : authors.GetValueOrDefault(txn.Author);
            var verdict = ConsentGate.Decide(author, batch.Source, txn.Time);
            if (verdict == GateVerdict.Admit && run is not null)
            {
                revisions.Add(CloseGap(run, text));
                gaps.Add((run, document.Revisions + revisions.Count));
                run = null;
            }
            else if (verdict != GateVerdict.Admit)
            {
                run ??= new GapRun(text.Length, txn.Time, author?.ContributorId, Reason(verdict));
                run.Add(txn.Time, author?.ContributorId, Reason(verdict));
            }

            if (txn.NewText is { } newText)
            {
                // Diff the source's own texts, then carry the edit over to the stored text, which differs
                // where content was withheld or redacted: withheld text never comes back as a later edit.
                // (After closing a gap just above, so that the text is masked exactly as when a later
                // import continues from it: one import or several store the same revisions.)
                patches = SourceAlignment.Map(TextDiff.Diff(source!, newText), source!, text.ToString());
                source = newText;
            }

            for (var p = 0; p < patches.Length; p++)
            {
                var patch = patches[p];
                if ((text.Check(patch) ?? (CodePoints.HasLoneSurrogate(patch.Insert) ? "the inserted text has an unpaired surrogate (it is not valid Unicode)" : null)) is { } problem)
                {
                    throw PlumblineException.BadInput($"{batch.Locate(t, p)}: {problem}; nothing was stored");
                }

                run?.Track(patch, text.Length);
                text.Apply(patch);
            }

            patchCount += patches.Length;
            if (verdict == GateVerdict.Admit)
            {
                revisions.Add(new NewRevision(txn.Time, author!.ContributorId, author.Current!.Version, RevisionKind.Edit, patches));
            }

            transactionRevisions[t] = document.Revisions + revisions.Count + (run is null ? 0 : 1);
            if ((t & 0xFFF) == 0)
            {
                progress?.Report(0.5 * t / batch.Transactions.Count);
            }
        }

        if (run is not null)
        {
            revisions.Add(CloseGap(run, text));
            gaps.Add((run, document.Revisions + revisions.Count));
        }

        if (gaps.Count == 0 && batch.ExpectedEnd is { } expected)
        {
            CheckEnd(batch, text.ToString(), expected);
        }

        var storedPatches = revisions.Sum(r => (long)r.Patches.Length);
        WriteProfile.Lap("ingest 4: gate + apply patches", ref since);
        var firstSeq = await session.AllocateSeqAsync(storedPatches, cancellationToken);
        WriteProfile.Lap("ingest 5: allocate seq", ref since);
        var redaction = RedactionResult.None;
        if (_options.Redact)
        {
            var people = authors.Values.Select(a => a.ContributorId).Append(actor.ContributorId);
            var detector = await Detectors.ForAsync(session, people, cancellationToken);
            (revisions, redaction, document, head) = await _redaction.ApplyAsync(session, document, head, revisions, detector, cancellationToken);
        }

        WriteProfile.Lap("ingest 6: redaction (terms + detect)", ref since);
        var appender = await DocumentAppender.StartAsync(session, _options, document, head, cancellationToken);
        WriteProfile.Lap("ingest 7: appender start (last snapshot, open chunk)", ref since);
        await appender.AppendAsync(revisions, firstSeq, cancellationToken);
        WriteProfile.Lap("ingest 8: append (encode, compress, encrypt, insert)", ref since);
        await session.RecordEditRangeAsync(appender.Document.Id, firstSeq, storedPatches, cancellationToken);
        progress?.Report(0.9);
        await RecordGapsAsync(session, batch, document, gaps, cancellationToken);

        var result = new IngestResult(
            document.Name,
            batch.Transactions.Count,
            patchCount,
            revisions.Count - gaps.Count,
            gaps.Count,
            gaps.Sum(g => g.Run.Transactions),
            document.Revisions + (revisions.Count > 0 ? 1 : 0),
            appender.Document.Revisions,
            AlreadyStored: false)
        {
            TransactionRevisions = transactionRevisions,
            Redacted = redaction.Secrets,
            RewroteHistory = redaction.RewroteHistory,
        };
        await session.RecordBatchAsync(new BatchRecord(batch.BatchId, document.Id, now, JsonSerializer.Serialize(result)), cancellationToken);
        WriteProfile.Lap("ingest 9: gaps + batch record", ref since);
        return result;
    }

    /// <summary>The source's own current text for whole-text transactions (see <see cref="EditBatch.SourceStartContent"/>).</summary>
    private static string? SourceText(EditBatch batch, string stored) =>
        batch.Transactions.Any(t => t.NewText is not null) ? batch.SourceStartContent ?? stored : null;

    private static async Task<(DocumentInfo Document, TextBuffer Text)> OpenDocumentAsync(
        IStoreSession session,
        EditBatch batch,
        long now,
        CancellationToken cancellationToken)
    {
        var document = await session.FindDocumentAsync(batch.Document, cancellationToken);
        if (batch.BaseRevision is { } baseRevision && baseRevision != (document?.Revisions ?? 0))
        {
            var current = document?.Revisions ?? 0;
            throw PlumblineException.Conflict(
                $"base_revision: the batch is based on revision {baseRevision}, but document '{batch.Document}' is at revision {current}; nothing was stored",
                current);
        }

        if (document is null)
        {
            var start = batch.StartContent ?? "";
            return (await session.CreateDocumentAsync(batch.Document, batch.Source, start, now, cancellationToken), new TextBuffer(start));
        }

        if (document.Source != batch.Source)
        {
            throw PlumblineException.BadInput(
                $"--doc: document '{document.Name}' holds {document.Source.Name()} events, not {batch.Source.Name()}");
        }

        var text = await DocumentReader.LoadAsync(session, document, document.Revisions, cancellationToken);
        if (batch.StartContent is not null && text.ToString() != batch.StartContent)
        {
            throw PlumblineException.BadInput(
                $"--doc: document '{document.Name}' exists (revision {document.Revisions}) and its current text is not the start content of this input; import into a new document");
        }

        return (document, text);
    }

    private static async Task RecordGapsAsync(
        IStoreSession session,
        EditBatch batch,
        DocumentInfo document,
        List<(GapRun Run, int Revision)> gaps,
        CancellationToken cancellationToken)
    {
        foreach (var (gap, revision) in gaps)
        {
            var payload = JsonSerializer.Serialize(new
            {
                reason = gap.Reason,
                from = gap.FirstTime,
                to = gap.LastTime,
                transactions = gap.Transactions,
            });
            await session.AppendEventAsync(
                new NewEvent(gap.ContributorId, batch.Source, EventKind.Gap, document.Id, revision, gap.FirstTime, 0, payload),
                cancellationToken);
        }
    }

    private static NewRevision CloseGap(GapRun run, TextBuffer text) =>
        new(run.FirstTime, run.ContributorId, 0, RevisionKind.Gap, [run.Close(text)]);

    private static string Reason(GateVerdict verdict) => verdict switch
    {
        GateVerdict.Paused => "paused",
        GateVerdict.NotConsented => "not_consented",
        GateVerdict.Unmapped => "unmapped_author",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "not a gap verdict"),
    };

    private static async Task<Dictionary<string, ContributorConsent>> ResolveAuthorsAsync(
        IStoreSession session,
        EditBatch batch,
        CancellationToken cancellationToken)
    {
        var authors = new Dictionary<string, ContributorConsent>();
        foreach (var (key, name) in batch.AuthorMap)
        {
            authors[key] = await ContributorLookup.RequireAsync(session, name, $"--author {key}={name}", cancellationToken);
        }

        return authors;
    }

    private static void CheckEnd(EditBatch batch, string actual, string expected)
    {
        if (actual == expected)
        {
            return;
        }

        var i = actual.AsSpan().CommonPrefixLength(expected);
        var at = CodePoints.Count(actual.AsSpan(0, i));
        throw PlumblineException.BadInput(
            $"{batch.Locate(-1, -1)}: replaying the transactions does not give the end content (first difference at code point {at}: replay has {CodePoints.Count(actual)} code points, the file says {CodePoints.Count(expected)}); nothing was stored");
    }
}
