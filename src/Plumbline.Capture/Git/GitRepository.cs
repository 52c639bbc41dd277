using System.Diagnostics;
using System.Text;
using Plumbline.Core;
using Plumbline.Core.Capture.Git;

namespace Plumbline.Capture.Git;

/// <summary>A repository read through the <c>git</c> command-line tool.</summary>
public sealed class GitRepository : IAsyncDisposable
{
    private readonly string _path;
    private Process? _catFile;
    private BufferedStream? _catOutput;

    private GitRepository(string path, string top)
    {
        _path = path;
        Top = top;
    }

    /// <summary>The working tree's top folder.</summary>
    public string Top { get; }

    /// <summary>The repository folder's name, which prefixes its documents: <c>REPO_NAME/PATH</c>.</summary>
    public string Name => Path.GetFileName(Top.TrimEnd('/'));

    public static async Task<GitRepository> OpenAsync(string path, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(path))
        {
            throw PlumblineException.BadInput($"REPO: {Path.GetFullPath(path)}: no such folder");
        }

        var (code, stdout, stderr) = await RunAsync(path, ["rev-parse", "--show-toplevel"], cancellationToken);
        if (code != 0)
        {
            throw PlumblineException.BadInput($"REPO: {Path.GetFullPath(path)}: not a git repository ({stderr.Trim()})");
        }

        return new GitRepository(path, Encoding.UTF8.GetString(stdout).Trim());
    }

    /// <summary>Every commit reachable from <paramref name="revision"/>, parents before children.</summary>
    public async Task<List<GitCommit>> CommitsAsync(string revision, CancellationToken cancellationToken)
    {
        var (code, stdout, stderr) = await RunAsync(_path, GitLogParser.LogArguments(revision), cancellationToken);
        if (code != 0)
        {
            if (stderr.Contains("does not have any commits", StringComparison.Ordinal))
            {
                return [];
            }

            throw PlumblineException.BadInput($"REPO: git log {revision} failed: {stderr.Trim()}");
        }

        return GitLogParser.Parse(stdout);
    }

    /// <summary>A blob's bytes (by id, or <c>COMMIT:PATH</c>), through one long-running <c>git cat-file --batch</c>; null when git has no such object.</summary>
    public async Task<byte[]?> FindBlobAsync(string id, CancellationToken cancellationToken)
    {
        if (_catFile is null)
        {
            _catFile = Start(_path, ["cat-file", "--batch"]);
            _catOutput = new BufferedStream(_catFile.StandardOutput.BaseStream, 1 << 16);
        }

        var input = _catFile.StandardInput;
        await input.WriteAsync(id + "\n");
        await input.FlushAsync(cancellationToken);
        var output = _catOutput!;
        var header = await ReadLineAsync(output, cancellationToken);
        if (header.EndsWith(" missing", StringComparison.Ordinal) || header.EndsWith(" ambiguous", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = header.Split(' ');
        if (parts.Length != 3 || parts[1] != "blob")
        {
            throw new PlumblineException(FailureKind.Runtime, $"git cat-file: unexpected answer '{header}' for {id}");
        }

        var size = int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
        var bytes = new byte[size];
        await output.ReadExactlyAsync(bytes, cancellationToken);
        await ReadLineAsync(output, cancellationToken);
        return bytes;
    }

    /// <summary>A blob that must exist.</summary>
    public async Task<byte[]> BlobAsync(string id, CancellationToken cancellationToken) =>
        await FindBlobAsync(id, cancellationToken) ?? throw new PlumblineException(FailureKind.Runtime, $"git has no object {id}");

    public async ValueTask DisposeAsync()
    {
        if (_catFile is not null)
        {
            _catFile.StandardInput.Close();
            await _catFile.WaitForExitAsync();
            _catFile.Dispose();
        }
    }

    private static async Task<string> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var bytes = new List<byte>(64);
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new PlumblineException(FailureKind.Runtime, "git cat-file ended early");
            }

            if (one[0] == '\n')
            {
                return Encoding.UTF8.GetString(bytes.ToArray());
            }

            bytes.Add(one[0]);
        }
    }

    private static Process Start(string path, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = path,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("core.quotepath=off");
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["LC_ALL"] = "C";
        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        try
        {
            return Process.Start(info) ?? throw new PlumblineException(FailureKind.Runtime, "could not start git");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new PlumblineException(FailureKind.Runtime, $"the git command-line tool is needed and could not be started ({e.Message})");
        }
    }

    private static async Task<(int Code, byte[] Stdout, string Stderr)> RunAsync(string path, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Start(path, arguments);
        process.StandardInput.Close();
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout, cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        await copy;
        return (process.ExitCode, stdout.ToArray(), await stderr);
    }
}
