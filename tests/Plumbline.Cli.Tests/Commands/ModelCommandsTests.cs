using System.Text.Json.Nodes;

namespace Plumbline.Cli.Tests.Commands;

public sealed class ModelCommandsTests : IDisposable
{
    private readonly Plumb _plumb = new();

    public void Dispose() => _plumb.Dispose();

    [Fact]
    public async Task LsaFit_ThenEmbedWithTheSavedModel_WritesOneUnitVectorPerText()
    {
        File.WriteAllLines(Path.Combine(_plumb.Folder, "corpus.txt"), ["apple banana", "apple banana", "apple banana", "cherry date"]);
        File.WriteAllLines(Path.Combine(_plumb.Folder, "texts.jsonl"), ["{\"text\": \"apple cherry\"}", "{\"text\": \"date\"}"]);

        var fit = Plumb.Check(await _plumb.RunAsync("model", "lsa", "fit", "--corpus", "corpus.txt", "--dimensions", "2", "--out", "lsa.bin", "--json"));
        var embed = Plumb.Check(await _plumb.RunAsync("model", "embed", "--model", "builtin:lsa:lsa.bin", "--texts", "texts.jsonl", "--out", "vectors.jsonl", "--json"));

        var singular = JsonNode.Parse(fit.Stdout)!["singular_values"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.Equal(Math.Sqrt(3), singular[0], 9); // see LsaModelTests for the hand computation
        Assert.Equal(1.0, singular[1], 9);
        Assert.Equal(2, JsonNode.Parse(embed.Stdout)!["dimensions"]!.GetValue<int>());
        var vectors = File.ReadAllLines(Path.Combine(_plumb.Folder, "vectors.jsonl")).Select(l => JsonNode.Parse(l)!["vector"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray()).ToList();
        Assert.Equal(0.5380290, vectors[0][0], 6);
        Assert.Equal(0.8429263, vectors[0][1], 6);
        Assert.Equal([0.0, 1.0], vectors[1]);
    }

    [Fact]
    public async Task NgramTrain_BadOrderOrBadCorpusLine_Exit2()
    {
        File.WriteAllLines(Path.Combine(_plumb.Folder, "corpus.jsonl"), ["{\"text\": \"fine\"}", "{\"other\": 1}"]);

        var order = await _plumb.RunAsync("model", "ngram", "train", "--corpus", "corpus.jsonl", "--order", "9", "--out", "lm.bin");
        var line = await _plumb.RunAsync("model", "ngram", "train", "--corpus", "corpus.jsonl", "--out", "lm.bin");

        Assert.Equal((2, "plumb: --order: must be 1 to 6 (was 9)\n"), (order.ExitCode, order.Stderr));
        Assert.Equal((2, "plumb: corpus.jsonl:2: no string field \"text\" or \"response\" or \"prompt\" or \"statement\"\n"), (line.ExitCode, line.Stderr));
        Assert.False(File.Exists(Path.Combine(_plumb.Folder, "lm.bin")));
    }
}
