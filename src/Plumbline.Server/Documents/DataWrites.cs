using System.Text;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Capture.Transcripts;
using Plumbline.Core.Text;
using Plumbline.Server.Access;
using Plumbline.Server.Contracts;
using Plumbline.Storage;
using Plumbline.Storage.Ingest;
using Plumbline.Storage.Sharing;

namespace Plumbline.Server.Documents;

/// <summary>
/// Every write through the API: checks who may write where, turns the request into the ingest
/// pipeline's input and runs it (validate → consent gate → redact → append in one transaction).
/// Nothing here stores anything itself.
/// </summary>
internal sealed class DataWrites(ITraceStore store, TimeProvider time)
{
    /// <summary>How far ahead of the server's clock a client's transaction time may be (clock skew).</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    public async Task<EditBatchResponse> PostBatchAsync(Caller caller, string name, EditBatchRequest request, CancellationToken cancellationToken)
    {
        _ = caller.Actor; // admins and curators act for no contributor
        Validate.Name(name, "document");
        Validate.Id(request.BatchId, "$.batch_id");
        if (request.BaseRevision < 0)
        {
            throw PlumblineException.BadInput($"$.base_revision: must be 0 or more (was {request.BaseRevision})");
        }

        if (request.Transactions.Count == 0)
        {
            throw PlumblineException.BadInput("$.transactions: a batch has at least one transaction");
        }

        Validate.Text(request.StartContent, "$.start_content");
        Validate.Text(request.ExpectedEnd, "$.expected_end");
        Validate.Text(request.SourceStartContent, "$.source_start_content");
        var now = time.GetUtcNow();
        var transactions = new EditTransaction[request.Transactions.Count];
        for (var t = 0; t < transactions.Length; t++)
        {
            var txn = request.Transactions[t] ?? throw PlumblineException.BadInput($"$.transactions[{t}]: expected an object, found null");
            if (txn.Time > now + Skew)
            {
                throw PlumblineException.BadInput($"$.transactions[{t}].time: {txn.Time:O} is in the future");
            }

            if (txn.Text is { } whole)
            {
                if (txn.Patches.Count > 0)
                {
                    throw PlumblineException.BadInput($"$.transactions[{t}]: give patches or the whole text, not both; nothing was stored");
                }

                Validate.Text(whole, $"$.transactions[{t}].text");
                transactions[t] = EditTransaction.ToText((txn.Time ?? now).ToUnixTimeMilliseconds(), whole, txn.Author);
                continue;
            }

            var patches = new Patch[txn.Patches.Count];
            for (var p = 0; p < patches.Length; p++)
            {
                var patch = txn.Patches[p] ?? throw PlumblineException.BadInput($"$.transactions[{t}].patches[{p}]: expected an object, found null");
                if (patch.Position < 0)
                {
                    throw PlumblineException.BadInput($"$.transactions[{t}].patches[{p}].position: must be 0 or more (was {patch.Position}); nothing was stored");
                }

                if (patch.Delete < 0)
                {
                    throw PlumblineException.BadInput($"$.transactions[{t}].patches[{p}].delete: must be 0 or more (was {patch.Delete}); nothing was stored");
                }

                patches[p] = new Patch(patch.Position, patch.Delete, patch.Insert);
            }

            transactions[t] = new EditTransaction((txn.Time ?? now).ToUnixTimeMilliseconds(), patches, txn.Author);
        }

        var target = await WriteTargetAsync(caller, name, "document", cancellationToken);

        IngestResult result;
        try
        {
            result = await IngestBatchAsync(caller, name, target, request, transactions, cancellationToken);
        }
        catch (NameTakenMeanwhile)
        {
            // Someone else created a document under this name since it was looked up: this one becomes the caller's own.
            target = DocumentNames.Private(caller.ContributorId!.Value, name);
            result = await IngestBatchAsync(caller, name, target, request, transactions, cancellationToken);
        }

        return new EditBatchResponse(
            DocumentNames.Shown(caller, result.Document),
            result.Transactions,
            result.AlreadyStored ? 0 : result.Patches,
            result.StoredRevisions,
            result.GapRevisions,
            result.WithheldTransactions,
            result.FirstRevision,
            result.LastRevision,
            result.LastRevision,
            result.Redacted,
            result.AlreadyStored);
    }

    private async Task<IngestResult> IngestBatchAsync(Caller caller, string name, string target, EditBatchRequest request, EditTransaction[] transactions, CancellationToken cancellationToken)
    {
        var batch = new EditBatch
        {
            Document = target,
            StartContent = request.StartContent,
            SourceStartContent = request.SourceStartContent,
            Transactions = transactions,
            Actor = caller.Actor,
            AuthorMap = request.Authors ?? new Dictionary<string, string>(),
            BatchId = $"api:{caller.ContributorId}:{request.BatchId}",
            BaseRevision = request.BaseRevision,
            ExpectedEnd = request.ExpectedEnd,
            Locate = (t, p) => t < 0 ? "$.expected_end" : $"$.transactions[{t}].patches[{p}]",
        };
        var ingest = new EditIngest(store, time)
        {
            // Under the document's lock: a base past the end of a new document is a 404, as is someone else's
            // document appended to; a new one whose name was taken meanwhile is retried as the caller's own.
            Authorize = async (session, document, ct) =>
            {
                if (caller.ContributorId is { } me && DocumentNames.ShareOf(caller, document?.Name ?? target) is not null)
                {
                    await AuthorizeSharedEditAsync(session, document, me, target, ct);
                    return;
                }

                if (document is null ? request.BaseRevision != 0 : !await DataReads.CanSeeAsync(session, caller, document, Today(), ct))
                {
                    throw document is not null && request.BaseRevision == 0 && target == name && caller.ContributorId is not null
                        ? new NameTakenMeanwhile()
                        : DataReads.NotFound(name);
                }
            },
        };
        try
        {
            return await ingest.IngestAsync(batch, null, cancellationToken);
        }
        catch (PlumblineException e)
        {
            throw DocumentNames.InCallersTerms(e, target, name);
        }
    }

    /// <summary>
    /// The stored document a write to <paramref name="name"/> goes to: a document shared with the caller, under its
    /// stored name (whether the share lets them write is checked under the lock: <see cref="AuthorizeSharedEditAsync"/>);
    /// else as <see cref="DocumentNames.WriteTargetAsync"/> says. A share that does not let them read it now (revoked, or
    /// closed by others' text) is no share here: its name is refused as any reserved name is, exactly as for a stranger.
    /// </summary>
    private async Task<string> WriteTargetAsync(Caller caller, string name, string field, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        if (DocumentNames.SharedAs(caller, name) is { Share.IsActive: true } shared
            && await DocumentSharing.AccessAsync(session, shared.Share.DocumentId, caller.ContributorId!.Value, cancellationToken) is { Readable: true })
        {
            return shared.DocumentName;
        }

        DocumentNames.RequireWritable(name, field);
        return await DocumentNames.WriteTargetAsync(session, caller, name, cancellationToken);
    }

    /// <summary>
    /// An edit batch (or transcript) to a document shared with the caller (checked under the document's lock): a share that no
    /// longer lets them read it, or a document gone meanwhile, answers as a missing document; a reviewer's is refused.
    /// Messages name the stored name; the caller reads them in their own name for it (<see cref="DocumentNames.InCallersTerms"/>).
    /// </summary>
    private static async Task AuthorizeSharedEditAsync(IStoreSession session, DocumentInfo? document, long me, string name, CancellationToken ct)
    {
        var access = document is null ? null : await DocumentSharing.AccessAsync(session, document.Id, me, ct);
        if (access is not { Readable: true })
        {
            throw DataReads.NotFound(name);
        }

        if (access.Share.Role != ShareRole.Editor)
        {
            throw PlumblineException.Refused($"document '{name}': it is shared with you as a reviewer, who reads and comments but does not edit (ask its owner for the editor role)");
        }
    }

    public async Task<EventResultResponse> AddCommentAsync(Caller caller, string name, CommentRequest request, CancellationToken cancellationToken)
    {
        var actor = caller.Actor;
        Validate.Text(request.Text, "$.text");
        var document = await RequireVisibleAsync(caller, name, cancellationToken);
        if (request.Start < 0 || request.End < request.Start || request.End > document.Length)
        {
            throw PlumblineException.BadInput(
                $"$.start, $.end: {request.Start}:{request.End} is not a range within document '{name}' (length {document.Length} code points at revision {document.Revisions}; 0 <= start <= end <= {document.Length})");
        }

        var result = await new CommentIngest(store, time).AddAsync(document.Name, request.Start, request.End, request.Text, actor, cancellationToken);
        return Dto(result);
    }

    public async Task<EventResultResponse> ResolveCommentAsync(Caller caller, long id, CancellationToken cancellationToken)
    {
        var actor = caller.Actor;
        await using (var session = await store.OpenAsync(write: false, cancellationToken))
        {
            var comment = await session.FindEventAsync(id, cancellationToken);
            var document = comment is { Kind: EventKind.Comment, DocumentId: { } documentId } ? await session.GetDocumentAsync(documentId, cancellationToken) : null;
            if (document is null || !await DataReads.CanSeeAsync(session, caller, document, Today(), cancellationToken))
            {
                throw PlumblineException.NotFound($"id: there is no comment {id}");
            }

            // As the editor page says to a reviewer: the owner (or an editor) resolves what reviewers raise.
            if (caller.ContributorId is { } me &&
                await session.GetShareAsync(document.Id, me, cancellationToken) is { IsActive: true, Role: ShareRole.Reviewer })
            {
                throw PlumblineException.Refused($"comment {id}: its document is shared with you as a reviewer, who comments but does not resolve (its owner or an editor does)");
            }
        }

        return Dto(await new CommentIngest(store, time).ResolveAsync(id, actor, cancellationToken));
    }

    public async Task<EventResultResponse> AddNoteAsync(Caller caller, NoteRequest request, CancellationToken cancellationToken)
    {
        var actor = caller.Actor;
        Validate.Text(request.Text, "$.text");
        var document = request.Document is { } name ? (await RequireVisibleAsync(caller, name, cancellationToken)).Name : null;
        return Dto(await new NoteIngest(store, time).AddAsync(request.Text, actor, request.At, document, request.Revision, cancellationToken));
    }

    public async Task<TranscriptResponse> PostTranscriptAsync(Caller caller, string meeting, TranscriptRequest request, CancellationToken cancellationToken)
    {
        var actor = caller.Actor;
        Validate.Name(meeting, "meeting");
        Validate.Id(request.BatchId, "$.batch_id");
        Validate.Text(request.Content, "$.content");
        var format = request.Format.ToLowerInvariant() switch
        {
            "vtt" or "webvtt" => TranscriptFormat.WebVtt,
            "srt" => TranscriptFormat.Srt,
            _ => throw PlumblineException.BadInput($"$.format: '{request.Format}' is not vtt or srt"),
        };
        var target = await WriteTargetAsync(caller, meeting, "meeting", cancellationToken);

        var transcript = Transcript.Parse(format, Encoding.UTF8.GetBytes(request.Content), request.FileName ?? "$.content");
        TranscriptBatch Batch(string stored) => new()
        {
            Meeting = stored,
            Transcript = transcript,
            Start = request.Start,
            Actor = actor,
            Speakers = request.Speakers ?? new Dictionary<string, string>(),
            BatchId = $"api:{caller.ContributorId}:{request.BatchId}",
        };
        TranscriptIngest Ingest(string stored) => new(store, time)
        {
            Authorize = async (session, document, ct) =>
            {
                if (caller.ContributorId is { } me && DocumentNames.ShareOf(caller, document?.Name ?? stored) is not null)
                {
                    await AuthorizeSharedEditAsync(session, document, me, stored, ct);
                    return;
                }

                if (document is not null && !await DataReads.CanSeeAsync(session, caller, document, Today(), ct))
                {
                    throw stored == meeting ? new NameTakenMeanwhile() : DataReads.NotFound(meeting);
                }
            },
        };
        TranscriptResult result;
        try
        {
            result = await Ingest(target).IngestAsync(Batch(target), cancellationToken);
        }
        catch (NameTakenMeanwhile)
        {
            target = DocumentNames.Private(caller.ContributorId!.Value, meeting);
            result = await Ingest(target).IngestAsync(Batch(target), cancellationToken);
        }
        catch (PlumblineException e)
        {
            throw DocumentNames.InCallersTerms(e, target, meeting);
        }

        return new TranscriptResponse(
            DocumentNames.Shown(caller, result.Meeting),
            result.Cues,
            result.AlreadyStored ? 0 : result.StoredCues,
            result.AlreadyStored ? 0 : result.Gaps,
            result.UnmappedSpeakers,
            transcript.Skipped.Select(s => new SkippedBlockDto(s.Line, s.Reason)).ToList(),
            result.AlreadyStored);
    }

    private async Task<DocumentInfo> RequireVisibleAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        return await DataReads.RequireVisibleAsync(session, caller, name, Today(), cancellationToken);
    }

    /// <summary>A new document's name turned out, under the write lock, to belong to a document the caller may not see.</summary>
    private sealed class NameTakenMeanwhile : Exception;

    private static EventResultResponse Dto(EventResult result) => new(result.Id, result.Stored, result.DroppedBecause, result.Revision);

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}

/// <summary>Checks on request fields that the JSON reader does not make, each naming the field.</summary>
internal static class Validate
{
    public static void Name(string name, string field)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 1000 || name.Any(char.IsControl) || CodePoints.HasLoneSurrogate(name))
        {
            throw PlumblineException.BadInput($"{field}: a name is 1 to 1000 characters of valid Unicode, with no control characters");
        }
    }

    public static void Id(string id, string field)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 200 || id.Any(char.IsControl) || CodePoints.HasLoneSurrogate(id))
        {
            throw PlumblineException.BadInput($"{field}: an id is 1 to 200 characters of valid Unicode, with no control characters");
        }
    }

    public static void Text(string? text, string field)
    {
        if (text is not null && CodePoints.HasLoneSurrogate(text))
        {
            throw PlumblineException.BadInput($"{field}: the text has an unpaired surrogate (it is not valid Unicode)");
        }
    }
}
