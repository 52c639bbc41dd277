using System.Text.Json;

namespace Plumbline.Bench.Infrastructure;

/// <summary>The Release <c>plumb</c> binary, run as a fresh process for every call.</summary>
internal sealed class PlumbCli(string path)
{
    public const string Contributor = "alice";

    public string Path => path;

    public Task<ProcessRun> VersionAsync(string workingDirectory, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null) =>
        ProcessRunner.RunCheckedAsync(path, ["--version"], workingDirectory, captureOutput: true, cancellationToken, environment);

    /// <summary><c>plumb import trace FILE --as alice --json</c>; checks the reported event count.</summary>
    public async Task<ProcessRun> ImportTraceAsync(
        string store,
        string file,
        long expectedEvents,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var run = await ProcessRunner.RunCheckedAsync(
            path, ImportArguments(store, file), System.IO.Path.GetDirectoryName(store)!, captureOutput: true, cancellationToken, environment);
        using var json = JsonDocument.Parse(run.StandardOutput);
        var events = json.RootElement.GetProperty("events").GetInt64();
        if (events != expectedEvents)
        {
            throw new InvalidOperationException($"plumb import trace {file} reported {events} events, expected {expectedEvents}");
        }

        return run;
    }

    public static string[] ImportArguments(string store, string file) =>
        ["--store", store, "import", "trace", file, "--as", Contributor, "--json"];
}
