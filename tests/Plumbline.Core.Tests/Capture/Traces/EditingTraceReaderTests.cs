using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Plumbline.Core.Capture.Traces;
using Plumbline.Core.Text;

namespace Plumbline.Core.Tests.Capture.Traces;

public class EditingTraceReaderTests(ITestOutputHelper output)
{
    // Facts from ../shared/realdata/MANIFEST.md (replayed there in Python).
    [Theory]
    [InlineData("seph-blog1", 137154, 137993, 11, 56769, "fd42bef4fbb237f8cd748d2c1c628c51b489ea9b98992e6eb815d04a090a70ba")]
    [InlineData("rustcode", 36981, 40173, 84, 65218, "2cde7bd1dedbcd198e3f5a66a4135f120571a4349d48d057009f311622a0894c")]
    [InlineData("sveltecomponent", 18335, 19749, 68, 18451, "d8bb93b7cf87b4c3a0394fddc028284a093d90d5794a213d1ccb0794eb4ede8f")]
    [InlineData("automerge-paper", 259778, 259778, 1, 104852, "a489e9022976c14e46627aea174d07797edcb3fd17df42605956d4cf01bf9039")]
    public void Parse_RealTrace_ReplaysToEndContent(string name, int txns, int patches, int maxPerTxn, int endLength, string sha256)
    {
        if (RealData.Find($"editing-traces/{name}.json.gz", output.WriteLine) is not { } path)
        {
            return;
        }

        var trace = EditingTraceReader.Parse(File.ReadAllBytes(path), name, 0);

        Assert.Equal(txns, trace.Transactions.Count);
        Assert.Equal(patches, trace.PatchCount);
        Assert.Equal(maxPerTxn, trace.Transactions.Max(t => t.Patches.Length));
        Assert.Equal("", trace.StartContent);
        var text = new TextBuffer(trace.StartContent);
        foreach (var patch in trace.Transactions.SelectMany(t => t.Patches))
        {
            text.Apply(patch);
        }

        var replayed = text.ToString();
        Assert.Equal(trace.EndContent, replayed);
        Assert.Equal(endLength, CodePoints.Count(replayed));
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(replayed))));
    }

    [Fact]
    public void Parse_HandMadeTraceBeyondBmp_UsesCodePointPositions()
    {
        const string json = """
            {"startContent": "😀x", "endContent": "😀🎉y", "txns": [
              {"time": "2024-03-01T10:00:00.250Z", "patches": [[1, 1, "🎉"], [2, 0, "y"]]},
              {"time": 1709287201000, "patches": []}
            ]}
            """;

        var trace = EditingTraceReader.Parse(Gzip(json), "astral.json.gz", 42);

        Assert.Equal(1709287200250, trace.Transactions[0].Time);
        Assert.Equal(1709287201000, trace.Transactions[1].Time);
        Assert.Equal(new Patch(1, 1, "🎉"), trace.Transactions[0].Patches[0]);
        Assert.Equal(1, trace.Transactions[0].Patches[0].InsertLength);
        var text = new TextBuffer(trace.StartContent);
        foreach (var patch in trace.Transactions[0].Patches)
        {
            text.Apply(patch);
        }

        Assert.Equal("😀🎉y", text.ToString());
    }

    [Fact]
    public void Parse_MissingTime_UsesFallback()
    {
        var trace = EditingTraceReader.Parse(Encoding.UTF8.GetBytes("""{"txns":[{"patches":[[0,0,"a"]]}]}"""), "t.json", 1234);

        Assert.Equal(1234, trace.Transactions[0].Time);
        Assert.Null(trace.EndContent);
    }

    [Theory]
    [InlineData("""{"startContent": ""}""", "t.json: line 1: $.txns: missing (expected an array of transactions)")]
    [InlineData("""{"txns": [{"patches": [[0, -1, "a"]]}]}""", "t.json: line 1: $.txns[0].patches[0][1]: expected the delete count as a non-negative integer, found the number -1")]
    [InlineData("""{"txns": [{"patches": [[0, 0, 5]]}]}""", "t.json: line 1: $.txns[0].patches[0][2]: expected the inserted text as a string, found the number 5")]
    [InlineData("""{"txns": [{"patches": [[0, 0, "a", 1]]}]}""", "t.json: line 1: $.txns[0].patches[0]: expected exactly three elements [position, deleteCount, insertText]")]
    [InlineData("""{"txns": [{"time": "yesterday", "patches": []}]}""", "t.json: line 1: $.txns[0].time: 'yesterday' is not an ISO 8601 time")]
    [InlineData("""{"txns": [{"time": 1}]}""", "t.json: line 1: $.txns[0].patches: missing (expected an array of [position, deleteCount, insertText])")]
    [InlineData("{\n\"txns\": [\n{\"patches\": \"no\"}]}", "t.json: line 3: $.txns[0].patches: expected an array, found a string")]
    [InlineData("""[1, 2]""", "t.json: line 1: $: expected an object, found an array")]
    [InlineData("""{"txns": [{"patches": [[0, 0, "a\ud800b"]]}]}""", "t.json: line 1: $.txns[0].patches[0][2]: the string is not valid Unicode (an unpaired surrogate escape such as \\ud800)")]
    public void Parse_Malformed_NamesFileLineAndPath(string json, string expected)
    {
        var error = Assert.Throws<PlumblineException>(() => EditingTraceReader.Parse(Encoding.UTF8.GetBytes(json), "t.json", 0));

        Assert.Equal(FailureKind.BadInput, error.Kind);
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Parse_TruncatedJson_NamesLineAndByte()
    {
        var error = Assert.Throws<PlumblineException>(() => EditingTraceReader.Parse(Encoding.UTF8.GetBytes("{\"txns\": [\n{\"patches\": [[0, 0, \"a\""), "t.json", 0));

        Assert.StartsWith("t.json: line 2, byte ", error.Message, StringComparison.Ordinal);
        Assert.Contains("malformed JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CorruptGzip_SaysSo()
    {
        var bytes = Gzip("""{"txns": []}""");
        var corrupt = bytes[..12];

        var error = Assert.Throws<PlumblineException>(() => EditingTraceReader.Parse(corrupt, "t.json.gz", 0));

        Assert.StartsWith("t.json.gz: not a valid gzip file", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Gzip(string text)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return memory.ToArray();
    }
}
