using System.Text;
using Plumbline.Core.Capture.Transcripts;

namespace Plumbline.Core.Tests.Capture.Transcripts;

public class WebVttParserTests
{
    [Theory]
    [InlineData("")]
    [InlineData("WEBVT")]
    [InlineData("webvtt\n\n00:01.000 --> 00:02.000\nhi")]
    [InlineData("WEBVTTX\n")]
    [InlineData("WEBVTT-\n")]
    [InlineData("\nWEBVTT\n")]
    [InlineData("1\n00:00:01,000 --> 00:00:02,000\nan SRT file\n")]
    public void Parse_WithoutSignature_ThrowsBadInputNamingFileAndLine(string text)
    {
        var error = Assert.Throws<PlumblineException>(() => WebVttParser.Parse(Encoding.UTF8.GetBytes(text), "talk.vtt"));

        Assert.Equal(FailureKind.BadInput, error.Kind);
        Assert.Equal(
            "talk.vtt: line 1: not a WebVTT file (the first line must be WEBVTT, optionally followed by a space or tab and text)",
            error.Message);
    }

    [Theory]
    [InlineData("WEBVTT")]
    [InlineData("WEBVTT\n")]
    [InlineData("WEBVTT - a title\n\n")]
    [InlineData("WEBVTT\tKind: captions\nLanguage: en\n")]
    [InlineData("\uFEFFWEBVTT\n")]
    public void Parse_SignatureOnly_ReturnsNoCuesAndNothingSkipped(string text)
    {
        var document = WebVttParser.Parse(Encoding.UTF8.GetBytes(text), "empty.vtt");

        Assert.Empty(document.Cues);
        Assert.Empty(document.Skipped);
    }

    [Fact]
    public void Parse_DroppedBlocks_AreReportedWithTheirLineAndReason()
    {
        const string vtt = """
            WEBVTT
            Kind: captions

            intro
            00:00:01.000 --> 00:00:02.000
            Hello

            00:00:03.000 --> 00:00:4.000
            Lost

            NOTE a comment is not reported

            just some text
            with no timing

            00:00:05.000 --> 00:00:06.000 align:start
            Bye

            STYLE
            ::cue { color: red }

            00:00:07.000 -> 00:00:08.000
            arrow too short
            """;

        var document = WebVttParser.Parse(Encoding.UTF8.GetBytes(vtt), "talk.vtt");

        Assert.Equal("Kind: captions", document.Header);
        Assert.Equal(["intro", ""], document.Cues.Select(c => c.Id));
        Assert.Equal([4, 16], document.Cues.Select(c => c.Line));
        Assert.Equal(["Hello", "Bye"], document.Cues.Select(c => c.Text));
        Assert.Equal(WebVttTextAlign.Start, document.Cues[1].Settings.Align);
        Assert.Equal(
            [
                new SkippedBlock(8, "timing line malformed: end time: minutes and seconds need exactly two digits in \"00:00:03.000 --> 00:00:4.000\""),
                new SkippedBlock(13, "no timing line: a cue needs 'START --> END' on its first or second line, found \"just some text\""),
                new SkippedBlock(19, "STYLE block after the first cue is ignored (allowed only before it)"),
                new SkippedBlock(22, "no timing line: a cue needs 'START --> END' on its first or second line, found \"00:00:07.000 -> 00:00:08.000\""),
            ],
            document.Skipped);
        Assert.Empty(document.Stylesheets);
    }

    [Theory]
    [InlineData("00:00:00.000 -a --> 00:00:01.000", "expected '-->' after the start time")]
    [InlineData("00:00.0000 --> 00:00:01.000", "start time: the milliseconds need exactly three digits")]
    [InlineData("00:60.000 --> 00:01:00.000", "start time: minutes and seconds must be at most 59")]
    [InlineData("0:00.000 --> 00:01.000", "start time: expected ':' and the seconds after 0:00 (a first field of 0 is hours)")]
    [InlineData("00:00:00,000 --> 00:00:01,000", "start time: expected '.' and three digits of milliseconds after the seconds")]
    [InlineData("--> 00:00:01.000", "start time: expected a timestamp ([hours:]MM:SS.mmm)")]
    [InlineData("00:00:00.000 -->", "end time: expected a timestamp ([hours:]MM:SS.mmm)")]
    [InlineData("123456789:00:00.000 --> 00:00:01.000", "start time: hours beyond 99999999 are not supported")]
    public void Parse_MalformedTimingLine_ReportsWhy(string timingLine, string reason)
    {
        var document = WebVttParser.Parse(Encoding.UTF8.GetBytes($"WEBVTT\n\n{timingLine}\ntext\n"), "t.vtt");

        Assert.Empty(document.Cues);
        var skipped = Assert.Single(document.Skipped);
        Assert.Equal(3, skipped.Line);
        Assert.Equal($"timing line malformed: {reason} in \"{timingLine}\"", skipped.Reason);
    }

    [Fact]
    public void Parse_BomCrLfAndNull_DecodedAsTheSpecSays()
    {
        var bytes = Encoding.UTF8.GetPreamble()
            .Concat(Encoding.UTF8.GetBytes("WEBVTT\r\n\r\n00:00.000 --> 01:02:03.045\r\nA\0B\rsecond line 😀\r\n"))
            .Concat(new byte[] { 0xFF, (byte)'!' })
            .ToArray();

        var cue = Assert.Single(WebVttParser.Parse(bytes, "crlf.vtt").Cues);

        Assert.Equal(TimeSpan.Zero, cue.Start);
        Assert.Equal(new TimeSpan(0, 1, 2, 3, 45), cue.End);
        Assert.Equal("A\uFFFDB\nsecond line 😀\n\uFFFD!", cue.Text);
        Assert.Equal(3, cue.Line);
        Assert.Equal(WebVttCueSettings.Default, cue.Settings);
    }

    [Fact]
    public void Parse_TeamsTranscript_ExtractsVoiceSpans()
    {
        const string vtt = """
            WEBVTT

            b3f1c2d4-1/12-0
            00:00:01.250 --> 00:00:04.000
            <v Jane Doe>Good morning, everyone.</v>

            b3f1c2d4-1/13-0
            00:00:04.500 --> 00:00:07.120
            <v Raj Patel>Morning! Shall we start
            with the roadmap?</v>

            b3f1c2d4-1/14-0
            00:00:07.500 --> 00:00:09.000
            <v Jane Doe>Yes.</v>
            """;

        var document = WebVttParser.Parse(Encoding.UTF8.GetBytes(vtt), "teams.vtt");

        Assert.Equal(["b3f1c2d4-1/12-0", "b3f1c2d4-1/13-0", "b3f1c2d4-1/14-0"], document.Cues.Select(c => c.Id));
        Assert.Equal(["Jane Doe", "Raj Patel", "Jane Doe"], document.Cues.Select(c => c.Speaker));
        Assert.Equal(
            ["Good morning, everyone.", "Morning! Shall we start\nwith the roadmap?", "Yes."],
            document.Cues.Select(c => c.SpokenText));
        Assert.Equal("<v Jane Doe>Good morning, everyone.</v>", document.Cues[0].Text);
        Assert.Equal(TimeSpan.FromMilliseconds(1250), document.Cues[0].Start);
        Assert.Equal(TimeSpan.FromMilliseconds(7120), document.Cues[1].End);
    }

    [Fact]
    public void Parse_ZoomTranscript_ExtractsNamePrefixes()
    {
        const string vtt = """
            WEBVTT

            1
            00:00:00.510 --> 00:00:03.960
            Jane Doe: Okay, can everyone hear me?

            2
            00:00:04.380 --> 00:00:06.020
            María-José O'Neil: Yes, loud and clear.

            3
            00:00:06.500 --> 00:00:08.000
            The recording has started.
            """;

        var transcript = Transcript.Parse(TranscriptFormat.WebVtt, Encoding.UTF8.GetBytes(vtt), "zoom.vtt");

        Assert.Equal(TranscriptFormat.WebVtt, transcript.Format);
        Assert.Equal([0, 1, 2], transcript.Cues.Select(c => c.Index));
        Assert.Equal(["1", "2", "3"], transcript.Cues.Select(c => c.Id));
        Assert.Equal(["Jane Doe", "María-José O'Neil", null], transcript.Cues.Select(c => c.Speaker));
        Assert.Equal(["Okay, can everyone hear me?", "Yes, loud and clear.", "The recording has started."], transcript.Cues.Select(c => c.Text));
        Assert.Equal("Jane Doe: Okay, can everyone hear me?", transcript.Cues[0].RawText);
        Assert.Equal([3, 7, 11], transcript.Cues.Select(c => c.Line));
        Assert.All(transcript.Cues, c => Assert.Equal(WebVttCueSettings.Default, c.Settings));
        Assert.Empty(transcript.Skipped);
    }

    [Fact]
    public void Parse_RegionsAndStyles_KeptWhenBeforeTheFirstCue()
    {
        const string vtt = """
            WEBVTT

            STYLE
            ::cue { color: yellow }

            REGION
            id:left width:40% lines:2 regionanchor:0%,100% viewportanchor:10%,90% scroll:up

            00:00.000 --> 00:01.000 region:left position:10%,line-left
            In the region

            00:01.000 --> 00:02.000 region:left size:50%
            Sized out of it
            """;

        var document = WebVttParser.Parse(Encoding.UTF8.GetBytes(vtt), "regions.vtt");

        Assert.Equal(["::cue { color: yellow }"], document.Stylesheets);
        Assert.Equal([new WebVttRegion("left", 40, 2, 0, 100, 10, 90, WebVttScroll.Up)], document.Regions);
        Assert.Same(document.Regions[0], document.RegionOf(document.Cues[0]));
        Assert.Equal(10, document.Cues[0].Settings.Position);
        Assert.Equal(WebVttPositionAlign.LineLeft, document.Cues[0].Settings.PositionAlign);
        Assert.Null(document.RegionOf(document.Cues[1]));
        Assert.Equal(50, document.Cues[1].Settings.Size);
    }
}
