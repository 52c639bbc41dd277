using System.Security.Cryptography;
using System.Text.Json;

namespace Plumbline.Cli.Tests.Commands;

public class DurabilityTests(ITestOutputHelper output)
{
    /// <summary>What plumb reported stored survives kill -9 of a later import; the killed import is all or nothing.</summary>
    [Fact]
    public async Task Kill9DuringImport_KeepsAcknowledgedBatchesAndLeavesNoPartialOne()
    {
        if (RealData.Find("editing-traces/automerge-paper.json.gz", output.WriteLine) is not { } big ||
            RealData.Find("editing-traces/sveltecomponent.json.gz", output.WriteLine) is not { } small)
        {
            return;
        }

        using var plumb = new Plumb();
        plumb.Consenting("alice");
        Plumb.Check(plumb.Run("import", "trace", small, "--as", "alice"));

        // Kill later and later until an import gets to finish: the kills land while parsing, while
        // writing the transaction and around the commit.
        var outcomes = new List<string>();
        for (var delay = 200; delay < 20_000 && !outcomes.Any(o => o.EndsWith("complete", StringComparison.Ordinal)); delay += 350)
        {
            using var process = plumb.Start("import", "trace", big, "--as", "alice", "--doc", $"killed-{delay}");
            await Task.Delay(delay);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();

            var docs = JsonDocument.Parse(Plumb.Check(await plumb.RunAsync("docs", "--json")).Stdout).RootElement.GetProperty("documents");
            var killed = docs.EnumerateArray().FirstOrDefault(d => d.GetProperty("name").GetString() == $"killed-{delay}");
            if (killed.ValueKind == JsonValueKind.Object)
            {
                Assert.Equal(259778, killed.GetProperty("revisions").GetInt32());
                var text = (await plumb.RunAsync("replay", $"killed-{delay}")).StdoutBytes;
                Assert.Equal("d9f7f205e79e4dd0cfc1b6e27e7999569ff3547dbae3c4976693f88ebbcb75ca", Convert.ToHexStringLower(SHA256.HashData(text))); // endContent with its two e-mail addresses redacted
                outcomes.Add($"{delay} ms: complete");
            }
            else
            {
                outcomes.Add($"{delay} ms: absent");
            }

            var replay = await plumb.RunAsync("replay", "sveltecomponent");
            Assert.Equal("d8bb93b7cf87b4c3a0394fddc028284a093d90d5794a213d1ccb0794eb4ede8f", Convert.ToHexStringLower(SHA256.HashData(replay.StdoutBytes)));
        }

        output.WriteLine(string.Join("; ", outcomes));
        Assert.Contains(outcomes, o => o.EndsWith("absent", StringComparison.Ordinal));
    }
}
