using System.Globalization;
using System.Text;
using System.Text.Json;
using Plumbline.Core.Capture;
using Plumbline.Storage.Ingest;

namespace Plumbline.Storage.Documents;

/// <summary>A meeting's cues in time order, withheld ones included (times only).</summary>
public static class MeetingReader
{
    public static async Task<IReadOnlyList<CuePayload>> CuesAsync(IStoreSession session, DocumentInfo meeting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(meeting);
        return (await session.EventsAsync(meeting.Id, cancellationToken))
            .Where(e => e.Kind is EventKind.Cue or EventKind.Gap)
            .Select(e => JsonSerializer.Deserialize<CuePayload>(e.Payload, CommentIngest.Json)!)
            .OrderBy(c => c.StartMs)
            .ThenBy(c => c.Index)
            .ToList();
    }

    /// <summary><c>[00:00:01.000 → 00:00:04.000] Speaker: text</c>, a line per cue.</summary>
    public static string Render(IReadOnlyList<CuePayload> cues)
    {
        ArgumentNullException.ThrowIfNull(cues);
        var text = new StringBuilder();
        foreach (var cue in cues)
        {
            text.Append(CultureInfo.InvariantCulture, $"[{Time(cue.StartMs)} → {Time(cue.EndMs)}] ");
            text.Append(cue.Text is null ? $"(withheld: {cue.Withheld})" : $"{cue.Speaker}: {cue.Text.Replace("\n", " ", StringComparison.Ordinal)}");
            text.Append('\n');
        }

        return text.ToString();
    }

    private static string Time(long ms) => TimeSpan.FromMilliseconds(ms).ToString(@"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture);
}
