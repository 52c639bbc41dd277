using System.CommandLine;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;

namespace Plumbline.Cli.Commands.Drift;

/// <summary>The options every drift verb takes (a fresh set per command).</summary>
internal sealed class DriftCliOptions
{
    public Option<DirectoryInfo> Out { get; } = new("--out") { Description = "Folder for report.json and report.html (created if missing)", Required = true, HelpName = "DIR" };

    public Option<FileInfo?> Gate { get; } = new("--gate") { Description = "Gate file (YAML): fail_when: [\"distinct_2 < 0.6 * round0\", \"frechet_to_reference > 2.5\"]; a condition that holds exits 3", HelpName = "FILE" };

    public Option<FileInfo[]> Probes { get; } = new("--probes") { Description = "Multiple-choice probes (JSONL: question + answer_matching_behavior/answer_not_matching_behavior, or question + choices + matching); repeat for more", HelpName = "FILE", AllowMultipleArgumentsPerToken = true };

    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of every random choice (bootstrap, classifier folds, clustering, LSA)", DefaultValueFactory = _ => 0 };

    public Option<int> Resamples { get; } = new("--resamples") { Description = "Bootstrap resamples per metric (0: no intervals)", DefaultValueFactory = _ => 100 };

    public Option<int> Clusters { get; } = new("--clusters") { Description = "k of the frozen k-means clusterings (0: no cluster metrics)", DefaultValueFactory = _ => 8 };

    public Option<int> Dimensions { get; } = new("--dimensions") { Description = "Size of the LSA embedding fitted on the reference", DefaultValueFactory = _ => 100 };

    public Option<int> Order { get; } = new("--order") { Description = "n of the n-gram model(s)", DefaultValueFactory = _ => 3 };

    public Option<string?> Embedder { get; } = new("--embedder") { Description = "Embedder: builtin:lsa (default: fitted on the reference), builtin:lsa:PATH, openai:MODEL@URL or a plumbline.yaml name", HelpName = "MODEL" };

    public IEnumerable<Option> All => [Out, Gate, Probes, Seed, Resamples, Clusters, Dimensions, Order, Embedder];

    public DriftSettings Settings(CliContext context, string? perplexityModel)
    {
        var settings = new DriftSettings(context.Get(Seed), context.Get(Resamples), context.Get(Clusters), context.Get(Dimensions), context.Get(Order), context.Get(Embedder), perplexityModel);
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw PlumblineException.BadInput(string.Join("; ", errors));
        }

        return settings;
    }

    public static Dictionary<string, int> Seeds(DriftSettings settings) => new(StringComparer.Ordinal) { ["seed"] = settings.Seed };
}
