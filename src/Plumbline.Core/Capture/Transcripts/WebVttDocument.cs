namespace Plumbline.Core.Capture.Transcripts;

/// <summary>WebVTT cue writing direction (the <c>vertical</c> setting; the VTTCue API spells them "", "rl", "lr").</summary>
public enum WebVttWritingDirection
{
    Horizontal,

    /// <summary><c>vertical:rl</c>.</summary>
    VerticalGrowingLeft,

    /// <summary><c>vertical:lr</c>.</summary>
    VerticalGrowingRight,
}

/// <summary>WebVTT cue line alignment (<c>line:N,start|center|end</c>).</summary>
public enum WebVttLineAlign
{
    Start,
    Center,
    End,
}

/// <summary>WebVTT cue position alignment (<c>position:N%,line-left|center|line-right</c>).</summary>
public enum WebVttPositionAlign
{
    Auto,
    LineLeft,
    Center,
    LineRight,
}

/// <summary>WebVTT cue text alignment (<c>align:</c>).</summary>
public enum WebVttTextAlign
{
    Start,
    Center,
    End,
    Left,
    Right,
}

/// <summary>WebVTT region scroll value (<c>scroll:up</c>, otherwise none; the VTTRegion API spells them "up" and "").</summary>
public enum WebVttScroll
{
    None,
    Up,
}

/// <summary>
/// A cue's settings after the spec's rules. <see cref="Line"/> and <see cref="Position"/> are null for "auto";
/// <see cref="Region"/> is the identifier of the region the cue is in (see <see cref="WebVttDocument.RegionOf"/>),
/// null when it is in none.
/// </summary>
public sealed record WebVttCueSettings(
    WebVttWritingDirection Vertical,
    double? Line,
    bool SnapToLines,
    WebVttLineAlign LineAlign,
    double? Position,
    WebVttPositionAlign PositionAlign,
    double Size,
    WebVttTextAlign Align,
    string? Region)
{
    /// <summary>The defaults the spec gives a new cue: horizontal, line auto, snap to lines, start, position auto, auto, size 100, center, no region.</summary>
    public static WebVttCueSettings Default { get; } = new(
        WebVttWritingDirection.Horizontal, null, true, WebVttLineAlign.Start, null, WebVttPositionAlign.Auto, 100, WebVttTextAlign.Center, null);
}

/// <summary>A region defined in a <c>REGION</c> block before the first cue. Widths, anchors and lines as the VTTRegion API gives them.</summary>
public sealed record WebVttRegion(
    string Id,
    double Width,
    double Lines,
    double RegionAnchorX,
    double RegionAnchorY,
    double ViewportAnchorX,
    double ViewportAnchorY,
    WebVttScroll Scroll)
{
    /// <summary>The defaults the spec gives a new region: no id, width 100, 3 lines, anchors (0,100), no scroll.</summary>
    public static WebVttRegion Default { get; } = new("", 100, 3, 0, 100, 0, 100, WebVttScroll.None);
}

/// <summary>
/// A WebVTT cue. <see cref="Text"/> is the raw cue text; <see cref="Speaker"/> and <see cref="SpokenText"/> are
/// what <see cref="SpeakerExtractor"/> finds in it. <see cref="Line"/> is the 1-based line the cue's block starts at
/// (its identifier, or its timing line when it has none).
/// </summary>
public sealed record WebVttCue(
    string Id,
    TimeSpan Start,
    TimeSpan End,
    string Text,
    WebVttCueSettings Settings,
    int Line,
    string? Speaker,
    string SpokenText);

/// <summary>
/// A parsed WebVTT file: the header block's text, the cues, the regions and style sheets (raw CSS) defined before the
/// first cue, and the blocks the parsing algorithm dropped (comments are not reported).
/// </summary>
public sealed record WebVttDocument(
    string Header,
    IReadOnlyList<WebVttCue> Cues,
    IReadOnlyList<WebVttRegion> Regions,
    IReadOnlyList<string> Stylesheets,
    IReadOnlyList<SkippedBlock> Skipped)
{
    /// <summary>The region a cue is in: the last region defined with the cue's region identifier, or null.</summary>
    public WebVttRegion? RegionOf(WebVttCue cue)
    {
        ArgumentNullException.ThrowIfNull(cue);
        return cue.Settings.Region is { } id ? Regions.LastOrDefault(r => r.Id == id) : null;
    }

    /// <summary>The cues as a format-neutral <see cref="Transcript"/>.</summary>
    public Transcript ToTranscript() => new(
        TranscriptFormat.WebVtt,
        Cues.Select((c, i) => new TranscriptCue(i, c.Id, c.Start, c.End, c.SpokenText, c.Speaker, c.Line, c.Text, c.Settings)).ToArray(),
        Skipped);
}
