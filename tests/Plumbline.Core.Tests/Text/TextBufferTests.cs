using Plumbline.Core.Text;

namespace Plumbline.Core.Tests.Text;

public class TextBufferTests
{
    [Fact]
    public void Apply_TypingThenBackspace_GivesExpectedText()
    {
        var text = new TextBuffer();
        foreach (var (c, i) in "hello".Select((c, i) => (c, i)))
        {
            text.Apply(new Patch(i, 0, c.ToString()));
        }

        text.Apply(new Patch(4, 1, ""));
        text.Apply(new Patch(0, 1, "J"));

        Assert.Equal("Jell", text.ToString());
        Assert.Equal(4, text.Length);
    }

    [Fact]
    public void Apply_PositionsCountCodePoints_NotUtf16Units()
    {
        var text = new TextBuffer("a😀b");

        Assert.Equal(3, text.Length);
        text.Apply(new Patch(2, 1, "🎉c"));
        text.Apply(new Patch(1, 1, ""));

        Assert.Equal("a🎉c", text.ToString());
        Assert.Equal(3, text.Length);
        Assert.Equal("🎉", text.Substring(1, 1));
    }

    [Fact]
    public void Apply_PositionPastEnd_IsRejectedNotClamped()
    {
        var text = new TextBuffer("abc");

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => text.Apply(new Patch(4, 0, "x")));

        Assert.StartsWith("position 4 is past the end of the document (length 3)", error.Message, StringComparison.Ordinal);
        Assert.Equal("abc", text.ToString());
    }

    [Fact]
    public void Check_DeleteRunningPastEnd_NamesTheProblem()
    {
        var text = new TextBuffer("abc");

        Assert.Equal("deleting 2 at position 2 runs past the end of the document (length 3)", text.Check(new Patch(2, 2, "")));
        Assert.Null(text.Check(new Patch(3, 0, "x")));
    }

    [Fact]
    public void Apply_ManyEditsAcrossGrowth_MatchesStringReference()
    {
        var random = new Random(7);
        var text = new TextBuffer();
        var reference = "";
        for (var i = 0; i < 5000; i++)
        {
            var position = random.Next(reference.Length + 1);
            var delete = random.Next(Math.Min(3, reference.Length - position) + 1);
            var insert = new string((char)('a' + random.Next(26)), random.Next(4));
            text.Apply(new Patch(position, delete, insert));
            reference = reference.Remove(position, delete).Insert(position, insert);
        }

        Assert.Equal(reference, text.ToString());
    }

    [Fact]
    public void Fill_ReplacesRangeKeepingLength()
    {
        var text = new TextBuffer("secret text");

        text.Fill(0, 6, 0x2591);

        Assert.Equal("░░░░░░ text", text.ToString());
    }
}
