using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Plumbline.Core.Capture;
using Plumbline.Core.Capture.Traces;
using Plumbline.Core.Text;
using Plumbline.Storage.Ingest;

namespace Plumbline.Web.Tests;

/// <summary>The history page over a real keystroke trace of a few thousand revisions, in a real browser.</summary>
public sealed class HistoryPageTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    /// <summary>The first 3,500 transactions of sveltecomponent.json.gz: four windows of the history.</summary>
    private const int Revisions = 3500;

    [Fact]
    public async Task Dragging_the_slider_shows_exactly_the_text_replayed_at_that_revision()
    {
        var path = RealData.Find("editing-traces/sveltecomponent.json.gz", output.WriteLine);
        if (path is null)
        {
            return;
        }

        await using var host = await WebHost.StartAsync();
        var trace = EditingTraceReader.Parse(await File.ReadAllBytesAsync(path), "sveltecomponent.json.gz", 0);
        var transactions = trace.Transactions.Take(Revisions).ToList();
        await new EditIngest(host.Store, TimeProvider.System).IngestAsync(
            new EditBatch { Document = "svelte", StartContent = trace.StartContent, Transactions = transactions, Actor = "alice", BatchId = "svelte" },
            null,
            CancellationToken.None);

        var page = await host.SignInAsync(browser.Browser, host.Alice);
        var requests = new List<string>();
        page.Request += (_, r) => requests.Add(r.Url);
        await page.GotoAsync(new Uri(host.Address, "app/history/svelte").ToString());
        await Ready(page, Revisions);
        Assert.Equal(await ReplayAsync(host, transactions, trace.StartContent, Revisions), await ShownAsync(page));
        Assert.DoesNotContain(requests, u => u.EndsWith("/history", StringComparison.Ordinal));
        Assert.Contains(requests, u => u.Contains("/history/timeline", StringComparison.Ordinal));

        // Drag the thumb from the end to about a third, then to about two thirds: each time the text shown is the
        // text at the revision the slider stopped at, equal to the server's replay and to the trace replayed here.
        var slider = page.GetByTestId("slider");
        var box = (await slider.BoundingBoxAsync())!;
        var y = box.Y + (box.Height / 2);
        await page.Mouse.MoveAsync(box.X + box.Width - 4, y);
        await page.Mouse.DownAsync();
        foreach (var (fraction, name) in new[] { (0.31f, "history-drag-1"), (0.67f, "history-drag-2") })
        {
            await page.Mouse.MoveAsync(box.X + (box.Width * fraction), y, new MouseMoveOptions { Steps = 12 });
            await page.Mouse.UpAsync();
            var at = int.Parse(await slider.InputValueAsync(), CultureInfo.InvariantCulture);
            Assert.InRange(at, (int)(Revisions * (fraction - 0.05)), (int)(Revisions * (fraction + 0.05)));
            await Ready(page, at);
            var shown = await ShownAsync(page);
            Assert.Equal(await host.TextAsync(host.Alice, "svelte", at), shown);
            Assert.Equal(await ReplayAsync(host, transactions, trace.StartContent, at), shown);
            Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"Revision {at:N0} of {Revisions:N0}"), await page.GetByTestId("revision-label").Locator("b").InnerTextAsync());
            await Screenshots.SaveAsync(page, name);
            output.WriteLine($"dragged to revision {at}: {CodePoints.Count(shown)} characters shown, equal to the replay");
            await page.Mouse.DownAsync();
        }

        await page.Mouse.UpAsync();

        // Stepping across a window boundary (1000 revisions a window) one revision at a time stays exact.
        await page.GetByTestId("slider").FillAsync("999");
        await Ready(page, 999);
        await page.GetByTitle("Next revision").ClickAsync();
        await Ready(page, 1000);
        Assert.Equal(await ReplayAsync(host, transactions, trace.StartContent, 1000), await ShownAsync(page));
        await page.GetByTitle("Next revision").ClickAsync();
        await Ready(page, 1001);
        Assert.Equal(await ReplayAsync(host, transactions, trace.StartContent, 1001), await ShownAsync(page));
        var windows = requests.Count(u => u.Contains("/history/revisions", StringComparison.Ordinal));
        Assert.InRange(windows, 2, 12);
        output.WriteLine($"{windows} window requests in all");
    }

    private static Task Ready(IPage page, int revision) =>
        page.Locator($"[data-testid=history-text][data-state=ready][data-revision=\"{revision}\"]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });

    private static Task<string> ShownAsync(IPage page) => page.GetByTestId("history-text").EvaluateAsync<string>("e => e.textContent");

    /// <summary>The trace replayed to <paramref name="revision"/> here (each transaction is one revision), checked against the server's replay too.</summary>
    private static async Task<string> ReplayAsync(WebHost host, IReadOnlyList<EditTransaction> transactions, string start, int revision)
    {
        var text = new TextBuffer(start);
        foreach (var t in transactions.Take(revision))
        {
            foreach (var p in t.Patches)
            {
                text.Apply(p);
            }
        }

        using var http = host.Http(host.Alice);
        var replay = await http.GetFromJsonAsync<JsonElement>($"api/documents/svelte/text?revision={revision}");
        Assert.Equal(text.ToString(), replay.GetProperty("text").GetString());
        return text.ToString();
    }
}
