using System.Diagnostics;
using System.Globalization;
using System.Text;
using Plumbline.Capture.Watch;
using Plumbline.Storage.Documents;

namespace Plumbline.Bench.Capture;

/// <summary>A folder of N files, then a burst of saves as fast as the disk takes them; every save is a small edit.</summary>
internal static class WatchBurst
{
    public static async Task RunAsync(StringBuilder report, int files, int saves)
    {
        var root = Path.Combine(Path.GetTempPath(), "plumbline-bench-watch-" + Guid.NewGuid().ToString("N"));
        var folder = Path.Combine(root, "notes");
        Directory.CreateDirectory(folder);
        try
        {
            var random = new Random(42);
            var texts = new string[files];
            for (var i = 0; i < files; i++)
            {
                texts[i] = string.Join(' ', Enumerable.Range(0, 300).Select(w => $"w{random.Next(1000)}")) + "\n";
                await File.WriteAllTextAsync(Path.Combine(folder, $"f{i:D4}.md"), texts[i]);
            }

            await using var store = await Setup.StoreAsync(root, "documents");
            await using var recorder = new FolderRecorder(store, TimeProvider.System, folder, new FolderRecorderOptions { Actor = "ada" });
            var lags = new List<double>();
            long revisions = 0;
            long patches = 0;
            var clock = Stopwatch.StartNew();
            double lastStoredMs = 0;
            recorder.Flushed += f =>
            {
                lock (lags)
                {
                    lastStoredMs = clock.Elapsed.TotalMilliseconds;
                    lags.Add(f.Lag.TotalMilliseconds);
                    revisions += f.Files;
                    patches += f.Patches;
                }
            };
            var initial = Setup.Time();
            await recorder.StartAsync(default);
            var initialMs = initial.Elapsed.TotalMilliseconds;
            lags.Clear();
            revisions = 0;
            patches = 0;

            using var stop = new CancellationTokenSource();
            var run = recorder.RunAsync(stop.Token);
            var burstStartMs = clock.Elapsed.TotalMilliseconds;
            var burst = Setup.Time();
            for (var s = 0; s < saves; s++)
            {
                var f = random.Next(files);
                var at = random.Next(texts[f].Length - 1);
                texts[f] = texts[f].Insert(at, $"e{s} ");
                await File.WriteAllTextAsync(Path.Combine(folder, $"f{f:D4}.md"), texts[f]);
            }

            var burstMs = burst.Elapsed.TotalMilliseconds;

            // wait until every file's final text is stored (quiet period plus a last flush)
            var settled = Setup.Time();
            while (true)
            {
                await Task.Delay(200);
                if (settled.Elapsed > TimeSpan.FromSeconds(2) && lags.Count > 0 && Volatile.Read(ref revisions) > 0)
                {
                    break;
                }
            }

            await stop.CancelAsync();
            await run;
            var totalMs = lastStoredMs - burstStartMs;

            var exact = 0;
            await using (var session = await store.OpenAsync(write: false, default))
            {
                for (var i = 0; i < files; i++)
                {
                    var doc = (await session.FindDocumentAsync($"notes/f{i:D4}.md", default))!;
                    exact += (await DocumentReader.LoadAsync(session, doc, doc.Revisions, default)).ToString() == texts[i] ? 1 : 0;
                }
            }

            report.AppendLine("## `plumb watch`: a burst of saves");
            report.AppendLine();
            report.AppendLine(CultureInfo.InvariantCulture, $"{files:N0} files of ~2 KB in one folder; {saves:N0} saves, each inserting a few characters at a random place in a random file, written back to back (FolderRecorder in-process, real inotify watcher, real SQLite store, default quiet 100 ms / max delay 1 s).");
            report.AppendLine();
            report.AppendLine("| measure | value |");
            report.AppendLine("|---|---|");
            report.AppendLine(CultureInfo.InvariantCulture, $"| initial scan: {files:N0} files stored as new documents | {initialMs:F0} ms |");
            report.AppendLine(CultureInfo.InvariantCulture, $"| burst: {saves:N0} saves written in | {burstMs:F0} ms ({saves / (burstMs / 1000):F0} saves/s offered) |");
            report.AppendLine(CultureInfo.InvariantCulture, $"| revisions stored (saves to the same file within one flush window coalesce) | {revisions:N0} in {lags.Count} flushes |");
            report.AppendLine(CultureInfo.InvariantCulture, $"| patches stored | {patches:N0} |");
            report.AppendLine(CultureInfo.InvariantCulture, $"| time from the first save until everything was stored | {totalMs:F0} ms: {saves / (totalMs / 1000):F0} saves/s, {revisions / (totalMs / 1000):F0} revisions/s |");
            report.AppendLine(CultureInfo.InvariantCulture, $"| lag from the first change of a flush window to stored | {Setup.Percentiles(lags)} |");
            report.AppendLine(CultureInfo.InvariantCulture, $"| files whose stored text equals the file at the end | {exact:N0} of {files:N0} |");
            report.AppendLine();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
