using System.Diagnostics;
using System.Text;

namespace Plumbline.Cli.Tests;

/// <summary>The result of running the real <c>plumb</c> binary.</summary>
internal sealed record PlumbRun(int ExitCode, string Stdout, string Stderr, byte[] StdoutBytes);

/// <summary>Runs the built <c>plumb</c> as a separate process in a fresh working folder with its own store.</summary>
internal sealed class Plumb : IDisposable
{
    private readonly TempDirectory _directory = new();

    public string Folder => _directory.Path;

    public string StorePath => Path.Combine(Folder, ".plumbline", "plumbline.db");

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "plumb.dll");

    public PlumbRun Run(params string[] args) => RunAsync(args).GetAwaiter().GetResult();

    public async Task<PlumbRun> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await copy;
        var bytes = stdout.ToArray();
        return new PlumbRun(process.ExitCode, Encoding.UTF8.GetString(bytes), await stderr, bytes);
    }

    public Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("PLUMBLINE_STORE");
        info.Environment.Remove("PLUMBLINE_KEYS");
        info.Environment.Remove("PLUMBLINE_MASTER_KEY");
        return Process.Start(info) ?? throw new InvalidOperationException("could not start plumb");
    }

    /// <summary>Adds a contributor who consents to documents for research and training.</summary>
    public void Consenting(string name, string uses = "research,training")
    {
        Check(Run("contributor", "add", name));
        Check(Run("consent", "set", name, "--sources", "documents", "--uses", uses));
    }

    public static PlumbRun Check(PlumbRun run)
    {
        Assert.True(run.ExitCode == 0, $"plumb exited {run.ExitCode}: {run.Stderr}");
        return run;
    }

    public void Dispose() => _directory.Dispose();
}
