namespace Plumbline.Bench.Infrastructure;

/// <summary>Where things are (repository, real traces, the Release <c>plumb</c>, a scratch folder) and the report being written.</summary>
internal sealed class BenchContext : IDisposable
{
    private int _next;

    private BenchContext(string root, string plumb, string? readyToRun, string scratch)
    {
        RepositoryRoot = root;
        Plumb = new PlumbCli(plumb);
        ReadyToRun = readyToRun is null ? null : new PlumbCli(readyToRun);
        Variants = PlumbVariant.All(Plumb, ReadyToRun);
        Scratch = scratch;
        Traces = new TraceLibrary(Path.GetFullPath(Path.Combine(root, "..", "shared", "realdata", "editing-traces")));
    }

    public string RepositoryRoot { get; }

    /// <summary>The Release build of <c>plumb</c> (bin/Release/net10.0), what every headline number uses.</summary>
    public PlumbCli Plumb { get; }

    /// <summary>A ReadyToRun publish of the same sources, when run.sh made one; only for the start-up comparison rows.</summary>
    public PlumbCli? ReadyToRun { get; }

    public IReadOnlyList<PlumbVariant> Variants { get; }

    /// <summary>A folder under the system temp folder, removed at the end of the run.</summary>
    public string Scratch { get; }

    public TraceLibrary Traces { get; }

    public Report Report { get; } = new();

    public static BenchContext Create(string? plumbOverride, string? readyToRun)
    {
        if (readyToRun is not null && !File.Exists(readyToRun))
        {
            throw new InvalidOperationException($"--plumb-r2r {readyToRun}: no such file");
        }

        var root = FindRepositoryRoot();
        var plumb = plumbOverride ?? Path.Combine(root, "src", "Plumbline.Cli", "bin", "Release", "net10.0", "plumb");
        if (!File.Exists(plumb))
        {
            throw new InvalidOperationException(
                $"{plumb} does not exist; build it first: dotnet build -c Release src/Plumbline.Cli (bench/run.sh does)");
        }

        var scratch = Path.Combine(Path.GetTempPath(), $"plumbline-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(scratch);
        return new BenchContext(root, plumb, readyToRun, scratch);
    }

    /// <summary>A new empty folder in the scratch area, for one store.</summary>
    public string NewFolder(string label)
    {
        var folder = Path.Combine(Scratch, $"{Interlocked.Increment(ref _next):D3}-{label}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Scratch, recursive: true);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"warning: could not remove {Scratch}: {e.Message}");
        }
    }

    private static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Plumbline.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("no Plumbline.slnx above the current folder or the bench binary; run from the repository");
    }
}
