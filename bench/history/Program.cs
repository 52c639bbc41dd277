// The history of the largest real trace (automerge-paper: 259,778 revisions) through a real server on loopback
// (SQLite store, default chunking), in one run:
//  1. HTTP: opening the history and seeking to 10 random revisions, time and bytes,
//     before: GET /history (every revision at once; seeks then need no request),
//     after:  GET /history/timeline + the window at the end, then one window per seek (/history/revisions).
//     Every window's text is checked against /text?revision=R (what plumb replay --revision R prints).
//  2. The history page in headless chromium: first paint (navigation → the text at the last revision shown) and the
//     same 10 seeks (slider set → the text at R shown), each checked against /text?revision=R.
// Usage: dotnet run -c Release --project bench/history -- [TRACE=automerge-paper] [SEEKS=10]
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Plumbline.Core.Capture.Traces;
using Plumbline.Storage.Ingest;
using Plumbline.Web.Tests;

var traceName = args.Length > 0 ? args[0] : "automerge-paper";
var seeks = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var path = RealData.Find($"editing-traces/{traceName}.json.gz", Console.Error.WriteLine) ?? throw new FileNotFoundException(traceName);
var report = new StringBuilder();
void Line(string s)
{
    Console.WriteLine(s);
    report.AppendLine(s);
}

await using var host = await WebHost.StartAsync();
var trace = EditingTraceReader.Parse(await File.ReadAllBytesAsync(path), Path.GetFileName(path), 0);
var importClock = Stopwatch.StartNew();
await new EditIngest(host.Store, TimeProvider.System).IngestAsync(
    new Plumbline.Core.Capture.EditBatch
    {
        Document = traceName,
        StartContent = trace.StartContent,
        Transactions = trace.Transactions,
        Actor = "alice",
        BatchId = "bench:" + traceName,
        ExpectedEnd = trace.EndContent,
    },
    null,
    CancellationToken.None);
var imported = importClock.Elapsed;
var revisions = trace.Transactions.Count;
var random = new Random(20261122);
var targets = Enumerable.Range(0, seeks).Select(_ => random.Next(0, revisions + 1)).ToArray();

using var http = host.Http(host.Alice);
http.Timeout = TimeSpan.FromMinutes(5);
async Task<(double Ms, long Bytes, JsonElement Json)> Get(string url)
{
    var clock = Stopwatch.StartNew();
    var bytes = await http.GetByteArrayAsync(url);
    var ms = clock.Elapsed.TotalMilliseconds;
    return (ms, bytes.LongLength, JsonDocument.Parse(bytes).RootElement.Clone());
}

async Task<string> Replay(int r) => (await Get($"api/documents/{traceName}/text?revision={r}")).Json.GetProperty("text").GetString()!;

// warm up both paths once (JIT, SQLite page cache), then measure
await Get($"api/documents/{traceName}/history/timeline");
await Get($"api/documents/{traceName}/history/revisions?from=1&count=10");

Line($"# History of {traceName} ({revisions:N0} revisions, {CodePoints(trace.EndContent ?? ""):N0} characters at the end) — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, SQLite, loopback");
Line("");
Line($"imported in {imported.TotalSeconds:F1} s; seek targets (seed 20261122): {string.Join(", ", targets)}");
Line("");

var before = await Get($"api/documents/{traceName}/history");
Line("## HTTP: open the history, then seek to each target");
Line("");
Line("| | open ms | open bytes | seeks ms (sum) | seeks bytes (sum) | total ms | total bytes |");
Line("|---|---:|---:|---:|---:|---:|---:|");
Line($"| before: GET /history (everything; seeks replay client-side, no request) | {before.Ms:F0} | {before.Bytes:N0} | 0 | 0 | {before.Ms:F0} | {before.Bytes:N0} |");
const int Window = 1000;
var timeline = await Get($"api/documents/{traceName}/history/timeline");
var endWindow = await Get($"api/documents/{traceName}/history/revisions?from={(revisions / Window * Window) + 1}&count={Window}");
double seekMs = 0;
long seekBytes = 0;
var windowMs = new List<double>();
foreach (var r in targets)
{
    var from = (r / Window * Window) + 1;
    var w = await Get($"api/documents/{traceName}/history/revisions?from={from}&count={Window}");
    seekMs += w.Ms;
    seekBytes += w.Bytes;
    windowMs.Add(w.Ms);
    var text = new Plumbline.Core.Text.TextBuffer(w.Json.GetProperty("text").GetString()!);
    foreach (var rev in w.Json.GetProperty("history").EnumerateArray().TakeWhile(x => x.GetProperty("revision").GetInt32() <= r))
    {
        foreach (var p in rev.GetProperty("patches").EnumerateArray())
        {
            text.Apply(new Plumbline.Core.Text.Patch(p.GetProperty("position").GetInt32(), p.GetProperty("delete").GetInt32(), p.GetProperty("insert").GetString()!));
        }
    }

    if (text.ToString() != await Replay(r))
    {
        throw new InvalidOperationException($"window text at revision {r} differs from /text?revision={r}");
    }
}

var openMs = timeline.Ms + endWindow.Ms;
var openBytes = timeline.Bytes + endWindow.Bytes;
Line($"| after: GET /history/timeline + the window at the end; one window per seek | {openMs:F0} | {openBytes:N0} | {seekMs:F0} | {seekBytes:N0} | {openMs + seekMs:F0} | {openBytes + seekBytes:N0} |");
Line($"| ratio (before ÷ after) | {before.Ms / openMs:F1}× | {(double)before.Bytes / openBytes:F1}× | | | {before.Ms / (openMs + seekMs):F1}× | {(double)before.Bytes / (openBytes + seekBytes):F1}× |");
Line("");
Line($"after, parts: timeline {timeline.Ms:F0} ms / {timeline.Bytes:N0} bytes; window at the end {endWindow.Ms:F0} ms / {endWindow.Bytes:N0} bytes; per seek window p50 {windowMs.Order().ElementAt(windowMs.Count / 2):F0} ms, max {windowMs.Max():F0} ms");
Line("");

// 2. the page in a real browser
var (playwright, browser) = await Chromium.LaunchAsync();
var page = await host.SignInAsync(browser, host.Alice);
await page.GotoAsync(new Uri(host.Address, "app/").ToString());
var paint = Stopwatch.StartNew();
await page.GotoAsync(new Uri(host.Address, $"app/history/{traceName}").ToString());
await page.Locator($"[data-testid=history-text][data-state=ready][data-revision=\"{revisions}\"]").WaitForAsync(new() { Timeout = 120_000 });
var firstPaint = paint.Elapsed.TotalMilliseconds;
var sliderShown = await page.EvaluateAsync<double>("() => performance.getEntriesByType('resource').filter(e => e.name.includes('/history/timeline')).map(e => e.responseEnd)[0] ?? -1");
var browserSeeks = new List<double>();
foreach (var r in targets)
{
    var clock = Stopwatch.StartNew();
    await page.GetByTestId("slider").FillAsync(r.ToString(CultureInfo.InvariantCulture));
    await page.Locator($"[data-testid=history-text][data-state=ready][data-revision=\"{r}\"]").WaitForAsync(new() { Timeout = 60_000 });
    browserSeeks.Add(clock.Elapsed.TotalMilliseconds);
    var shown = await page.GetByTestId("history-text").EvaluateAsync<string>("e => e.textContent");
    if (shown != await Replay(r))
    {
        throw new InvalidOperationException($"the page shows a different text at revision {r} than /text?revision={r}");
    }
}

// Before, in the same browser: what the previous page did on open, run in the page as it was written (52d3521's
// historyPage.ts: fetch every revision, replay from revision 0 keeping a copy of the text every 200 revisions, render).
var oldPaint = await page.EvaluateAsync<double>(@"async (name) => {
  const t0 = performance.now();
  const data = await (await fetch(`/api/documents/${encodeURIComponent(name)}/history`)).json();
  const revs = data.history, names = data.contributors, SNAPSHOT_EVERY = 200;
  const snapshots = new Map([[0, { chars: Array.from(data.start_content), authors: Array.from(data.start_content, () => -1) }]]);
  const revision = data.revisions;
  let from = Math.floor(revision / SNAPSHOT_EVERY) * SNAPSHOT_EVERY;
  while (!snapshots.has(from)) from -= SNAPSHOT_EVERY;
  const chars = snapshots.get(from).chars.slice(), authors = snapshots.get(from).authors.slice();
  for (let r = from + 1; r <= revision; r++) {
    const rev = revs[r - 1]; const who = rev.kind === 'gap' ? -2 : names.indexOf(rev.contributor ?? '');
    for (const p of rev.patches) { const ins = Array.from(p.insert); chars.splice(p.position, p.delete, ...ins); authors.splice(p.position, p.delete, ...ins.map(() => who)); }
    if (r % SNAPSHOT_EVERY === 0 && !snapshots.has(r)) snapshots.set(r, { chars: chars.slice(), authors: authors.slice() });
  }
  const box = document.createElement('div'); box.textContent = chars.join(''); document.body.appendChild(box);
  await new Promise(r => requestAnimationFrame(() => r()));
  box.remove();
  return performance.now() - t0; }", traceName);

Line("## The history page in headless chromium");
Line("");
Line($"| first paint (navigation → text at revision {revisions:N0} shown) | timeline received at | seek (slider set → text shown) p50 | max | all {seeks} texts equal /text?revision=R |");
Line("|---:|---:|---:|---:|---|");
Line($"| {firstPaint:F0} ms | {sliderShown:F0} ms after navigation start | {browserSeeks.Order().ElementAt(browserSeeks.Count / 2):F0} ms | {browserSeeks.Max():F0} ms | yes |");
Line("");
Line($"before, same browser: the previous page's open (fetch everything, replay from revision 0 with a copy every 200 revisions, render): {oldPaint:F0} ms, {firstPaint / oldPaint:F2}× of it now ({oldPaint / firstPaint:F1}× faster)");
Line("");
// 3. Who typed each character when there are two authors: the same trace, alice and bob taking turns every 10,000
// transactions. The first window at the end replays the authorship from revision 1 (and leaves checkpoints every
// 16,384 revisions); the seeks then start from the nearest checkpoint. Baseline: the single-author document above.
var turns = trace.Transactions.Select((t, i) => t with { Author = i / 10_000 % 2 == 0 ? "alice" : "bob" }).ToList();
await new EditIngest(host.Store, TimeProvider.System).IngestAsync(
    new Plumbline.Core.Capture.EditBatch
    {
        Document = traceName + "-2",
        StartContent = trace.StartContent,
        Transactions = turns,
        Actor = "alice",
        AuthorMap = new Dictionary<string, string> { ["alice"] = "alice", ["bob"] = "bob" },
        BatchId = "bench2:" + traceName,
        ExpectedEnd = trace.EndContent,
    },
    null,
    CancellationToken.None);
var firstTwo = await Get($"api/documents/{traceName}-2/history/revisions?from={(revisions / Window * Window) + 1}&count={Window}");
var twoMs = new List<double>();
var oneMs = new List<double>();
foreach (var r in targets)
{
    var from = (r / Window * Window) + 1;
    var w = await Get($"api/documents/{traceName}-2/history/revisions?from={from}&count={Window}");
    twoMs.Add(w.Ms);
    var runs = w.Json.GetProperty("authors").EnumerateArray().ToList();
    if (runs.Sum(a => a.GetProperty("length").GetInt32()) != w.Json.GetProperty("text").GetString()!.EnumerateRunes().Count())
    {
        throw new InvalidOperationException($"authors at {from - 1} do not cover the text");
    }

    oneMs.Add((await Get($"api/documents/{traceName}/history/revisions?from={from}&count={Window}")).Ms);
}

Line("## Two authors (turns every 10,000 transactions): a window with who typed each character");
Line("");
Line("| | first window at the end | seek windows p50 | max |");
Line("|---|---:|---:|---:|");
Line($"| two authors (authorship replayed: from revision 1 at first, then from checkpoints) | {firstTwo.Ms:F0} ms | {twoMs.Order().ElementAt(twoMs.Count / 2):F0} ms | {twoMs.Max():F0} ms |");
Line($"| baseline: one author (authorship free), same windows | | {oneMs.Order().ElementAt(oneMs.Count / 2):F0} ms | {oneMs.Max():F0} ms |");
Line($"| ratio | | {twoMs.Order().ElementAt(twoMs.Count / 2) / oneMs.Order().ElementAt(oneMs.Count / 2):F2}× | |");
Line("");
Line($"command: dotnet run -c Release --project bench/history -- {traceName} {seeks}");
await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "results.md"), report.ToString());
await browser.CloseAsync();
playwright.Dispose();

static int CodePoints(string s) => Plumbline.Core.Text.CodePoints.Count(s);
