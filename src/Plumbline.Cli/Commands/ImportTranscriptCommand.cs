using System.CommandLine;
using System.Globalization;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Core.Capture.Transcripts;
using Plumbline.Storage.Ingest;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb import vtt|srt FILE --meeting NAME --as NAME [--speaker VOICE=NAME ...] [--start TIME]</c></summary>
internal static class ImportTranscriptCommand
{
    public static Command Create(TranscriptFormat format)
    {
        var name = format == TranscriptFormat.WebVtt ? "vtt" : "srt";
        var file = new Argument<FileInfo>("FILE") { Description = format == TranscriptFormat.WebVtt ? "A WebVTT file" : "A SubRip (.srt) file" };
        var meeting = new Option<string>("--meeting") { Description = "The meeting's name", Required = true };
        var actor = GlobalOptions.As("The contributor importing; cues without a speaker are theirs");
        var speakers = new Option<string[]>("--speaker") { Description = "Map a voice to a contributor: VOICE=NAME (repeatable); other speakers' cues become gaps" };
        var start = new Option<string?>("--start") { Description = "When the recording's 0:00 was (ISO 8601; default: the file's modification time minus the last cue's end)" };
        var command = new Command(name, $"Import a meeting transcript ({(format == TranscriptFormat.WebVtt ? "WebVTT" : "SRT")}); each cue becomes an event on the meeting") { file, meeting, actor, speakers, start };
        return command.WithAction(async (context, ct) =>
        {
            var who = context.Actor(actor);
            var input = ImportFiles.Read(context.Get(file));
            var transcript = Transcript.Parse(format, input.Bytes, input.File.Name);
            DateTimeOffset zero;
            if (context.Get(start) is { } startText)
            {
                zero = DateTimeOffset.TryParse(startText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                    ? parsed
                    : throw PlumblineException.BadInput($"--start: '{startText}' is not an ISO 8601 time");
            }
            else
            {
                var end = transcript.Cues.Count == 0 ? TimeSpan.Zero : transcript.Cues.Max(c => c.End);
                zero = new DateTimeOffset(input.File.LastWriteTimeUtc, TimeSpan.Zero) - end;
            }

            var map = ParseSpeakers(context.Get(speakers) ?? []);
            var batchId = $"{name}:{input.Sha256}:{context.Get(meeting)}:{zero.ToUnixTimeMilliseconds()}:{string.Join(',', map.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => m.Key + "=" + m.Value))}";
            TranscriptResult result;
            if (context.Team)
            {
                var r = await context.Api.PostTranscriptAsync(
                    context.Get(meeting),
                    new Server.Contracts.TranscriptRequest(batchId, name, System.Text.Encoding.UTF8.GetString(input.Bytes), zero, map, input.File.Name),
                    ct);
                result = new TranscriptResult(r.Meeting, r.Cues, r.StoredCues, r.Gaps, r.UnmappedSpeakers, r.AlreadyStored);
            }
            else
            {
                result = await new TranscriptIngest(context.Store, context.Time).IngestAsync(
                    new TranscriptBatch
                    {
                        Meeting = context.Get(meeting),
                        Transcript = transcript,
                        Start = zero,
                        Actor = who!,
                        Speakers = map,
                        BatchId = batchId,
                    },
                    ct);
            }

            if (context.Json)
            {
                context.WriteJson(new
                {
                    events = result.AlreadyStored ? 0 : result.StoredCues + result.Gaps,
                    documents = new[] { result.Meeting },
                    cues = result.Cues,
                    stored_cues = result.AlreadyStored ? 0 : result.StoredCues,
                    gaps = result.AlreadyStored ? 0 : result.Gaps,
                    unmapped_speakers = result.UnmappedSpeakers,
                    skipped = transcript.Skipped.Select(s => new { line = s.Line, reason = s.Reason }),
                    already_stored = result.AlreadyStored,
                });
                return ExitCodes.Success;
            }

            context.Say(result.AlreadyStored
                ? $"Already stored: this transcript was imported into {result.Meeting} before; nothing changed."
                : $"Stored {result.StoredCues} of {result.Cues} cues in meeting {result.Meeting}" + (result.Gaps > 0 ? $"; {result.Gaps} as gaps." : "."));
            if (result.UnmappedSpeakers.Count > 0)
            {
                context.Say($"Unmapped speakers (their cues are gaps): {string.Join(", ", result.UnmappedSpeakers)}. Map them with --speaker VOICE=NAME if they consent.");
            }

            foreach (var skipped in transcript.Skipped)
            {
                context.Say($"  skipped {input.File.Name} {skipped}");
            }

            return ExitCodes.Success;
        });
    }

    private static Dictionary<string, string> ParseSpeakers(string[] pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.LastIndexOf('=');
            if (equals <= 0 || equals == pair.Length - 1)
            {
                throw PlumblineException.BadInput($"--speaker: '{pair}' is not VOICE=NAME");
            }

            map[pair[..equals]] = pair[(equals + 1)..];
        }

        return map;
    }
}
