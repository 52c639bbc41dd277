using System.Diagnostics;

namespace Plumbline.Tasks.Mutation;

/// <summary>The result of one run of the test command.</summary>
public sealed record TestRun(int ExitCode, bool TimedOut, string OutputTail);

/// <summary>
/// Runs a project's test command (through <c>/bin/sh -c</c>) in a private copy of the source folder
/// (without <c>bin</c>, <c>obj</c>, <c>.git</c> and <c>node_modules</c>), so the user's tree is never
/// touched. A mutant is written into the copy, the command run, and the original file put back.
/// </summary>
public sealed class TestCommand : IDisposable
{
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { "bin", "obj", ".git", "node_modules" };

    private readonly string _command;
    private readonly TimeSpan _timeout;

    /// <summary>Copies <paramref name="source"/> to a new temporary folder.</summary>
    public TestCommand(string source, string command, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        _command = command;
        _timeout = timeout;
        Copy = Path.Combine(Path.GetTempPath(), "plumb-mutants-" + Guid.NewGuid().ToString("N")[..12]);
        CopyFolder(source, Copy);
    }

    /// <summary>The private copy the command runs in.</summary>
    public string Copy { get; }

    /// <summary>Runs the command on the copy as it is.</summary>
    public Task<TestRun> RunAsync(CancellationToken cancellationToken) => ExecuteAsync(cancellationToken);

    /// <summary>Runs the command with <paramref name="relativePath"/> replaced by <paramref name="mutant"/>, then restores the file.</summary>
    public async Task<TestRun> RunWithAsync(string relativePath, string mutant, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Copy, relativePath);
        var original = await File.ReadAllBytesAsync(path, cancellationToken);
        await File.WriteAllTextAsync(path, mutant, cancellationToken);
        try
        {
            return await ExecuteAsync(cancellationToken);
        }
        finally
        {
            await File.WriteAllBytesAsync(path, original, CancellationToken.None);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Copy, recursive: true);
        }
        catch (IOException)
        {
            // a process of the test command may still hold a file; the temp folder is cleaned by the OS
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private async Task<TestRun> ExecuteAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = Copy,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(_command);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start /bin/sh");
        process.StandardInput.Close();
        var output = new TailBuffer(4000);
        var stdout = PumpAsync(process.StandardOutput, output);
        var stderr = PumpAsync(process.StandardError, output);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            timedOut = true;
        }

        await Task.WhenAll(stdout, stderr);
        return new TestRun(timedOut ? -1 : process.ExitCode, timedOut, output.ToString());
    }

    private static async Task PumpAsync(StreamReader reader, TailBuffer into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            into.Append(buffer.AsSpan(0, read));
        }
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var folder in Directory.EnumerateDirectories(from))
        {
            var name = Path.GetFileName(folder);
            if (!Skipped.Contains(name) && !new DirectoryInfo(folder).Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                CopyFolder(folder, Path.Combine(to, name));
            }
        }
    }

    /// <summary>Keeps the last characters written to it.</summary>
    private sealed class TailBuffer(int capacity)
    {
        private readonly Lock _gate = new();
        private readonly System.Text.StringBuilder _text = new();

        public void Append(ReadOnlySpan<char> chunk)
        {
            lock (_gate)
            {
                _text.Append(chunk);
                if (_text.Length > capacity)
                {
                    _text.Remove(0, _text.Length - capacity);
                }
            }
        }

        public override string ToString()
        {
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }
}
