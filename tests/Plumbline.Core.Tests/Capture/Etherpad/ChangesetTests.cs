using Plumbline.Core.Capture.Etherpad;
using Plumbline.Core.Text;

namespace Plumbline.Core.Tests.Capture.Etherpad;

public class ChangesetTests
{
    // Changesets and expected texts from Etherpad's own tests (ether/etherpad-lite,
    // src/tests/frontend/specs/easysync-mutations.js and easysync-other.js).
    public static TheoryData<string, string, string> EtherpadExamples => new()
    {
        // runMutateAttributionTest#5, "based on runMutationTest#1"
        {
            "Z:11>7-2*t+1*u+1|2=b|2+a=2*b+1*o+1*t+1*0|1+1*b+1*u+1=3|1-3-6$tucream\npie\nbot\nbu",
            "apple\nbanana\ncabbage\nduffle\neggplant\n",
            "tuple\nbanana\ncream\npie\ncabot\nbubba\neggplant\n"
        },
        // runMutateAttributionTest#6, "based on runMutationTest#3"
        { "Z:11<f|1-6|2=f=6|1-1-8$", "apple\nbanana\ncabbage\nduffle\neggplant\n", "banana\ncabbage\nduffle\n" },
        // runMutateAttributionTest#7..#9, based on runMutationTest#4..#6
        { "Z:3>7=1|4+7$\n2\n3\n4\n", "15\n", "1\n2\n3\n4\n5\n" },
        { "Z:a<7=1|4-7$", "1\n2\n3\n4\n5\n", "15\n" },
        { "Z:k<7*0+1*10|2=8|2-8$0", "123\nabc\ndef\nghi\nxyz\n", "0123\nabc\nxyz\n" },
        // testMutateTextLines#1 and #2
        { "Z:4<1|1-2-1|1+1+1$\nc", "a\nb\n", "\nc\n" },
        { "Z:4>0|1-2-1|2+3$\nc\n", "a\nb\n", "\nc\n\n" },
        // applyToAttribution#1: c<b>a</b>ctus\n -> a<b>c</b>tusabcd\n; #2: bold over "david\ngreen"
        { "Z:7>3-1*0=1*1=1=3+4$abcd", "cactus\n", "actusabcd\n" },
        { "Z:g<4*1|1=6*1=5-4$", "david\ngreenspan\n", "david\ngreen\n" },
        // runMutateAttributionTest#4: a character on line 3 of five blank lines
        { "Z:5>1|2=2+1$x", "\n\n\n\n\n", "\n\nx\n\n\n" },
        // runMutateAttributionTest#10 and #11
        { "Z:6>4=1+1=1+1|1=1+1=1*0+1$abcd", "ab\ncd\n", "aabb\nccdd\n" },
        { "Z:s>1|1=4=6|1+1$\n", "abc\nabcdefg\nabcde\n\nabcd\n\n\n\n\n", "abc\nabcdef\ng\nabcde\n\nabcd\n\n\n\n\n" },
        // testMoveOpsToNewPool
        { "Z:1>2*1+1*0+1$ab", "\n", "ab\n" },
    };

    [Theory]
    [MemberData(nameof(EtherpadExamples))]
    public void Apply_EtherpadTestSuiteChangeset_ProducesTheirExpectedText(string changeset, string before, string after)
    {
        var patches = new List<Patch>();

        var result = Changeset.Parse(changeset).Apply(before, patches);

        Assert.Equal(after, result);
        Assert.Equal(after, Replay(before, patches));
    }

    [Fact]
    public void Apply_EtherpadToSplicesExample_GivesTheirSplicesAsSequentialPatches()
    {
        // testToSplices: splices [5, 8, "123456789"] and [9, 17, "abcdefghijk"] in old-text positions; as
        // sequential patches the second one moves by the first one's growth (+6).
        var cs = Changeset.Parse("Z:z>9*0=1=4-3+9=1|1-4-4+1*0+a$123456789abcdefghijk");
        var patches = new List<Patch>();

        var result = cs.Apply("01234567890\nabcdefghijklmnopqrstuvw", patches);

        Assert.Equal([new Patch(5, 3, "123456789"), new Patch(15, 8, "abcdefghijk")], patches);
        Assert.Equal("012341234567898abcdefghijkfghijklmnopqrstuvw", result);
    }

    [Theory]
    [InlineData("Z:c>0|1=4=1*0=1$")]
    [InlineData("Z:c>0*0|3=c$")]
    public void Apply_AttributeOnlyChangeset_LeavesTextAndGivesNoPatches(string changeset)
    {
        var patches = new List<Patch>();

        var result = Changeset.Parse(changeset).Apply("123\n456\n789\n", patches);

        Assert.Equal("123\n456\n789\n", result);
        Assert.Empty(patches);
    }

    [Theory]
    [InlineData("Z:5>1=1-2+3$xyz")]
    [InlineData("Z:5>1=1+3-2$xyz")]
    public void Apply_DeleteAndInsertAtOneSpot_GiveOnePatch(string changeset)
    {
        var patches = new List<Patch>();

        var result = Changeset.Parse(changeset).Apply("abcd\n", patches);

        Assert.Equal("axyzd\n", result);
        Assert.Equal([new Patch(1, 2, "xyz")], patches);
    }

    [Fact]
    public void Parse_HeaderAndOps_ReadsBase36Numbers()
    {
        var cs = Changeset.Parse("Z:z>9*0=1=4-3+9=1|1-4-4+1*0+a$123456789abcdefghijk");

        Assert.Equal(35, cs.OldLength);
        Assert.Equal(44, cs.NewLength);
        Assert.Equal("123456789abcdefghijk", cs.CharBank);
        Assert.Equal(
            ["*0=1", "=4", "-3", "+9", "=1", "|1-4", "-4", "+1", "*0+a"],
            cs.Ops.Select(o => o.Source));
        Assert.Equal(new ChangesetOp('+', 10, 0, "*0", "*0+a", 25), cs.Ops[^1]);
    }

    [Fact]
    public void Apply_EmojiBeforeTheEdit_CountsItAsOneCodePoint()
    {
        var patches = new List<Patch>();

        var result = Changeset.Parse("Z:6>1=5+1$x").Apply("😀a😀\n", patches);

        Assert.Equal("😀a😀x\n", result);
        Assert.Equal([new Patch(3, 0, "x")], patches);
    }

    [Fact]
    public void Apply_DeleteOfHalfASurrogatePair_WidensThePatchToTheWholePair()
    {
        var patches = new List<Patch>();

        var result = Changeset.Parse("Z:5<1=2-1$").Apply("a😀b\n", patches);

        Assert.Equal("a\uD83Db\n", result);
        Assert.Equal([new Patch(1, 1, "\uD83D")], patches);
        Assert.Equal(result, Replay("a😀b\n", patches));
    }

    [Fact]
    public void Apply_InsertInsideASurrogatePair_WidensThePatchOnBothSides()
    {
        var patches = new List<Patch>();

        var result = Changeset.Parse("Z:4>1=2+1$x").Apply("a😀\n", patches);

        Assert.Equal("a\uD83Dx\uDE00\n", result);
        Assert.Equal([new Patch(1, 1, "\uD83Dx\uDE00")], patches);
        Assert.Equal(result, Replay("a😀\n", patches));
    }

    [Fact]
    public void Apply_InsertCompletingALoneHighSurrogate_GivesOneCodePoint()
    {
        var patches = new List<Patch>();

        var result = Changeset.Parse("Z:3>1=2+1$\uDE00").Apply("a\uD83D\n", patches);

        Assert.Equal("a😀\n", result);
        Assert.Equal([new Patch(1, 1, "😀")], patches);
        Assert.Equal(result, Replay("a\uD83D\n", patches));
    }

    [Theory]
    [InlineData("X:1>1+1$a", "does not start with \"Z:\"")]
    [InlineData("Z:>1+1$a", "expected the Z: old length (base 36) at offset 2")]
    [InlineData("Z:1=1+1$a", "expected '>' or '<' after the Z: old length at offset 3")]
    [InlineData("Z:1<2-1$", "Z: old length 1 < change 2 gives the impossible new length -1")]
    [InlineData("Z:1>1*0?1$a", "unknown opcode '?' at offset 7")]
    [InlineData("Z:1>1*0$a", "operation at offset 5 ends without an opcode")]
    [InlineData("Z:1>1*+1$a", "expected an attribute number (base 36) at offset 6")]
    [InlineData("Z:1>1+A$a", "expected the count of '+' (base 36) at offset 6")]
    [InlineData("Z:1>0=2$", "'=2' at offset 5 runs past the end of the text (old length 1)")]
    [InlineData("Z:1<1-2$", "'-2' at offset 5 runs past the end of the text (old length 1)")]
    [InlineData("Z:1>3+3$ab", "char bank too short: '+3' at offset 5 needs 3 characters, 2 are left")]
    [InlineData("Z:1>1+1$ab", "char bank has 1 character more than the inserts take")]
    [InlineData("Z:1>2+1$a", "Z: new length 3 does not match the length the operations produce (2)")]
    [InlineData("Z:1>2+2$a\n", "'+2' at offset 5 inserts 1 newline, but its |L says 0")]
    [InlineData("Z:1>1|2+1$a", "'|2+1' at offset 5 claims 2 newlines in 1 characters")]
    [InlineData("Z:1>1+zzzzzzz$a", "the count of '+' at offset 6 is too large")]
    public void Parse_MalformedChangeset_SaysWhatIsWrong(string changeset, string message)
    {
        var e = Assert.Throws<FormatException>(() => Changeset.Parse(changeset));

        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("Z:5>1+1$b", "ab", "Z: old length 5 does not match the text length 2")]
    [InlineData("Z:4>0|2=2$", "a\nb\n", "'|2=2' at offset 5 keeps 1 newline, but its |L says 2")]
    [InlineData("Z:4<2=1-2$", "a\nb\n", "'-2' at offset 7 deletes 1 newline, but its |L says 0")]
    public void Apply_ChangesetNotFittingTheText_SaysWhatIsWrong(string changeset, string text, string message)
    {
        var cs = Changeset.Parse(changeset);

        var e = Assert.Throws<FormatException>(() => cs.Apply(text));

        Assert.Equal(message, e.Message);
    }

    private static string Replay(string start, List<Patch> patches)
    {
        var buffer = new TextBuffer(start);
        foreach (var patch in patches)
        {
            buffer.Apply(patch);
        }

        return buffer.ToString();
    }
}
