namespace Plumbline.Bench;

/// <summary>Command line of the benchmark, and how many repetitions each suite makes.</summary>
internal sealed record BenchOptions(string Mode, bool Quick, string? Output, string? Plumb, string? ReadyToRun)
{
    public static readonly string[] Modes = ["all", "ingest", "replay", "random", "size", "sweep", "million"];

    public const string Usage =
        "usage: Plumbline.Bench [all|ingest|replay|random|size|sweep|million] [--quick] [--out FILE] [--plumb PATH] [--plumb-r2r PATH]\n" +
        "  size runs the bytes-on-disk table and the StoreOptions sweep; sweep runs the sweep alone.\n" +
        "  --quick: few repetitions, to check the harness (numbers not for reporting).\n" +
        "  --plumb-r2r: a ReadyToRun publish of plumb (run.sh makes one) for the start-up comparison rows.";

    public int ProcessRuns => Quick ? 1 : 5;

    /// <summary>Rounds in which the non-default plumb variants (runtime settings, ReadyToRun) are also run.</summary>
    public int VariantRuns => Quick ? 1 : 3;

    public int ReplayProcessRuns => Quick ? 2 : 10;

    public int MillionRuns => Quick ? 1 : 3;

    public int ReplayIterations => Quick ? 10 : 60;

    public int RandomSamples => Quick ? 100 : 1000;

    public int SweepSamples => Quick ? 30 : 200;

    /// <summary>Whether <paramref name="suite"/> runs in this mode: size includes the sweep, and the sweep includes the Brotli window table.</summary>
    public bool Runs(string suite) =>
        Mode == "all" || Mode == suite || (Mode == "size" && suite is "sweep" or "brotli") || (Mode == "sweep" && suite == "brotli");

    public static BenchOptions? Parse(string[] args)
    {
        string mode = "all";
        bool quick = false;
        string? output = null, plumb = null, readyToRun = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--out" when i + 1 < args.Length:
                    output = Path.GetFullPath(args[++i]);
                    break;
                case "--plumb-r2r" when i + 1 < args.Length:
                    readyToRun = Path.GetFullPath(args[++i]);
                    break;
                case "--plumb" when i + 1 < args.Length:
                    plumb = Path.GetFullPath(args[++i]);
                    break;
                case var m when Modes.Contains(m):
                    mode = m;
                    break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'");
                    return null;
            }
        }

        return new BenchOptions(mode, quick, output, plumb, readyToRun);
    }
}
