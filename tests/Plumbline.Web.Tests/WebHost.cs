using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using Plumbline.Core.Consent;
using Plumbline.Core.Text;
using Plumbline.Server.Hosting;
using Plumbline.Storage;
using Plumbline.Storage.Access;
using Plumbline.Storage.Consent;

namespace Plumbline.Web.Tests;

/// <summary>Headless Debian chromium, as the tests and the benchmark drive it (Playwright's own browsers are never downloaded).</summary>
internal static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(Path))
        {
            throw new InvalidOperationException($"{Path} is missing: scripts/test.sh installs it (apt-get install chromium)");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        });
        return (playwright, browser);
    }
}

/// <summary>
/// A real server (Kestrel on 127.0.0.1, port 0) over a fresh SQLite store with alice and bob consenting to
/// everything, their tokens and a curator's; pages are opened in a fresh browser context each.
/// </summary>
internal sealed class WebHost : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private WebApplication _app = null!;

    private WebHost()
    {
        Store = TraceStores.Open(_directory.File("plumbline.db"));
    }

    public ITraceStore Store { get; }

    public Uri Address { get; private set; } = null!;

    public string Alice { get; private set; } = "";

    public string Bob { get; private set; } = "";

    public string Curator { get; private set; } = "";

    public string Admin { get; private set; } = "";

    public static async Task<WebHost> StartAsync()
    {
        var host = new WebHost();
        var contributors = new ContributorService(host.Store, TimeProvider.System);
        var all = new ConsentTerms(ConsentTerms.ParseSources("all", "sources"), ConsentTerms.ParseUses("all", "uses"), null);
        foreach (var name in new[] { "alice", "bob" })
        {
            await contributors.AddAsync(name, CancellationToken.None);
            await contributors.SetConsentAsync(name, all, null, "test", CancellationToken.None);
        }

        var tokens = new TokenService(host.Store, TimeProvider.System);
        host.Alice = (await tokens.CreateAsync(ApiRole.Contributor, "alice", "alice", "test", CancellationToken.None)).Secret;
        host.Bob = (await tokens.CreateAsync(ApiRole.Contributor, "bob", "bob", "test", CancellationToken.None)).Secret;
        host.Curator = (await tokens.CreateAsync(ApiRole.Curator, null, "curator", "test", CancellationToken.None)).Secret;
        host.Admin = (await tokens.CreateAsync(ApiRole.Admin, null, "admin", "test", CancellationToken.None)).Secret;
        await host.StartServerAsync("http://127.0.0.1:0");
        return host;
    }

    /// <summary>Starts the server (again, on the same address after <see cref="StopServerAsync"/>).</summary>
    public async Task StartServerAsync(string urls)
    {
        _app = PlumblineServer.Build(new ServerOptions { Store = _directory.File("plumbline.db"), Urls = urls }, Store, TimeProvider.System);
        await _app.StartAsync();
        Address = new Uri(PlumblineServer.Addresses(_app)[0] + "/");
    }

    public async Task StopServerAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A new browser context (no cookies) signed in with <paramref name="token"/> at /app/.</summary>
    public async Task<IPage> SignInAsync(IBrowser browser, string token)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 860 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(Address, "app/").ToString());
        await page.GetByTestId("token").FillAsync(token);
        await page.GetByTestId("signin").ClickAsync();
        await page.GetByTestId("who").WaitForAsync();
        return page;
    }

    public HttpClient Http(string token)
    {
        var http = new HttpClient { BaseAddress = Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>The document's text replayed from its stored events (the event log, in code points), independent of the UI.</summary>
    public async Task<string> ReplayEventsAsync(string token, string document)
    {
        using var http = Http(token);
        var history = await http.GetFromJsonAsync<JsonElement>($"api/documents/{Uri.EscapeDataString(document)}/history");
        var text = new TextBuffer(history.GetProperty("start_content").GetString()!);
        var events = await http.GetFromJsonAsync<JsonElement>($"api/events?document={Uri.EscapeDataString(document)}&limit=100000");
        foreach (var e in events.GetProperty("events").EnumerateArray())
        {
            if (e.GetProperty("kind").GetString() is "edit" or "gap")
            {
                var p = e.GetProperty("payload");
                var insert = p.TryGetProperty("insert", out var i) ? i.GetString()! : new string('\u2591', p.GetProperty("inserted_length").GetInt32());
                text.Apply(new Patch(p.GetProperty("position").GetInt32(), p.GetProperty("delete").GetInt32(), insert));
            }
        }

        return text.ToString();
    }

    public async Task<string> TextAsync(string token, string document, int? revision = null)
    {
        using var http = Http(token);
        var query = revision is { } r ? $"?revision={r}" : "";
        var replay = await http.GetFromJsonAsync<JsonElement>($"api/documents/{Uri.EscapeDataString(document)}/text{query}");
        return replay.GetProperty("text").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        await StopServerAsync();
        await Store.DisposeAsync();
        _directory.Dispose();
    }
}

/// <summary>Screenshots of the pages, kept as test artifacts in the test output's screenshots/ folder.</summary>
internal static class Screenshots
{
    public static string Folder { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public static Task SaveAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, name + ".png"), FullPage = true });
}
