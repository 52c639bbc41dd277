using System.Diagnostics;
using System.Text;

namespace Plumbline.Bench.Infrastructure;

/// <summary>One finished process: its wall time (start to exit and end of output), exit code and captured output.</summary>
internal sealed record ProcessRun(double Milliseconds, int ExitCode, string StandardOutput, long StandardOutputBytes, string StandardError);

/// <summary>Starts processes and times them from <see cref="Process.Start()"/> until they exit and their output is drained.</summary>
internal static class ProcessRunner
{
    /// <summary>Runs <paramref name="file"/>; with <paramref name="captureOutput"/> false stdout is counted and thrown away (like &gt; /dev/null).</summary>
    public static async Task<ProcessRun> RunAsync(
        string file,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        bool captureOutput,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var start = Clock.Now();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = captureOutput ? CaptureAsync(process.StandardOutput.BaseStream, cancellationToken) : DiscardAsync(process.StandardOutput.BaseStream, cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var (text, bytes) = await stdout;
        var errors = await stderr;
        var elapsed = Clock.MillisecondsSince(start);
        return new ProcessRun(elapsed, process.ExitCode, text, bytes, errors);
    }

    /// <summary>Like <see cref="RunAsync"/>, but a non-zero exit code is an error naming the command and its stderr.</summary>
    public static async Task<ProcessRun> RunCheckedAsync(
        string file,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        bool captureOutput,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var run = await RunAsync(file, arguments, workingDirectory, captureOutput, cancellationToken, environment);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited with {run.ExitCode}: {run.StandardError.Trim()}");
        }

        return run;
    }

    private static async Task<(string, long)> CaptureAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return (Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), buffer.Length);
    }

    private static async Task<(string, long)> DiscardAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
        }

        return ("", total);
    }
}
