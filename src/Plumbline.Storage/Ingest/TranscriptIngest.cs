using System.Text.Json;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Capture.Transcripts;
using Plumbline.Core.Consent;
using Plumbline.Core.Privacy;

namespace Plumbline.Storage.Ingest;

/// <summary>A stored cue: offsets from the meeting start in ms; <see cref="Text"/> and <see cref="Speaker"/> are null in a gap.</summary>
public sealed record CuePayload(int Index, string Id, long StartMs, long EndMs, string? Speaker, string? Text, string? Withheld);

/// <summary>A transcript to store as one meeting.</summary>
public sealed record TranscriptBatch
{
    public required string Meeting { get; init; }

    public required Transcript Transcript { get; init; }

    /// <summary>The wall-clock time of the recording's 0:00, so cues land on the same clock as edits.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>The contributor importing; cues without a speaker are theirs.</summary>
    public required string Actor { get; init; }

    /// <summary>Voices (speaker names as written) mapped to contributors; other speakers' cues become gaps.</summary>
    public IReadOnlyDictionary<string, string> Speakers { get; init; } = new Dictionary<string, string>();

    public required string BatchId { get; init; }
}

public sealed record TranscriptResult(string Meeting, int Cues, int StoredCues, int Gaps, IReadOnlyList<string> UnmappedSpeakers, bool AlreadyStored);

/// <summary>
/// Meeting transcripts: each cue becomes a <c>cue</c> event on the meetings source, timed at the
/// meeting's start plus the cue's offset, attributed to its mapped speaker. Cues of unmapped, paused or
/// non-consenting speakers are stored as gaps (times only). One transaction per file; a re-import is a no-op.
/// </summary>
public sealed class TranscriptIngest(ITraceStore store, TimeProvider time)
{
    /// <summary>Called in the write transaction with the meeting as it is (null when new), before anything is written; throws to refuse.</summary>
    public Func<IStoreSession, DocumentInfo?, CancellationToken, Task>? Authorize { get; init; }

    public Task<TranscriptResult> IngestAsync(TranscriptBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return StoreRetry.RunAsync(time, () => IngestOnceAsync(batch, cancellationToken), cancellationToken);
    }

    private async Task<TranscriptResult> IngestOnceAsync(TranscriptBatch batch, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: true, cancellationToken);
        if (await session.FindBatchAsync(batch.BatchId, cancellationToken) is { } prior)
        {
            return JsonSerializer.Deserialize<TranscriptResult>(prior.Summary)! with { AlreadyStored = true };
        }

        var actor = await ContributorLookup.RequireAsync(session, batch.Actor, "--as", cancellationToken);
        ConsentGate.RequireActor(actor, SourceKind.Meetings);
        var speakers = new Dictionary<string, ContributorConsent>(StringComparer.Ordinal);
        foreach (var (voice, name) in batch.Speakers)
        {
            speakers[voice] = await ContributorLookup.RequireAsync(session, name, $"--speaker {voice}={name}", cancellationToken);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var meeting = await session.FindDocumentAsync(batch.Meeting, cancellationToken);
        if (Authorize is not null)
        {
            await Authorize(session, meeting, cancellationToken);
        }

        if (meeting is not null && meeting.Source != SourceKind.Meetings)
        {
            throw PlumblineException.BadInput($"--meeting: '{batch.Meeting}' is a document of {meeting.Source.Name()} events, not a meeting");
        }

        meeting ??= await session.CreateDocumentAsync(batch.Meeting, SourceKind.Meetings, "", now, cancellationToken);
        var start = batch.Start.ToUnixTimeMilliseconds();
        var detector = await Detectors.ForAsync(session, speakers.Values.Select(s => s.ContributorId).Append(actor.ContributorId), cancellationToken);
        var stored = 0;
        var gaps = 0;
        var unmapped = new SortedSet<string>(StringComparer.Ordinal);
        var events = new List<NewEvent>(batch.Transcript.Cues.Count);
        foreach (var cue in batch.Transcript.Cues)
        {
            ContributorConsent? speaker = cue.Speaker is null ? actor : speakers.GetValueOrDefault(cue.Speaker);
            if (cue.Speaker is not null && speaker is null)
            {
                unmapped.Add(cue.Speaker);
            }

            var at = start + (long)cue.Start.TotalMilliseconds;
            var verdict = ConsentGate.Decide(speaker, SourceKind.Meetings, at);
            var admitted = verdict == GateVerdict.Admit;
            var payload = new CuePayload(
                cue.Index,
                cue.Id,
                (long)cue.Start.TotalMilliseconds,
                (long)cue.End.TotalMilliseconds,
                admitted ? speaker!.Name : null,
                admitted ? TextRedaction.Apply(detector, cue.Text).Text : null,
                admitted ? null : verdict.ToString().ToLowerInvariant());
            events.Add(
                new NewEvent(
                    speaker?.ContributorId,
                    SourceKind.Meetings,
                    admitted ? EventKind.Cue : EventKind.Gap,
                    meeting.Id,
                    null,
                    at,
                    admitted ? speaker!.Current!.Version : 0,
                    JsonSerializer.Serialize(payload, CommentIngest.Json)));
            stored += admitted ? 1 : 0;
            gaps += admitted ? 0 : 1;
        }

        await session.AppendEventsAsync(events, cancellationToken);
        await session.UpdateDocumentAsync(meeting with { LastTime = batch.Transcript.Cues.Count == 0 ? meeting.LastTime : start + (long)batch.Transcript.Cues.Max(c => c.End.TotalMilliseconds) }, cancellationToken);
        var result = new TranscriptResult(batch.Meeting, batch.Transcript.Cues.Count, stored, gaps, unmapped.ToList(), false);
        await session.RecordBatchAsync(new BatchRecord(batch.BatchId, meeting.Id, now, JsonSerializer.Serialize(result)), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return result;
    }
}
