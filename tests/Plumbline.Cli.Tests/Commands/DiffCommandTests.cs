using System.Text.Json;

namespace Plumbline.Cli.Tests.Commands;

/// <summary><c>plumb diff</c> as a process: the shipped samples (real persona statements with planted changes), bad input, nothing partial.</summary>
public class DiffCommandTests
{
    private static string Sample(string name) => Path.Combine(RealData.RepositoryRoot, "samples", "diff", name);

    [Fact]
    public async Task Diff_ShippedSamples_WritesReportJsonAndHtmlAndPrintsTheSummary()
    {
        using var plumb = new Plumb();
        var output = Path.Combine(plumb.Folder, "out");
        var run = Plumb.Check(await plumb.RunAsync("diff", "--before", Sample("before.jsonl"), "--after", Sample("after.jsonl"), "--out", output, "--k", "12", "--bootstrap", "2", "--json"));
        using var summary = JsonDocument.Parse(run.Stdout);
        Assert.Equal(12, summary.RootElement.GetProperty("k").GetInt32());
        Assert.True(summary.RootElement.GetProperty("significant_groups").GetInt32() >= 1);

        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "report.json")));
        var root = report.RootElement;
        var clusters = root.GetProperty("clusters").EnumerateArray().ToArray();
        Assert.Equal(12, clusters.Length);
        Assert.Equal(1200, clusters.Sum(c => c.GetProperty("members").GetArrayLength()));
        Assert.Equal(600, clusters.Sum(c => c.GetProperty("counts").GetProperty("before").GetInt32()));
        foreach (var field in new[] { "id", "label", "keywords", "counts", "shares", "p_value", "q_value", "significant", "members" })
        {
            Assert.True(clusters[0].TryGetProperty(field, out _), field);
        }

        Assert.True(root.GetProperty("null_check").TryGetProperty("significant_clusters", out _));
        var run0 = root.GetProperty("run");
        Assert.Equal(2, run0.GetProperty("inputs").GetArrayLength());
        Assert.Equal(64, run0.GetProperty("inputs")[0].GetProperty("sha256").GetString()!.Length);
        Assert.Equal(0, run0.GetProperty("seeds").GetProperty("seed").GetInt32());

        var html = await File.ReadAllTextAsync(Path.Combine(output, "report.html"));
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_BadLine_Exits2NamingFileAndLine_AndWritesNothing()
    {
        using var plumb = new Plumb();
        var bad = Path.Combine(plumb.Folder, "bad.jsonl");
        await File.WriteAllTextAsync(bad, "{\"id\": \"1\", \"response\": \"fine\"}\n{\"id\": \"2\"}\n");
        var output = Path.Combine(plumb.Folder, "out");
        var run = await plumb.RunAsync("diff", "--before", bad, "--after", Sample("after.jsonl"), "--out", output);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"plumb: {bad}:2: field 'response' is missing\n", run.Stderr);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task Diff_MissingSide_Exits2()
    {
        using var plumb = new Plumb();
        var run = await plumb.RunAsync("diff", "--before", Sample("before.jsonl"), "--out", Path.Combine(plumb.Folder, "out"), "--judge", "openai:j@http://127.0.0.1:9/v1");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("plumb: --before and --after are required (or --before-model, --after-model and --prompts); --judge needs --intended (what the fine-tuning was meant to change)\n", run.Stderr);
    }
}
