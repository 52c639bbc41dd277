using System.Globalization;

namespace Plumbline.Core.Capture.Transcripts;

/// <summary>A parsed SubRip file: its cues and the blocks that were dropped.</summary>
public sealed record SrtDocument(IReadOnlyList<TranscriptCue> Cues, IReadOnlyList<SkippedBlock> Skipped)
{
    /// <summary>The cues as a format-neutral <see cref="Transcript"/>.</summary>
    public Transcript ToTranscript() => new(TranscriptFormat.Srt, Cues, Skipped);
}

/// <summary>
/// Reads SubRip (<c>.srt</c>), the de-facto format: blocks separated by blank lines (whitespace-only lines count as
/// blank), each an index line, a timing line <c>HH:MM:SS,mmm --> HH:MM:SS,mmm</c> (<c>.</c> also accepted before the
/// milliseconds; hours of any width; anything after the end time, such as <c>X1:..</c> coordinates, ignored), and text
/// lines. As players do, the index is not checked: whatever single line precedes the timing line becomes the cue's
/// <see cref="TranscriptCue.Id"/>, and a timing line without one is accepted too. A cue also ends where a valid timing
/// line (optionally after an index line) starts, so a missing blank line between cues does not merge them.
/// A block with a broken timing line, or with no timing line in its first two lines, is reported in
/// <see cref="SrtDocument.Skipped"/> and dropped. A file with no cue and no timing line at all is bad input.
/// </summary>
public static class SrtParser
{
    /// <summary>The message (after <c>FILE: line 1: </c>) for a file with nothing recognisable in it.</summary>
    public const string NotSrtMessage = "not a SubRip (SRT) file (no cue with an 'HH:MM:SS,mmm --> HH:MM:SS,mmm' timing line)";

    /// <summary>Parses an SRT file. <paramref name="fileName"/> names the input in messages.</summary>
    public static SrtDocument Parse(byte[] bytes, string fileName)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(fileName);
        var lines = TranscriptText.Decode(bytes).Split('\n');
        var cues = new List<TranscriptCue>();
        var skipped = new List<SkippedBlock>();
        var sawTimingLine = false;
        var i = 0;
        while (i < lines.Length)
        {
            if (IsBlank(lines[i]))
            {
                i++;
                continue;
            }

            var end = i;
            while (end < lines.Length && !IsBlank(lines[end]))
            {
                end++;
            }

            sawTimingLine |= ReadBlock(lines, i, end, cues, skipped);
            i = end;
        }

        if (cues.Count == 0 && !sawTimingLine)
        {
            throw PlumblineException.BadInput($"{fileName}: line 1: {NotSrtMessage}");
        }

        return new SrtDocument(cues, skipped);
    }

    /// <summary>Reads the cues in lines [start, end); returns whether it saw a timing line (valid or not).</summary>
    private static bool ReadBlock(string[] lines, int start, int end, List<TranscriptCue> cues, List<SkippedBlock> skipped)
    {
        var sawTimingLine = false;
        var p = start;
        while (p < end)
        {
            int timing;
            if (lines[p].Contains("-->", StringComparison.Ordinal))
            {
                timing = p;
            }
            else if (p + 1 < end && lines[p + 1].Contains("-->", StringComparison.Ordinal))
            {
                timing = p + 1;
            }
            else
            {
                skipped.Add(new SkippedBlock(
                    p + 1,
                    $"no timing line: expected 'HH:MM:SS,mmm --> HH:MM:SS,mmm' on the first or second line, found {TranscriptText.Quote(lines[p])}"));
                return sawTimingLine;
            }

            sawTimingLine = true;
            var textEnd = timing + 1;
            while (textEnd < end && !StartsCue(lines, textEnd, end))
            {
                textEnd++;
            }

            if (TryParseTimingLine(lines[timing], out var startTime, out var endTime, out var reason))
            {
                var raw = string.Join('\n', lines[(timing + 1)..textEnd]);
                var spoken = SpeakerExtractor.Extract(raw);
                var id = timing > p ? lines[p].Trim() : "";
                cues.Add(new TranscriptCue(cues.Count, id, startTime, endTime, spoken.Text, spoken.Speaker, p + 1, raw));
            }
            else
            {
                skipped.Add(new SkippedBlock(timing + 1, $"timing line malformed: {reason} in {TranscriptText.Quote(lines[timing])}"));
            }

            p = textEnd;
        }

        return sawTimingLine;
    }

    /// <summary>A valid timing line at <paramref name="k"/>, or an index line followed by one.</summary>
    private static bool StartsCue(string[] lines, int k, int end) =>
        IsTimingLine(lines[k]) || (k + 1 < end && IsIndex(lines[k]) && IsTimingLine(lines[k + 1]));

    private static bool IsTimingLine(string line) => TryParseTimingLine(line, out _, out _, out _);

    private static bool IsIndex(string line)
    {
        var trimmed = line.AsSpan().Trim();
        return !trimmed.IsEmpty && !trimmed.ContainsAnyExceptInRange('0', '9');
    }

    private static bool IsBlank(string line) => line.AsSpan().Trim().IsEmpty;

    /// <summary><c>START --> END[ anything]</c>, whitespace around the arrow optional.</summary>
    internal static bool TryParseTimingLine(string line, out TimeSpan start, out TimeSpan end, out string reason)
    {
        end = default;
        var position = SkipBlanks(line, 0);
        if (!TryParseTime(line, ref position, out start, out reason))
        {
            reason = "start time: " + reason;
            return false;
        }

        position = SkipBlanks(line, position);
        if (!line.AsSpan(position).StartsWith("-->", StringComparison.Ordinal))
        {
            reason = "expected '-->' after the start time";
            return false;
        }

        position = SkipBlanks(line, position + 3);
        if (!TryParseTime(line, ref position, out end, out reason))
        {
            reason = "end time: " + reason;
            return false;
        }

        if (position < line.Length && !char.IsWhiteSpace(line[position]))
        {
            reason = "unexpected text right after the end time";
            return false;
        }

        return true;
    }

    /// <summary><c>H+:MM:SS,mmm</c> or <c>H+:MM:SS.mmm</c>, minutes and seconds at most 59.</summary>
    private static bool TryParseTime(string line, ref int position, out TimeSpan time, out string reason)
    {
        time = default;
        reason = "expected HH:MM:SS,mmm";
        var hours = Digits(line, ref position);
        if (hours.Length is 0 or > 8 || !Separator(line, ref position, ":"))
        {
            return false;
        }

        var minutes = Digits(line, ref position);
        if (minutes.Length != 2 || !Separator(line, ref position, ":"))
        {
            return false;
        }

        var seconds = Digits(line, ref position);
        if (seconds.Length != 2 || !Separator(line, ref position, ",."))
        {
            return false;
        }

        var milliseconds = Digits(line, ref position);
        if (milliseconds.Length != 3)
        {
            reason = "the milliseconds need exactly three digits";
            return false;
        }

        var (h, m, s, ms) = (long.Parse(hours, CultureInfo.InvariantCulture), int.Parse(minutes, CultureInfo.InvariantCulture),
            int.Parse(seconds, CultureInfo.InvariantCulture), int.Parse(milliseconds, CultureInfo.InvariantCulture));
        if (m > 59 || s > 59)
        {
            reason = "minutes and seconds must be at most 59";
            return false;
        }

        time = TimeSpan.FromTicks(((((h * 60) + m) * 60 + s) * 1000 + ms) * TimeSpan.TicksPerMillisecond);
        reason = "";
        return true;
    }

    private static string Digits(string line, ref int position)
    {
        var start = position;
        while (position < line.Length && char.IsAsciiDigit(line[position]))
        {
            position++;
        }

        return line[start..position];
    }

    private static bool Separator(string line, ref int position, string allowed)
    {
        if (position >= line.Length || !allowed.Contains(line[position], StringComparison.Ordinal))
        {
            return false;
        }

        position++;
        return true;
    }

    private static int SkipBlanks(string line, int position)
    {
        while (position < line.Length && char.IsWhiteSpace(line[position]))
        {
            position++;
        }

        return position;
    }
}
