using System.Text;
using Plumbline.Core.Capture.Transcripts;

namespace Plumbline.Core.Tests.Capture.Transcripts;

public class SrtParserTests
{
    private const string Meeting = """
        1
        00:00:01,000 --> 00:00:03,500
        Jane Doe: Hello, everyone.

        2
        00:00:04,000 --> 00:00:06,250
        Raj Patel: Two lines
        of text.

        3
        00:00:06,250 --> 01:00:00,001
        [music]

        """;

    [Fact]
    public void Parse_WellFormed_ReturnsExactCues()
    {
        var document = SrtParser.Parse(Encoding.UTF8.GetBytes(Meeting), "meeting.srt");

        Assert.Equal(
            [
                new TranscriptCue(0, "1", TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(3500), "Hello, everyone.", "Jane Doe", 1, "Jane Doe: Hello, everyone."),
                new TranscriptCue(1, "2", TimeSpan.FromSeconds(4), TimeSpan.FromMilliseconds(6250), "Two lines\nof text.", "Raj Patel", 5, "Raj Patel: Two lines\nof text."),
                new TranscriptCue(2, "3", TimeSpan.FromMilliseconds(6250), new TimeSpan(0, 1, 0, 0, 1), "[music]", null, 10, "[music]"),
            ],
            document.Cues);
        Assert.Empty(document.Skipped);
    }

    [Fact]
    public void Parse_CrLfAndBom_SameCuesAsLf()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Meeting.Replace("\n", "\r\n", StringComparison.Ordinal))).ToArray();

        var document = SrtParser.Parse(bytes, "meeting.srt");

        Assert.Equal(SrtParser.Parse(Encoding.UTF8.GetBytes(Meeting), "meeting.srt").Cues, document.Cues);
    }

    [Fact]
    public void Parse_BrokenTimestamp_ReportedWithItsLineAndSkipped()
    {
        const string srt = """
            1
            00:00:01,000 --> 00:00:02,000
            First

            2
            00:00:0x,000 --> 00:00:04,000
            Broken

            3
            00:00:05,000 --> 00:00:06,00
            Short milliseconds

            4
            00:01:60,000 --> 00:02:00,000
            Sixty seconds

            5
            00:00:07,000 --> 00:00:08,000
            Last
            """;

        var document = SrtParser.Parse(Encoding.UTF8.GetBytes(srt), "broken.srt");

        Assert.Equal(["First", "Last"], document.Cues.Select(c => c.Text));
        Assert.Equal([0, 1], document.Cues.Select(c => c.Index));
        Assert.Equal([1, 17], document.Cues.Select(c => c.Line));
        Assert.Equal(
            [
                new SkippedBlock(6, "timing line malformed: start time: expected HH:MM:SS,mmm in \"00:00:0x,000 --> 00:00:04,000\""),
                new SkippedBlock(10, "timing line malformed: end time: the milliseconds need exactly three digits in \"00:00:05,000 --> 00:00:06,00\""),
                new SkippedBlock(14, "timing line malformed: start time: minutes and seconds must be at most 59 in \"00:01:60,000 --> 00:02:00,000\""),
            ],
            document.Skipped);
    }

    [Fact]
    public void Parse_MissingOrGarbageIndexAndDotSeparator_Tolerated()
    {
        const string srt = """
            00:00:01.000 --> 00:00:02.000
            No index

            cue-two
            00:00:03,000-->00:00:04,000 X1:100 X2:200 Y1:10 Y2:20
            Garbage index, no spaces round the arrow
            """;

        var document = SrtParser.Parse(Encoding.UTF8.GetBytes(srt), "loose.srt");

        Assert.Equal(["", "cue-two"], document.Cues.Select(c => c.Id));
        Assert.Equal(["No index", "Garbage index, no spaces round the arrow"], document.Cues.Select(c => c.Text));
        Assert.Equal(TimeSpan.FromSeconds(3), document.Cues[1].Start);
        Assert.Equal([1, 4], document.Cues.Select(c => c.Line));
        Assert.Empty(document.Skipped);
    }

    [Fact]
    public void Parse_NoBlankLineBetweenCues_SplitsAtTheNextIndexAndTimingLine()
    {
        const string srt = "1\n00:00:01,000 --> 00:00:02,000\nOne\n2\n00:00:03,000 --> 00:00:04,000\nTwo\n00:00:05,000 --> 00:00:06,000\nThree\n";

        var document = SrtParser.Parse(Encoding.UTF8.GetBytes(srt), "tight.srt");

        Assert.Equal(["One", "Two", "Three"], document.Cues.Select(c => c.Text));
        Assert.Equal(["1", "2", ""], document.Cues.Select(c => c.Id));
        Assert.Equal([1, 4, 7], document.Cues.Select(c => c.Line));
    }

    [Fact]
    public void Parse_TextBlockWithoutTiming_ReportedAndSkipped()
    {
        const string srt = "1\n00:00:01,000 --> 00:00:02,000\nBefore a blank line\n\nafter it\n\n2\n00:00:03,000 --> 00:00:04,000\nNext\n";

        var document = SrtParser.Parse(Encoding.UTF8.GetBytes(srt), "gap.srt");

        Assert.Equal(["Before a blank line", "Next"], document.Cues.Select(c => c.Text));
        Assert.Equal(
            [new SkippedBlock(5, "no timing line: expected 'HH:MM:SS,mmm --> HH:MM:SS,mmm' on the first or second line, found \"after it\"")],
            document.Skipped);
    }

    [Fact]
    public void Parse_OnlyBrokenCues_ReturnsNoCuesWithTheReasons()
    {
        var document = SrtParser.Parse(Encoding.UTF8.GetBytes("1\n00:00:01 --> 00:00:02\nNo milliseconds\n"), "broken.srt");

        Assert.Empty(document.Cues);
        Assert.Equal([new SkippedBlock(2, "timing line malformed: start time: expected HH:MM:SS,mmm in \"00:00:01 --> 00:00:02\"")], document.Skipped);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n  \n")]
    [InlineData("Just some notes\nabout the meeting\n")]
    [InlineData("WEBVTT\n\nNOTE nothing here\n")]
    public void Parse_NothingRecognisable_ThrowsBadInputNamingTheFile(string text)
    {
        var error = Assert.Throws<PlumblineException>(() => SrtParser.Parse(Encoding.UTF8.GetBytes(text), "notes.srt"));

        Assert.Equal(FailureKind.BadInput, error.Kind);
        Assert.Equal("notes.srt: line 1: not a SubRip (SRT) file (no cue with an 'HH:MM:SS,mmm --> HH:MM:SS,mmm' timing line)", error.Message);
    }

    [Fact]
    public void Transcript_ParseSrt_SameCuesAsTheSrtDocument()
    {
        var bytes = Encoding.UTF8.GetBytes(Meeting);

        var transcript = Transcript.Parse(TranscriptFormat.Srt, bytes, "meeting.srt");

        Assert.Equal(TranscriptFormat.Srt, transcript.Format);
        Assert.Equal(SrtParser.Parse(bytes, "meeting.srt").Cues, transcript.Cues);
        Assert.All(transcript.Cues, c => Assert.Null(c.Settings));
    }
}
