using System.Globalization;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Core.Supervision.Drift;
using Plumbline.Models;
using Plumbline.Models.Drift;
using Plumbline.Models.Lsa;
using Plumbline.Models.Ngram;
using Spectre.Console;

namespace Plumbline.Cli.Commands.Drift;

/// <summary>Options shared by <c>plumb drift</c>, <c>plumb drift watch</c> and <c>plumb simulate</c>.</summary>
internal sealed record DriftSettings(int Seed, int Resamples, int Clusters, int Dimensions, int Order, string? Embedder, string? PerplexityModel)
{
    public DriftOptions Monitor => new(Seed: Seed, Resamples: Resamples, Clusters: Math.Max(2, Clusters));

    public bool Clustering => Clusters >= 2;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(Monitor.Validate().Select(e => "--" + e.Replace("classifier max per set", "classifier", StringComparison.Ordinal)));
        if (Clusters is 1 or < 0)
        {
            errors.Add($"--clusters must be 0 (no clustering) or at least 2 (was {Clusters})");
        }

        if (Dimensions < 2)
        {
            errors.Add($"--dimensions must be at least 2 (was {Dimensions})");
        }

        if (Order is < 1 or > NgramOptions.MaxOrder)
        {
            errors.Add($"--order must be between 1 and {NgramOptions.MaxOrder} (was {Order})");
        }

        return errors;
    }
}

/// <summary>One drift run: the monitor, the gate, and the report rewritten after every round.</summary>
internal sealed class DriftSession
{
    private readonly CliContext _context;
    private readonly DirectoryInfo _out;
    private readonly Gate _gate;
    private readonly ReportRun _run;
    private readonly IDriftMonitor _monitor;
    private readonly List<SimulationStep>? _simulation;

    private DriftSession(CliContext context, DirectoryInfo output, Gate gate, ReportRun run, IDriftMonitor monitor, bool simulation)
    {
        _context = context;
        _out = output;
        _gate = gate;
        _run = run;
        _monitor = monitor;
        _simulation = simulation ? [] : null;
    }

    public IDriftMonitor Monitor => _monitor;

    /// <summary>Measures the reference and gets ready for round 0.</summary>
    public static async Task<DriftSession> StartAsync(
        CliContext context, DirectoryInfo output, DriftSettings settings, DriftInputs.Input reference, Gate gate, ReportRun run, bool probes, NgramModel? round0Model, bool simulation, CancellationToken cancellationToken)
    {
        var scorer = CreateScorer(settings, reference.Texts, round0Model);
        var monitor = await context.WithProgressAsync(
            $"Measuring the reference {reference.Name}",
            _ => DriftAnalysis.StartAsync(reference.Name, reference.Texts, scorer, settings.Clustering ? new KMeansClusterer() : null, settings.Monitor, probes, cancellationToken));
        return new DriftSession(context, output, gate, run, monitor, simulation);
    }

    /// <summary>Measures a round, rewrites the report, and returns the gate failures of this round.</summary>
    public async Task<IReadOnlyList<string>> AddRoundAsync(string source, IReadOnlyList<string> texts, IReadOnlyList<ProbeTally>? probes, SimulationStep? step, CancellationToken cancellationToken)
    {
        var round = await _context.WithProgressAsync(
            $"Round {_monitor.Rounds.Count}: {source}",
            _ => _monitor.AddRoundAsync(source, texts, probes, cancellationToken));
        if (step is not null)
        {
            _simulation?.Add(step);
        }

        await DriftReportWriter.WriteAsync(_out, Report(), cancellationToken);
        var failures = _gate.FailuresAt(round.Round, Metrics());
        if (!_context.Json)
        {
            _context.Error.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]round {round.Round}[/] {source}: distinct_2 {round.Metrics[DriftMetrics.Distinct2]:0.###}, self_bleu {round.Metrics[DriftMetrics.SelfBleu]:0.###}, vendi {round.Metrics[DriftMetrics.Vendi]:0.##}, frechet_to_reference {round.Metrics[DriftMetrics.FrechetToReference]:0.####}, perplexity_median {round.Metrics[DriftMetrics.PerplexityMedian]:0.#}");
        }

        return failures;
    }

    public DriftReport Report() =>
        new(_run, _monitor.Reference, _monitor.Rounds, _monitor.Clusters, _gate.Evaluate(Metrics()), _gate.Conditions.Select(c => c.Text).ToArray(), _simulation);

    /// <summary>Prints the outcome and returns the exit code: 3 when the gate failed.</summary>
    public int Finish()
    {
        var report = Report();
        if (_context.Json)
        {
            Console.Out.Write(System.Text.Json.JsonSerializer.Serialize(report, DriftReportWriter.Compact));
            Console.Out.Write('\n');
        }
        else
        {
            _context.Say(Table(report));
            _context.Say($"report: {Path.Combine(_out.FullName, "report.json")} and report.html");
        }

        if (!report.Gate.Passed)
        {
            Console.Error.WriteLine($"plumb: drift gate failed: {string.Join("; ", report.Gate.Failed)}");
            return ExitCodes.CheckFailed;
        }

        return ExitCodes.Success;
    }

    private IReadOnlyList<IReadOnlyDictionary<string, double>> Metrics() => _monitor.Rounds.Select(r => r.Metrics).ToArray();

    private static string Table(DriftReport report)
    {
        string[] columns = [DriftMetrics.Distinct2, DriftMetrics.SelfBleu, DriftMetrics.Vendi, DriftMetrics.FrechetToReference, DriftMetrics.ClassifierAucToReference, DriftMetrics.PerplexityMedian, DriftMetrics.PerplexityTailShare];
        var lines = new List<string> { string.Join("  ", new[] { "round".PadRight(9) }.Concat(columns.Select(c => c.PadLeft(Math.Max(10, c.Length))))) };
        foreach (var r in new[] { report.Reference }.Concat(report.Rounds))
        {
            var label = r.Round < 0 ? "reference" : r.Round.ToString(CultureInfo.InvariantCulture);
            lines.Add(string.Join("  ", new[] { label.PadRight(9) }.Concat(columns.Select(c => Format(r.Metrics.GetValueOrDefault(c, double.NaN)).PadLeft(Math.Max(10, c.Length))))));
        }

        lines.Add(report.Gate.Passed ? $"gate: passed ({report.Conditions.Count} condition(s))" : $"gate: FAILED — {string.Join("; ", report.Gate.Failed)}");
        return string.Join('\n', lines);
    }

    private static string Format(double value) => double.IsFinite(value) ? value.ToString("0.####", CultureInfo.InvariantCulture) : "–";

    private static IDriftScorer CreateScorer(DriftSettings settings, IReadOnlyList<string> reference, NgramModel? round0Model)
    {
        var catalog = ModelCatalog.ForDirectory(Directory.GetCurrentDirectory());
        Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>? embedder = null;
        if (settings.Embedder is { } reference0 && reference0 != "builtin:lsa")
        {
            embedder = catalog.CreateEmbeddingGenerator(reference0);
        }

        if (round0Model is null && settings.PerplexityModel is { } perplexity)
        {
            var resolved = catalog.Resolve(perplexity).Reference;
            if (resolved.Provider != ModelProvider.BuiltinNgram)
            {
                throw PlumblineException.BadInput($"--perplexity-model '{perplexity}': expected builtin:ngram:PATH (an n-gram model scores perplexity)");
            }

            if (!File.Exists(resolved.Path))
            {
                throw PlumblineException.BadInput($"--perplexity-model: {Path.GetFullPath(resolved.Path!)}: no such file");
            }

            round0Model = NgramModel.Load(resolved.Path!);
        }

        return DriftScorers.Create(reference, embedder, new LsaOptions(Dimensions: settings.Dimensions, Seed: settings.Seed), new NgramOptions(Order: settings.Order), round0Model);
    }
}
