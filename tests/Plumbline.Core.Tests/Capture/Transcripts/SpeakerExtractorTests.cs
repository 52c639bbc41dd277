using Plumbline.Core.Capture.Transcripts;

namespace Plumbline.Core.Tests.Capture.Transcripts;

public class SpeakerExtractorTests
{
    [Theory]
    [InlineData("<v Jane Doe>Hello there</v>", "Jane Doe", "Hello there")]
    [InlineData("<v.loud Jane>Stop!", "Jane", "Stop!")]
    [InlineData("<v.loud.angry   Jane \t Doe >Stop!</v>", "Jane Doe", "Stop!")]
    [InlineData("<v Tom &amp; Jerry>Hi</v>", "Tom & Jerry", "Hi")]
    [InlineData("<v>Nobody named</v>", null, "Nobody named")]
    [InlineData("<v Ann>Hi</v> <v Bob>Yo</v>", "Ann", "Hi <v Bob>Yo</v>")]
    [InlineData("<v Ann>Hi <i>there</i>\nsecond line</v>", "Ann", "Hi <i>there</i>\nsecond line")]
    [InlineData("<vx Ann>Hi", null, "<vx Ann>Hi")]
    [InlineData("<v Ann", null, "<v Ann")]
    [InlineData("Jane Doe: Hello", "Jane Doe", "Hello")]
    [InlineData("Dr. J. R. Smith-Jones: Hi", "Dr. J. R. Smith-Jones", "Hi")]
    [InlineData("Speaker 1: Testing", "Speaker 1", "Testing")]
    [InlineData("José Álvarez: ¡Hola!", "José Álvarez", "¡Hola!")]
    [InlineData("Jane Doe: line one\nline two", "Jane Doe", "line one\nline two")]
    [InlineData("One Two Three Four Five: too many words", null, "One Two Three Four Five: too many words")]
    [InlineData("Abcdefghijklmnopqrstuvwxyzabcdefghijklmno: 41 letters", null, "Abcdefghijklmnopqrstuvwxyzabcdefghijklmno: 41 letters")]
    [InlineData("Abcdefghijklmnopqrstuvwxyzabcdefghijklmn: 40 letters", "Abcdefghijklmnopqrstuvwxyzabcdefghijklmn", "40 letters")]
    [InlineData("Jane Doe:no space", null, "Jane Doe:no space")]
    [InlineData("Jane  Doe: two spaces", null, "Jane  Doe: two spaces")]
    [InlineData("10: numbered", null, "10: numbered")]
    [InlineData("See https://example.com: the page", null, "See https://example.com: the page")]
    [InlineData("Meet at 10:30 please", null, "Meet at 10:30 please")]
    [InlineData("  plain text  ", null, "plain text")]
    [InlineData("", null, "")]
    public void Extract_CueText_ReturnsSpeakerAndSpokenText(string text, string? speaker, string spoken)
    {
        Assert.Equal(new Utterance(speaker, spoken), SpeakerExtractor.Extract(text));
    }
}
