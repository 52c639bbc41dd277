using System.Text;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Capture.Transcripts;
using Plumbline.Core.Text;
using Plumbline.Server.Access;
using Plumbline.Server.Contracts;
using Plumbline.Storage;
using Plumbline.Storage.Ingest;

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
        var actor = caller.Actor;
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
        var now = time.GetUtcNow();
        var transactions = new EditTransaction[request.Transactions.Count];
        for (var t = 0; t < transactions.Length; t++)
        {
            var txn = request.Transactions[t] ?? throw PlumblineException.BadInput($"$.transactions[{t}]: expected an object, found null");
            if (txn.Time > now + Skew)
            {
                throw PlumblineException.BadInput($"$.transactions[{t}].time: {txn.Time:O} is in the future");
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

        var batch = new EditBatch
        {
            Document = name,
            StartContent = request.StartContent,
            Transactions = transactions,
            Actor = actor,
            AuthorMap = request.Authors ?? new Dictionary<string, string>(),
            BatchId = $"api:{caller.ContributorId}:{request.BatchId}",
            BaseRevision = request.BaseRevision,
            ExpectedEnd = request.ExpectedEnd,
            Locate = (t, p) => t < 0 ? "$.expected_end" : $"$.transactions[{t}].patches[{p}]",
        };
        var ingest = new EditIngest(store, time)
        {
            // Under the document's lock: someone else's document, or a base past the end of a new one, is a 404.
            Authorize = async (session, document, ct) =>
            {
                if (document is null ? request.BaseRevision != 0 : !await DataReads.CanSeeAsync(session, caller, document, Today(), ct))
                {
                    throw DataReads.NotFound(name);
                }
            },
        };
        var result = await ingest.IngestAsync(batch, null, cancellationToken);
        return new EditBatchResponse(
            result.Document,
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

    public async Task<EventResultResponse> AddCommentAsync(Caller caller, string name, CommentRequest request, CancellationToken cancellationToken)
    {
        var actor = caller.Actor;
        Validate.Text(request.Text, "$.text");
        var document = await RequireVisibleAsync(caller, name, cancellationToken);
        if (request.Start < 0 || request.End < request.Start || request.End > document.Length)
        {
            throw PlumblineException.BadInput(
                $"$.start, $.end: {request.Start}:{request.End} is not a range within document '{document.Name}' (length {document.Length} code points at revision {document.Revisions}; 0 <= start <= end <= {document.Length})");
        }

        var result = await new CommentIngest(store, time).AddAsync(name, request.Start, request.End, request.Text, actor, cancellationToken);
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
        }

        return Dto(await new CommentIngest(store, time).ResolveAsync(id, actor, cancellationToken));
    }

    public async Task<EventResultResponse> AddNoteAsync(Caller caller, NoteRequest request, CancellationToken cancellationToken)
    {
        var actor = caller.Actor;
        Validate.Text(request.Text, "$.text");
        if (request.Document is { } name)
        {
            await RequireVisibleAsync(caller, name, cancellationToken);
        }

        return Dto(await new NoteIngest(store, time).AddAsync(request.Text, actor, request.At, request.Document, request.Revision, cancellationToken));
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
        await using (var session = await store.OpenAsync(write: false, cancellationToken))
        {
            if (await session.FindDocumentAsync(meeting, cancellationToken) is { } existing && !await DataReads.CanSeeAsync(session, caller, existing, Today(), cancellationToken))
            {
                throw DataReads.NotFound(meeting);
            }
        }

        var transcript = Transcript.Parse(format, Encoding.UTF8.GetBytes(request.Content), request.FileName ?? "$.content");
        var result = await new TranscriptIngest(store, time).IngestAsync(
            new TranscriptBatch
            {
                Meeting = meeting,
                Transcript = transcript,
                Start = request.Start,
                Actor = actor,
                Speakers = request.Speakers ?? new Dictionary<string, string>(),
                BatchId = $"api:{caller.ContributorId}:{request.BatchId}",
            },
            cancellationToken);
        return new TranscriptResponse(
            result.Meeting,
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
