using System.Diagnostics;

namespace Plumbline.Server.Tests;

/// <summary>The real <c>plumb serve</c> as a child process on a free port (what the crash tests kill).</summary>
internal sealed class ServeProcess : IDisposable
{
    private readonly Process _process;

    private ServeProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "plumb.dll");

    public static async Task<ServeProcess> StartAsync(string store, string keys, string workingDirectory)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "exec", Dll, "serve", "--store", store, "--keys", keys, "--urls", "http://127.0.0.1:0" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("PLUMBLINE_STORE");
        info.Environment.Remove("PLUMBLINE_SERVER");
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start plumb serve");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("Listening on ", StringComparison.Ordinal))
            {
                var url = line["Listening on ".Length..].Split(' ')[0];
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return new ServeProcess(process, new Uri(url + "/"));
            }
        }

        throw new InvalidOperationException($"plumb serve exited ({process.ExitCode}) before listening");
    }

    /// <summary>SIGKILL: no shutdown, no flush, nothing.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as a service manager stops it; returns the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
