using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Plumbline.Core.Capture;
using Plumbline.Core.Datasets;
using Plumbline.Storage.Ingest;

namespace Plumbline.Storage.Datasets;

/// <summary>
/// Dialogue examples: each meeting becomes turns (consecutive cues of one speaker merged, silences longer
/// than <see cref="DatasetBuildOptions.DialogueGapMs"/> and withheld cues kept as markers); every turn after
/// the first is the target of an example whose prompt is the meeting so far (the latest turns that fit
/// <c>--max-chars</c>). Cues of speakers whose current consent does not release them become <c>[withheld]</c>.
/// </summary>
internal static class DialogueSource
{
    public static async IAsyncEnumerable<SourceExample> ReadAsync(BuildContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var session = context.Session;
        foreach (var meeting in await session.ListDocumentsAsync(cancellationToken))
        {
            if (meeting.Source != SourceKind.Meetings || !context.Wanted(meeting.Name))
            {
                continue;
            }

            context.Count("meetings read");
            var events = (await session.EventsAsync(meeting.Id, cancellationToken))
                .Where(e => e.Kind is EventKind.Cue or EventKind.Gap)
                .Select(e => (Event: e, Cue: JsonSerializer.Deserialize<CuePayload>(e.Payload, CommentIngest.Json)!))
                .OrderBy(x => x.Cue.StartMs)
                .ThenBy(x => x.Cue.Index)
                .ToList();
            var byConsent = 0;
            var cues = new List<DialogueCue>(events.Count);
            var hashes = new Dictionary<long, byte[]>();
            foreach (var (stored, cue) in events)
            {
                hashes[stored.Seq] = EventHash.Of(stored);
                var released = cue.Text is not null && stored.ContributorId is { } speaker && context.Consent.Refusal(speaker, SourceKind.Meetings, context.Use) is null;
                if (cue.Text is not null && !released)
                {
                    byConsent++;
                }

                cues.Add(new DialogueCue(stored.Seq, cue.StartMs, cue.EndMs, cue.Speaker, released ? cue.Text : null, released ? stored.ContributorId : null));
            }

            context.Count("cues read", events.Count);
            context.Count("cues withheld at capture (unmapped or unconsenting speakers, pauses)", events.Count(e => e.Cue.Text is null));
            context.Count("cues withheld because their speaker's consent does not release them", byConsent);
            var turns = DialogueTurns.Build(cues, context.Options.DialogueGapMs, out var unknown);
            context.Count("cues with an unknown speaker (labelled \"Unknown speaker\")", unknown);
            var spoken = 0;
            for (var i = 0; i < turns.Count; i++)
            {
                var turn = turns[i];
                if (turn.IsMarker)
                {
                    continue;
                }

                spoken++;
                if (spoken == 1)
                {
                    continue;
                }

                yield return Example(context, meeting, turns, i, hashes);
                context.Documents.Add(meeting.Name);
            }

            if (spoken < 2)
            {
                context.Count("meetings with fewer than two spoken turns (no example)");
            }
        }
    }

    private static SourceExample Example(BuildContext context, DocumentInfo meeting, IReadOnlyList<DialogueTurn> turns, int target, Dictionary<long, byte[]> hashes)
    {
        var maxChars = context.Options.NextEdit.MaxChars;
        var first = target;
        var length = 0;
        while (first > 0 && length + turns[first - 1].Render().Length + 1 <= maxChars)
        {
            first--;
            length += turns[first].Render().Length + 1;
        }

        var transcript = new StringBuilder();
        for (var i = first; i < target; i++)
        {
            transcript.Append(turns[i].Render()).Append('\n');
        }

        var used = turns.Skip(first).Take(target - first + 1).ToList();
        var seqs = used.SelectMany(t => t.Seqs).Order().ToList();
        var speaker = turns[target].ContributorId is { } id ? context.Consent.Name(id) : "";
        var provenance = new ProvenanceEntry
        {
            Id = "",
            Split = "",
            Source = SourceKind.Meetings.Name(),
            Document = meeting.Name,
            RowEvents = seqs,
            Contributors = context.Contributors(used.Where(t => t.ContributorId is not null).Select(t => t.ContributorId!.Value)),
            Author = speaker,
            Sha256 = EventHash.Combine(seqs.Select(s => hashes[s])),
        };
        var text = new ExampleText(
            $"You continue the transcript of the research meeting '{meeting.Name}' with the next speaker's turn.",
            $"Meeting so far:\n{transcript}",
            turns[target].Render(),
            transcript.ToString(),
            turns[target].Render());
        return new SourceExample(text, provenance, speaker);
    }
}
