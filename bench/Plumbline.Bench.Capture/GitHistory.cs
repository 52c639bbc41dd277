using System.Diagnostics;
using System.Globalization;
using System.Text;
using Plumbline.Capture.Git;

namespace Plumbline.Bench.Capture;

/// <summary>A generated repository of N commits (git fast-import), imported with GitImporter.</summary>
internal static class GitHistory
{
    public static async Task RunAsync(StringBuilder report, int commits)
    {
        var root = Path.Combine(Path.GetTempPath(), "plumbline-bench-git-" + Guid.NewGuid().ToString("N"));
        var repo = Path.Combine(root, "study");
        Directory.CreateDirectory(repo);
        try
        {
            var build = Setup.Time();
            await BuildAsync(repo, commits);
            var buildMs = build.Elapsed.TotalMilliseconds;
            await using var store = await Setup.StoreAsync(root, "code");
            var import = Setup.Time();
            var result = await new GitImporter(store, TimeProvider.System).ImportAsync(
                repo,
                new GitImportOptions { Actor = "ada", Authors = new Dictionary<string, string> { ["ada@lab.org"] = "ada" } },
                null,
                default);
            var importMs = import.Elapsed.TotalMilliseconds;
            var again = Setup.Time();
            var second = await new GitImporter(store, TimeProvider.System).ImportAsync(repo, new GitImportOptions { Actor = "ada" }, null, default);
            var againMs = again.Elapsed.TotalMilliseconds;

            report.AppendLine("## `plumb import git`: a 5,000-commit history");
            report.AppendLine();
            report.AppendLine(CultureInfo.InvariantCulture, $"A repository generated with `git fast-import` ({buildMs:F0} ms): {commits:N0} commits over 200 text files of ~3 KB, each commit changing 1–3 files by a line, every 50th a new file, every 100th a rename. Imported in-process with GitImporter into a fresh SQLite store (one transaction).");
            report.AppendLine();
            report.AppendLine("| measure | value |");
            report.AppendLine("|---|---|");
            report.AppendLine(CultureInfo.InvariantCulture, $"| import | {importMs:F0} ms, {result.Commits / (importMs / 1000):F0} commits/s, {result.FileChanges / (importMs / 1000):F0} file changes/s |");
            report.AppendLine(CultureInfo.InvariantCulture, $"| stored | {result.Commits:N0} commits, {result.FileChanges:N0} file changes, {result.Patches:N0} patches, {result.Documents.Count} documents |");
            report.AppendLine(CultureInfo.InvariantCulture, $"| importing again (no-op: {second.AlreadyImported:N0} commits known) | {againMs:F0} ms |");
            report.AppendLine();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task BuildAsync(string repo, int commits)
    {
        Run(repo, "git", "init", "-q", "-b", "main");
        var random = new Random(7);
        var files = Enumerable.Range(0, 200).Select(i => $"src/m{i:D3}.py").ToList();
        var contents = files.ToDictionary(f => f, f => string.Join('\n', Enumerable.Range(0, 60).Select(l => $"x_{l} = {random.Next(100000)}  # {f}")) + "\n");
        var stream = new StringBuilder();
        var mark = 0;
        var time = 1_700_000_000L;
        for (var c = 0; c < commits; c++)
        {
            var changed = new Dictionary<string, string?>();
            if (c == 0)
            {
                foreach (var f in files)
                {
                    changed[f] = contents[f];
                }
            }
            else
            {
                for (var k = 0; k < 1 + random.Next(3); k++)
                {
                    var f = files[random.Next(files.Count)];
                    var lines = contents[f].Split('\n').ToList();
                    lines[random.Next(lines.Count - 1)] = $"y_{c} = {random.Next(100000)}";
                    contents[f] = string.Join('\n', lines);
                    changed[f] = contents[f];
                }

                if (c % 50 == 0)
                {
                    var f = $"notes/n{c}.md";
                    files.Add(f);
                    contents[f] = $"# note {c}\n" + string.Join('\n', Enumerable.Range(0, 30).Select(l => $"line {l} of note {c}")) + "\n";
                    changed[f] = contents[f];
                }

                if (c % 100 == 0)
                {
                    var from = files[random.Next(files.Count)];
                    var to = from.Replace(".", $"_r{c}.", StringComparison.Ordinal);
                    files.Remove(from);
                    files.Add(to);
                    contents[to] = contents[from];
                    contents.Remove(from);
                    changed[from] = null;
                    changed[to] = contents[to];
                }
            }

            time += 60;
            stream.Append(CultureInfo.InvariantCulture, $"commit refs/heads/main\nmark :{++mark}\nauthor Ada <ada@lab.org> {time} +0000\ncommitter Ada <ada@lab.org> {time} +0000\n");
            var message = $"change {c}";
            stream.Append(CultureInfo.InvariantCulture, $"data {Encoding.UTF8.GetByteCount(message)}\n{message}\n");
            if (c > 0)
            {
                stream.Append(CultureInfo.InvariantCulture, $"from :{mark - 1}\n");
            }

            foreach (var (path, text) in changed)
            {
                if (text is null)
                {
                    stream.Append(CultureInfo.InvariantCulture, $"D {path}\n");
                }
                else
                {
                    stream.Append(CultureInfo.InvariantCulture, $"M 100644 inline {path}\ndata {Encoding.UTF8.GetByteCount(text)}\n{text}\n");
                }
            }

            stream.Append('\n');
        }

        var info = new ProcessStartInfo("git", "fast-import --quiet") { WorkingDirectory = repo, RedirectStandardInput = true };
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(stream.ToString());
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        Run(repo, "git", "checkout", "-q", "main");
    }

    private static void Run(string folder, string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { WorkingDirectory = folder };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        process.WaitForExit();
    }
}
