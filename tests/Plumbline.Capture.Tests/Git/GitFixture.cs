using System.Diagnostics;

namespace Plumbline.Capture.Tests.Git;

/// <summary>A real git repository built by the test with the git command-line tool.</summary>
internal sealed class GitFixture : IDisposable
{
    private readonly TempDirectory _directory = new();
    private int _clock;

    public GitFixture(string name = "lab-notes")
    {
        Path = System.IO.Path.Combine(_directory.Path, name);
        Directory.CreateDirectory(Path);
        Git("init", "-q", "-b", "main");
    }

    public string Path { get; }

    public void Write(string file, string content)
    {
        var full = System.IO.Path.Combine(Path, file);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    public void WriteBytes(string file, byte[] content) => File.WriteAllBytes(System.IO.Path.Combine(Path, file), content);

    /// <summary>Commits everything as the author, at a fixed time one minute after the previous commit; returns the id.</summary>
    public string Commit(string message, string email = "ada@lab.org", string name = "Ada")
    {
        Git("add", "-A");
        _clock++;
        var date = new DateTimeOffset(2025, 5, 1, 9, 0, 0, TimeSpan.Zero).AddMinutes(_clock).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        Git(["-c", $"user.email={email}", "-c", $"user.name={name}", "commit", "-q", "--allow-empty", "-m", message], ("GIT_AUTHOR_DATE", date), ("GIT_COMMITTER_DATE", date));
        return Git("rev-parse", "HEAD").Trim();
    }

    public string Git(params string[] args) => Git(args, []);

    public string Git(string[] args, params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', args)} failed: {error}");
        return output;
    }

    public void Dispose() => _directory.Dispose();
}
