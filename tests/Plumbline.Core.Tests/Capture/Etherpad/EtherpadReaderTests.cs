using System.Text;
using Plumbline.Core.Capture;
using Plumbline.Core.Capture.Etherpad;
using Plumbline.Core.Text;
using Xunit.Abstractions;

namespace Plumbline.Core.Tests.Capture.Etherpad;

public class EtherpadReaderTests(ITestOutputHelper output)
{
    private const string RealPadId = "Pd4b1Kgvv9qHZZtj8yzl";
    private const string RealAuthor = "a.ElbBWNTxmtRrfFqn";

    private const string Welcome =
        "Welcome to Etherpad!\n\nThis pad text is synchronized as you type, so that everyone viewing this page sees the " +
        "same text. This allows you to collaborate seamlessly on documents!\n\nGet involved with Etherpad at " +
        "https://etherpad.org\n\nWarning: DirtyDB is used. This is fine for testing but not recommended for production. " +
        "-- To suppress these warning messages change suppressErrorsInPadText to true in your settings.json\n";

    [Fact]
    public void Parse_RealExport_ReplaysToHeadText()
    {
        if (RealExport() is not { } bytes)
        {
            return;
        }

        var pad = EtherpadReader.Parse(bytes, "test.etherpad", fallbackTime: 0);

        Assert.Equal(RealPadId, pad.PadId);
        Assert.Equal("\n", pad.StartContent);
        Assert.Equal("*hello\n", pad.EndContent);
        Assert.Equal(7, pad.EndContent.Length);
        Assert.Equal(6, pad.Transactions.Count);
        Assert.Equal(415, Welcome.Length);
        Assert.Equal(
            [
                new Patch[] { new(0, 0, Welcome) },
                [new(0, 415, "")],
                [new(0, 0, "*")],
                [],
                [new(1, 0, "he")],
                [new(3, 0, "llo")],
            ],
            pad.Transactions.Select(t => t.Patches));
        Assert.Equal(
            [1595111092400, 1595111112138, 1595111119434, 1595111127471, 1595111128230, 1595111128727],
            pad.Transactions.Select(t => t.Time));
        Assert.Equal([null, RealAuthor, RealAuthor, RealAuthor, RealAuthor, RealAuthor], pad.Transactions.Select(t => t.Author));
        Assert.Equal(new Dictionary<string, string?> { [RealAuthor] = null }, pad.Authors);
    }

    [Fact]
    public void Parse_RealExport_TransactionsReplayEachIntermediateText()
    {
        if (RealExport() is not { } bytes)
        {
            return;
        }

        var pad = EtherpadReader.Parse(bytes, "test.etherpad", fallbackTime: 0);

        var texts = Replay(pad);
        Assert.Equal(416, texts[0].Length);
        Assert.Equal(Welcome + "\n", texts[0]);
        Assert.Equal("\n", texts[1]);
        Assert.Equal("*\n", texts[2]);
        Assert.Equal("*\n", texts[3]);
        Assert.Equal("*he\n", texts[4]);
        Assert.Equal("*hello\n", texts[5]);
    }

    [Fact]
    public void Parse_EmojiBeforeEdits_GivesCodePointPositions()
    {
        // Hand-made: 😀 and 🎉 are two UTF-16 units each, so Etherpad's positions differ from ours.
        const string export = """
            {
              "pad:emoji": {"atext": {"text": "a🎉😀!bd\n", "attribs": ""}, "pool": {"numToAttrib": {}, "nextNum": 0}, "head": 4},
              "globalAuthor:a.alice": {"colorId": 1, "name": "Alice", "padIDs": "emoji"},
              "globalAuthor:a.bob": {"colorId": 2, "name": null, "padIDs": "emoji"},
              "pad:emoji:revs:0": {"changeset": "Z:1>6+6$😀abcd", "meta": {"author": "a.alice", "timestamp": 1000}},
              "pad:emoji:revs:1": {"changeset": "Z:7>1=3+1$X", "meta": {"author": "a.bob", "timestamp": 2000}},
              "pad:emoji:revs:2": {"changeset": "Z:8>1=3-1+3=1-1$🎉!", "meta": {"author": "a.alice", "timestamp": 3000}},
              "pad:emoji:revs:3": {"changeset": "Z:9<2-2$", "meta": {"author": ""}},
              "pad:emoji:revs:4": {"changeset": "Z:7>2=3+2$😀", "meta": {"author": "a.bob", "timestamp": 5000}}
            }
            """;

        var pad = EtherpadReader.Parse(Encoding.UTF8.GetBytes(export), "emoji.etherpad", fallbackTime: 4000);

        Assert.Equal(
            [
                new Patch[] { new(0, 0, "😀abcd") },
                [new(2, 0, "X")],
                [new(2, 1, "🎉!"), new(5, 1, "")],
                [new(0, 1, "")],
                [new(2, 0, "😀")],
            ],
            pad.Transactions.Select(t => t.Patches));
        Assert.Equal([1000, 2000, 3000, 4000, 5000], pad.Transactions.Select(t => t.Time));
        Assert.Equal(["a.alice", "a.bob", "a.alice", null, "a.bob"], pad.Transactions.Select(t => t.Author));
        Assert.Equal(new Dictionary<string, string?> { ["a.alice"] = "Alice", ["a.bob"] = null }, pad.Authors);
        Assert.Equal(["😀abcd\n", "😀aXbcd\n", "😀a🎉!bd\n", "a🎉!bd\n", "a🎉😀!bd\n"], Replay(pad));
        Assert.Equal("a🎉😀!bd\n", pad.EndContent);
    }

    [Fact]
    public void Parse_RevisionAuthorWithoutGlobalAuthorRecord_ListsItWithoutName()
    {
        var bytes = new ExportBuilder("X").Rev("Z:1>1+1$a", author: "a.ghost").Build("a\n");

        var pad = EtherpadReader.Parse(bytes, "x.etherpad", 0);

        Assert.Equal(new Dictionary<string, string?> { ["a.ghost"] = null }, pad.Authors);
    }

    [Fact]
    public void Parse_FileWithByteOrderMark_ReadsIt()
    {
        var bytes = new ExportBuilder("X").Rev("Z:1>1+1$a").Build("a\n");

        var pad = EtherpadReader.Parse([0xEF, 0xBB, 0xBF, .. bytes], "x.etherpad", 0);

        Assert.Equal([new Patch(0, 0, "a")], pad.Transactions.Single().Patches);
    }

    [Fact]
    public void Parse_SeveralPadsAndAPadId_ReadsThatPad()
    {
        var bytes = new ExportBuilder("B").Rev("Z:1>1+1$b").Build("b\n");
        var both = Merge(new ExportBuilder("A").Rev("Z:1>1+1$a").Build("a\n"), bytes);

        var pad = EtherpadReader.Parse(both, "two.etherpad", 0, padId: "B");

        Assert.Equal("B", pad.PadId);
        Assert.Equal("b\n", pad.EndContent);
    }

    [Fact]
    public void Parse_SeveralPadsWithoutAPadId_IsBadInput()
    {
        var both = Merge(new ExportBuilder("A").Rev("Z:1>1+1$a").Build("a\n"), new ExportBuilder("B").Rev("Z:1>1+1$b").Build("b\n"));

        AssertBadInput("two.etherpad: the file holds 2 pads (A, B); name the one to import", () => EtherpadReader.Parse(both, "two.etherpad", 0));
        AssertBadInput("two.etherpad: no record \"pad:C\" (the file holds A, B)", () => EtherpadReader.Parse(both, "two.etherpad", 0, padId: "C"));
    }

    public static TheoryData<string, string> BadChangesets => new()
    {
        { "Z:5>1+1$b", "x.etherpad: pad:X:revs:1.changeset: Z: old length 5 does not match the text length 2 at revision 1" },
        { "Z:2>3+3$bc", "x.etherpad: pad:X:revs:1.changeset: char bank too short: '+3' at offset 5 needs 3 characters, 2 are left at revision 1" },
        { "Z:2>0=3$", "x.etherpad: pad:X:revs:1.changeset: '=3' at offset 5 runs past the end of the text (old length 2) at revision 1" },
        { "Z:2>1=1?1$b", "x.etherpad: pad:X:revs:1.changeset: unknown opcode '?' at offset 7 at revision 1" },
    };

    [Theory]
    [MemberData(nameof(BadChangesets))]
    public void Parse_MalformedChangeset_NamesFileRecordAndRevision(string changeset, string message)
    {
        var bytes = new ExportBuilder("X").Rev("Z:1>1+1$a").Rev(changeset).Build("ab\n");

        AssertBadInput(message, () => EtherpadReader.Parse(bytes, "x.etherpad", 0));
    }

    [Fact]
    public void Parse_MissingRevision_NamesIt()
    {
        var bytes = new ExportBuilder("X").Rev("Z:1>1+1$a").Rev("Z:2>1+1$b").Build("ba\n", head: 2);

        AssertBadInput(
            "x.etherpad: pad:X:revs:2: missing (the pad's head is 2, so revisions 0 to 2 are expected)",
            () => EtherpadReader.Parse(bytes, "x.etherpad", 0));
    }

    [Fact]
    public void Parse_ReplayNotReachingHeadText_IsBadInput()
    {
        var bytes = new ExportBuilder("X").Rev("Z:1>2+2$ab").Build("ax\n");

        AssertBadInput(
            "x.etherpad: pad:X.atext.text: the revisions replay to a different text (3 code points) than the head text (3 code points), first differing at code point 1",
            () => EtherpadReader.Parse(bytes, "x.etherpad", 0));
    }

    [Fact]
    public void Parse_MalformedJson_NamesLineAndByte()
    {
        var bytes = Encoding.UTF8.GetBytes("{\n  \"pad:X\": {\"head\": 0,}\n}");

        AssertBadInput("x.etherpad: line 2, byte 23: malformed JSON (The JSON object contains a trailing comma at the end which is not supported in this mode)", () => EtherpadReader.Parse(bytes, "x.etherpad", 0));
    }

    [Theory]
    [InlineData("""{"pad:X": {"atext": {"text": "\n"}, "head": "0"}}""", "x.etherpad: pad:X.head: expected the head revision as a non-negative integer, found a string")]
    [InlineData("""{"pad:X": {"atext": {"text": "\n"}, "head": -1}}""", "x.etherpad: pad:X.head: expected the head revision as a non-negative integer, found the number -1")]
    [InlineData("""{"pad:X": {"head": 0}}""", "x.etherpad: pad:X.atext: missing")]
    [InlineData("""{"pad:X": {"atext": {"text": 5}, "head": 0}}""", "x.etherpad: pad:X.atext.text: expected a string, found the number 5")]
    [InlineData("""[]""", "x.etherpad: $: expected an object of records, found an array")]
    [InlineData("""{"globalAuthor:a.x": {"name": null}}""", "x.etherpad: no pad record (a \"pad:ID\" key) in the file")]
    [InlineData("""{"pad:X": {"atext": {"text": "\n"}, "head": 0}, "pad:X:revs:0": {"meta": {}}}""", "x.etherpad: pad:X:revs:0.changeset: missing")]
    [InlineData("""{"pad:X": {"atext": {"text": "\n"}, "head": 0}, "pad:X:revs:01": {}}""", "x.etherpad: pad:X:revs:01: '01' is not a revision number")]
    [InlineData("""{"pad:X": {"atext": {"text": "\n"}, "head": 0}, "pad:X:revs:1": {}}""", "x.etherpad: pad:X:revs:1: revision 1 is past the pad's head 0")]
    [InlineData("""{"pad:X": {"atext": {"text": "\n"}, "head": 0}, "pad:X:revs:0": {"changeset": "Z:1>0$", "meta": {"timestamp": "1"}}}""", "x.etherpad: pad:X:revs:0.meta.timestamp: expected milliseconds since 1970 as an integer, found a string")]
    [InlineData("""{"pad:X": {"atext": {"text": "\n"}, "head": 0}, "pad:X:revs:0": {"changeset": "Z:1>0$", "meta": {"author": 7}}}""", "x.etherpad: pad:X:revs:0.meta.author: expected a string, found the number 7")]
    [InlineData("""{"pad:X": {"atext": {"text": "a\n"}, "head": 0}, "pad:X:revs:0": {"changeset": "Z:1>1+1$a", "meta": {"atext": {"text": "b\n"}}}}""", "x.etherpad: pad:X:revs:0.meta.atext.text: the stored text (2 code points) differs from the replayed text (2 code points) from code point 0")]
    [InlineData("""{"pad:X": {"atext": {"text": "\n"}, "head": 0}, "pad:X": {"atext": {"text": "\n"}, "head": 0}}""", "x.etherpad: pad:X: the record appears twice")]
    public void Parse_MalformedRecord_NamesRecordAndField(string json, string message)
    {
        AssertBadInput(message, () => EtherpadReader.Parse(Encoding.UTF8.GetBytes(json), "x.etherpad", 0));
    }

    private static void AssertBadInput(string message, Action parse)
    {
        var e = Assert.Throws<PlumblineException>(parse);
        Assert.Equal(FailureKind.BadInput, e.Kind);
        Assert.Equal(message, e.Message);
    }

    /// <summary>The text after each transaction, applying its patches to a <see cref="TextBuffer"/>.</summary>
    private static List<string> Replay(EtherpadPad pad)
    {
        var buffer = new TextBuffer(pad.StartContent);
        var texts = new List<string>();
        foreach (EditTransaction transaction in pad.Transactions)
        {
            foreach (var patch in transaction.Patches)
            {
                buffer.Apply(patch);
            }

            texts.Add(buffer.ToString());
        }

        return texts;
    }

    private static byte[] Merge(byte[] first, byte[] second)
    {
        var a = Encoding.UTF8.GetString(first);
        var b = Encoding.UTF8.GetString(second);
        return Encoding.UTF8.GetBytes(a[..^1] + "," + b[1..]);
    }

    private byte[]? RealExport()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Plumbline.slnx")))
        {
            dir = dir.Parent;
        }

        var path = dir is null ? null : Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "realdata", "etherpad", "test.etherpad"));
        if (path is null || !File.Exists(path))
        {
            output.WriteLine($"Skipped: the real Etherpad export ../shared/realdata/etherpad/test.etherpad was not found next to the repository ({path ?? "no Plumbline.slnx above " + AppContext.BaseDirectory}).");
            return null;
        }

        return File.ReadAllBytes(path);
    }
}
