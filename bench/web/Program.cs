// Measures the web UI in headless Debian chromium against a real server on loopback (SQLite store):
//  1. recording latency, keystroke → stored: N keystrokes typed by Playwright, each transaction's time to the
//     server's acknowledgement (p50/p95), next to the baseline of the same run: one bare fetch() POST of a
//     one-patch batch from the same page (what any client pays for a round trip to the ingest API).
//  2. typing latency by document size: a keystroke dispatched into the editor until the next animation frame
//     (editor update + recording + render), at 10k / 100k / 1M characters (and 1M with one astral character,
//     the slow path of the UTF-16 → code point conversion); the ratios are against the 10k document.
// Usage: dotnet run -c Release --project bench/web -- [KEYSTROKES=300] [TYPED_PER_SIZE=60]
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Plumbline.Web.Tests;

if (args is ["screenshots", var url, var token, var folder])
{
    // Screenshots of a running server's pages (for docs/): dotnet run --project bench/web -- screenshots URL TOKEN FOLDER
    var (pw, chromium) = await Chromium.LaunchAsync();
    var context = await chromium.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
    var shot = await context.NewPageAsync();
    await shot.GotoAsync(url.TrimEnd('/') + "/app/");
    await shot.GetByTestId("token").FillAsync(token);
    await shot.GetByTestId("signin").ClickAsync();
    await shot.GetByTestId("who").WaitForAsync();
    foreach (var (path, file) in new[] { ("app/doc/research-note", "web-editor.png"), ("app/history/research-note", "web-history.png"), ("app/me", "web-my-data.png") })
    {
        await shot.GotoAsync(url.TrimEnd('/') + "/" + path);
        await shot.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await shot.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, file) });
        Console.WriteLine(Path.Combine(folder, file));
    }

    await chromium.CloseAsync();
    pw.Dispose();
    return;
}

var keystrokes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
var perSize = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;
var (playwright, browser) = await Chromium.LaunchAsync();
await using var host = await WebHost.StartAsync();
var report = new StringBuilder();
void Line(string s)
{
    Console.WriteLine(s);
    report.AppendLine(s);
}

Line($"# Web UI latency ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, chromium headless, SQLite)");
Line("");

// 1. keystroke → stored
var page = await host.SignInAsync(browser, host.Alice);
await page.GotoAsync(new Uri(host.Address, "app/doc/bench-latency.md").ToString());
await page.Locator(".cm-content").ClickAsync();
await page.Keyboard.TypeAsync("warm up ");
await page.EvaluateAsync("() => window.plumbline.flush()");
await page.EvaluateAsync("() => { window.plumbline.latencies.length = 0; }");
var text = string.Concat(Enumerable.Range(0, keystrokes).Select(i => "the quick brown fox jumps over the lazy dog "[i % 44]));
await page.Keyboard.TypeAsync(text, new KeyboardTypeOptions { Delay = 30 });
await page.EvaluateAsync("() => window.plumbline.flush()");
var latencies = (await page.EvaluateAsync<double[]>("() => window.plumbline.latencies")).Order().ToArray();
var baseline = (await page.EvaluateAsync<double[]>(@"async () => {
  const out = []; const t = await (await fetch('/api/documents/bench-latency.md')).json(); let rev = t.revisions;
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    const r = await fetch('/api/documents/bench-latency.md/batches', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Plumbline': '1' },
      body: JSON.stringify({ batch_id: 'bench-' + i + '-' + Math.random(), base_revision: rev, transactions: [{ patches: [{ position: 0, delete: 0, insert: 'x' }] }] }) });
    rev = (await r.json()).revision; out.push(performance.now() - t0);
  }
  return out; }")).Order().ToArray();
double P(double[] xs, double q) => xs[Math.Min(xs.Length - 1, (int)Math.Floor(q * xs.Length))];
Line($"## Keystroke → stored ({latencies.Length} keystrokes typed 30 ms apart)");
Line("");
Line("| | p50 ms | p95 ms | max ms |");
Line("|---|---:|---:|---:|");
Line($"| editor keystroke → acknowledged by the server | {P(latencies, 0.5):F1} | {P(latencies, 0.95):F1} | {latencies[^1]:F1} |");
Line($"| baseline: one bare fetch() POST of a 1-patch batch | {P(baseline, 0.5):F1} | {P(baseline, 0.95):F1} | {baseline[^1]:F1} |");
Line($"| ratio (editor ÷ baseline) | {P(latencies, 0.5) / P(baseline, 0.5):F2}× | {P(latencies, 0.95) / P(baseline, 0.95):F2}× | |");
Line("");

// 2. typing latency by document size
Line($"## Typing latency by document size ({perSize} keystrokes each, keystroke → next frame)");
Line("");
Line("| document | load ms | p50 ms | p95 ms | p50 vs 10k | all stored |");
Line("|---|---:|---:|---:|---:|---|");
double? small = null;
foreach (var (size, astral) in new[] { (10_000, false), (100_000, false), (1_000_000, false), (1_000_000, true) })
{
    var name = $"bench-{size}{(astral ? "-astral" : "")}.md";
    var start = new StringBuilder(size);
    var words = "Plumbline records every edit with its time under consent. ";
    while (start.Length < size)
    {
        start.Append(start.Length % 4000 == 0 ? "\n" : "").Append(words);
    }

    var content = start.ToString(0, size);
    if (astral)
    {
        content = "🦊" + content[2..];
    }

    using (var http = host.Http(host.Alice))
    {
        var body = JsonSerializer.Serialize(new { batch_id = name, base_revision = 0, start_content = content, transactions = new[] { new { patches = new[] { new { position = 0, delete = 0, insert = "#" } } } } });
        (await http.PostAsync($"api/documents/{name}/batches", new StringContent(body, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
    }

    var t0 = DateTime.UtcNow;
    await page.GotoAsync(new Uri(host.Address, "app/doc/" + name).ToString());
    await page.Locator(".cm-content").WaitForAsync();
    await page.WaitForFunctionAsync("() => window.plumbline && window.plumbline.view");
    var load = (DateTime.UtcNow - t0).TotalMilliseconds;
    var times = (await page.EvaluateAsync<double[]>(@"async (n) => {
      const v = window.plumbline.view; const out = [];
      for (let i = 0; i < n; i++) {
        const at = Math.floor(v.state.doc.length / 2);
        const t0 = performance.now();
        v.dispatch({ changes: { from: at, insert: 'k' }, userEvent: 'input.type' });
        await new Promise(r => requestAnimationFrame(() => r()));
        out.push(performance.now() - t0);
      }
      await window.plumbline.flush();
      return out; }", perSize)).Order().ToArray();
    var stored = await host.TextAsync(host.Alice, name) == await page.EvaluateAsync<string>("() => window.plumbline.text()");
    small ??= P(times, 0.5);
    Line($"| {size:N0} chars{(astral ? " + 1 astral" : "")} | {load:F0} | {P(times, 0.5):F1} | {P(times, 0.95):F1} | {P(times, 0.5) / small.Value:F2}× | {(stored ? "yes" : "NO")} |");
}

Line("");
Line($"command: dotnet run -c Release --project bench/web -- {keystrokes} {perSize}");
await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "results.md"), report.ToString());
await browser.CloseAsync();
playwright.Dispose();
