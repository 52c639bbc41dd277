namespace Plumbline.Core.Capture.Transcripts;

/// <summary>The transcript file formats Plumbline reads.</summary>
public enum TranscriptFormat
{
    /// <summary>WebVTT (<c>.vtt</c>), parsed with the W3C file parsing algorithm.</summary>
    WebVtt,

    /// <summary>SubRip (<c>.srt</c>), the de-facto format.</summary>
    Srt,
}

/// <summary>A block the parser dropped: the 1-based line it starts at (or of its broken timing line) and why.</summary>
public readonly record struct SkippedBlock(int Line, string Reason)
{
    public override string ToString() => $"line {Line}: {Reason}";
}

/// <summary>
/// One cue, whatever format it came from. <paramref name="Index"/> is its 0-based position among the cues;
/// <paramref name="Id"/> is the identifier written in the file (a WebVTT cue identifier, or the line before an SRT
/// timing line, normally its number), empty when there is none. <paramref name="Text"/> is what was said, without the
/// speaker's voice tag or name prefix; <paramref name="RawText"/> is the cue text as written. <paramref name="Line"/>
/// is the 1-based line the cue's block starts at. <paramref name="Settings"/> is set for WebVTT cues only.
/// </summary>
public sealed record TranscriptCue(
    int Index,
    string Id,
    TimeSpan Start,
    TimeSpan End,
    string Text,
    string? Speaker,
    int Line,
    string RawText,
    WebVttCueSettings? Settings = null);

/// <summary>A parsed transcript: its cues in file order and the blocks that were dropped.</summary>
public sealed record Transcript(TranscriptFormat Format, IReadOnlyList<TranscriptCue> Cues, IReadOnlyList<SkippedBlock> Skipped)
{
    /// <summary>Parses <paramref name="bytes"/> as <paramref name="format"/>; <paramref name="fileName"/> names the input in errors.</summary>
    public static Transcript Parse(TranscriptFormat format, byte[] bytes, string fileName) => format switch
    {
        TranscriptFormat.WebVtt => WebVttParser.Parse(bytes, fileName).ToTranscript(),
        TranscriptFormat.Srt => SrtParser.Parse(bytes, fileName).ToTranscript(),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "expected WebVtt or Srt"),
    };
}
