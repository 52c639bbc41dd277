namespace Plumbline.Bench.Infrastructure;

/// <summary>A way to run <c>plumb</c>: which build, under which runtime settings. Lets one run compare start-up tunings.</summary>
internal sealed record PlumbVariant(string Label, PlumbCli Cli, IReadOnlyDictionary<string, string> Environment)
{
    public bool IsDefault => Environment.Count == 0 && Label == "default";

    /// <summary>The Release build as is, the same with TieredPGO off, and (when built by run.sh) a ReadyToRun publish.</summary>
    public static IReadOnlyList<PlumbVariant> All(PlumbCli release, PlumbCli? readyToRun)
    {
        var list = new List<PlumbVariant>
        {
            new("default", release, new Dictionary<string, string>()),
            new("DOTNET_TieredPGO=0", release, new Dictionary<string, string> { ["DOTNET_TieredPGO"] = "0" }),
        };
        if (readyToRun is not null)
        {
            list.Add(new("ReadyToRun publish", readyToRun, new Dictionary<string, string>()));
            list.Add(new("ReadyToRun + DOTNET_TieredPGO=0", readyToRun, new Dictionary<string, string> { ["DOTNET_TieredPGO"] = "0" }));
        }

        return list;
    }

    public Task<ProcessRun> RunAsync(IReadOnlyList<string> arguments, string workingDirectory, bool captureOutput, CancellationToken cancellationToken) =>
        ProcessRunner.RunCheckedAsync(Cli.Path, arguments, workingDirectory, captureOutput, cancellationToken, Environment);
}
