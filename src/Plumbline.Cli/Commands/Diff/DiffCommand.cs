using System.CommandLine;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Core.Supervision;
using Plumbline.Core.Supervision.Diff;
using Plumbline.Models;
using Plumbline.Models.Diff;
using Plumbline.Models.Sampling;

namespace Plumbline.Cli.Commands.Diff;

/// <summary>
/// <c>plumb diff --before A.jsonl --after B.jsonl --out DIR [--intended TEXT] [--labeler M] [--judge M]
/// [--facets M] [--embedder E] [--json]</c>, or <c>--before-model M --after-model M --prompts FILE</c> to
/// sample first: what changed between two models' responses (report.json and report.html in DIR).
/// </summary>
internal static class DiffCommand
{
    public static Command Create()
    {
        var before = new Option<FileInfo?>("--before") { Description = "Samples JSONL of the earlier model ({\"id\", \"model\", \"prompt\", \"response\"} per line)", HelpName = "FILE" };
        var after = new Option<FileInfo?>("--after") { Description = "Samples JSONL of the fine-tuned model", HelpName = "FILE" };
        var beforeModel = new Option<string?>("--before-model") { Description = "Sample the earlier model first (with --prompts): a model reference or plumbline.yaml name", HelpName = "M" };
        var afterModel = new Option<string?>("--after-model") { Description = "Sample the fine-tuned model first (with --prompts)", HelpName = "M" };
        var prompts = new Option<FileInfo?>("--prompts") { Description = "Prompts to sample: JSONL with \"prompt\" (and optional \"id\") per line, or one prompt per line", HelpName = "FILE" };
        var perPrompt = new Option<int>("--samples-per-prompt") { Description = "Responses per prompt and model when sampling (default 1)", DefaultValueFactory = _ => 1, HelpName = "N" };
        var temperature = new Option<float?>("--temperature") { Description = "Sampling temperature (default: the model's)", HelpName = "T" };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Longest sampled reply in tokens (default: the model's)", HelpName = "N" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for report.json and report.html (created)", Required = true, HelpName = "DIR" };
        var intended = new Option<string?>("--intended") { Description = "What the fine-tuning was meant to change (for the judge)", HelpName = "TEXT" };
        var labeler = new Option<string?>("--labeler") { Description = "Chat model that writes contrastive cluster labels and validates them", HelpName = "M" };
        var judge = new Option<string?>("--judge") { Description = "Chat model that judges each significant difference against --intended", HelpName = "M" };
        var facets = new Option<string?>("--facets") { Description = "Chat model that summarises each response's behaviour in one line; the summaries are embedded", HelpName = "M" };
        var embedder = new Option<string>("--embedder") { Description = "Embedder (default builtin:lsa)", DefaultValueFactory = _ => "builtin:lsa", HelpName = "E" };
        var seed = new Option<int>("--seed") { Description = "Seed of every random step (default 0)", HelpName = "S" };
        var k = new Option<int?>("--k") { Description = "A fixed number of clusters instead of choosing it by silhouette", HelpName = "K" };
        var maxK = new Option<int>("--max-k") { Description = "Largest k tried (default 30)", DefaultValueFactory = _ => 30, HelpName = "K" };
        var alpha = new Option<double>("--alpha") { Description = "False discovery rate for significance (default 0.05)", DefaultValueFactory = _ => 0.05, HelpName = "Q" };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap resamples for cluster stability (default 10; 0 skips)", DefaultValueFactory = _ => 10, HelpName = "N" };
        var noNullCheck = new Option<bool>("--no-null-check") { Description = "Skip the null check (before split in two halves)" };
        var noStratify = new Option<bool>("--no-stratify") { Description = "Do not stratify the tests by prompt even when both sides answered the same prompts" };
        var command = new Command("diff", "Behaviour diff: cluster two models' responses, label the clusters, test which shares changed, judge the changes")
        {
            before, after, beforeModel, afterModel, prompts, perPrompt, temperature, maxTokens, output, intended, labeler, judge, facets, embedder, seed, k, maxK, alpha, bootstrap, noNullCheck, noStratify,
        };
        return command.WithAction(async (context, ct) =>
        {
            var request = new DiffRequest(
                context.Get(before), context.Get(after), context.Get(beforeModel), context.Get(afterModel), context.Get(prompts), context.Get(perPrompt), context.Get(temperature), context.Get(maxTokens),
                context.Get(output), context.Get(intended), context.Get(labeler), context.Get(judge), context.Get(facets), context.Get(embedder));
            var options = new DiffOptions
            {
                Seed = context.Get(seed),
                K = context.Get(k),
                MaxK = context.Get(maxK),
                Alpha = context.Get(alpha),
                BootstrapResamples = context.Get(bootstrap),
                NullCheck = !context.Get(noNullCheck),
                Stratify = context.Get(noStratify) ? false : null,
                Intended = context.Get(intended),
                MarkNegation = context.Get(embedder).StartsWith("builtin:", StringComparison.Ordinal),
            };
            return await RunAsync(context, request, options, ct);
        });
    }

    private sealed record DiffRequest(FileInfo? Before, FileInfo? After, string? BeforeModel, string? AfterModel, FileInfo? Prompts, int PerPrompt, float? Temperature, int? MaxTokens, DirectoryInfo Out, string? Intended, string? Labeler, string? Judge, string? Facets, string Embedder);

    /// <summary>The offline diff of two samples files into a report folder, printing nothing (plumb serve --sample's diff report).</summary>
    internal static Task<int> WriteReportAsync(CliContext context, FileInfo before, FileInfo after, DirectoryInfo output, CancellationToken ct) =>
        RunAsync(
            context,
            new DiffRequest(before, after, null, null, null, 1, null, null, output, null, null, null, null, "builtin:lsa"),
            new DiffOptions { MarkNegation = true },
            ct,
            print: false);

    private static async Task<int> RunAsync(CliContext context, DiffRequest request, DiffOptions options, CancellationToken ct, bool print = true)
    {
        var errors = options.Validate().Select(e => "--" + e).ToList();
        var sampling = request.BeforeModel is not null || request.AfterModel is not null || request.Prompts is not null;
        if (sampling)
        {
            if (request.BeforeModel is null || request.AfterModel is null || request.Prompts is null)
            {
                errors.Add("sampling needs --before-model, --after-model and --prompts together");
            }

            if (request.Before is not null || request.After is not null)
            {
                errors.Add("give either --before/--after files or --before-model/--after-model with --prompts, not both");
            }

            if (request.PerPrompt < 1)
            {
                errors.Add($"--samples-per-prompt must be at least 1 (was {request.PerPrompt})");
            }

            if (request.Temperature is < 0)
            {
                errors.Add($"--temperature must be 0 or more (was {request.Temperature})");
            }

            if (request.MaxTokens is < 1)
            {
                errors.Add($"--max-tokens must be at least 1 (was {request.MaxTokens})");
            }
        }
        else if (request.Before is null || request.After is null)
        {
            errors.Add("--before and --after are required (or --before-model, --after-model and --prompts)");
        }

        if (request.Judge is not null && request.Intended is null)
        {
            errors.Add("--judge needs --intended (what the fine-tuning was meant to change)");
        }

        if (errors.Count > 0)
        {
            throw PlumblineException.BadInput(string.Join("; ", errors));
        }

        var catalog = SampleCommand.Catalog(context, noCache: false);
        var models = DiffModelFactory.Create(catalog, request.Embedder, request.Facets, request.Labeler, request.Judge);

        // read everything before writing anything; sampling writes only its own resumable files
        IReadOnlyList<ModelSample> beforeSamples, afterSamples;
        var inputs = new List<object>();
        string beforeName, afterName;
        if (sampling)
        {
            var promptList = PromptFile.Read(request.Prompts!.FullName);
            inputs.Add(new { path = request.Prompts.FullName, sha256 = ReadInput(request.Prompts, "--prompts").Sha256 });
            var settings = new[] { catalog.Resolve(request.BeforeModel!), catalog.Resolve(request.AfterModel!) };
            Directory.CreateDirectory(request.Out.FullName);
            var sides = new List<IReadOnlyList<ModelSample>>();
            foreach (var (model, file, setting) in new[] { (request.BeforeModel!, "before.jsonl", settings[0]), (request.AfterModel!, "after.jsonl", settings[1]) })
            {
                var path = Path.Combine(request.Out.FullName, file);
                using var chat = catalog.CreateChatClient(model);
                var samplingRequest = new SamplingRequest(model, path, request.PerPrompt, request.Temperature, options.Seed, request.MaxTokens, setting.MaxConcurrency);
                var summary = await SampleCommand.RunWithProgressAsync(context, chat, promptList, samplingRequest, ct);
                if (summary.Interrupted)
                {
                    await Console.Error.WriteLineAsync($"plumb: interrupted: {summary.AlreadyDone + summary.Written} of {summary.Requested} samples of {model} are in {path}; run the same command again to continue");
                    return ExitCodes.Cancelled;
                }

                context.Say($"{model}: {summary.AlreadyDone} samples already in {path}, {summary.Written} new ({summary.FromCache} from the cache)");

                var text = ReadInput(new FileInfo(path), file);
                inputs.Add(new { path, sha256 = text.Sha256 });
                sides.Add(ModelSamples.Read(new StringReader(text.Text), path));
            }

            (beforeSamples, afterSamples) = (sides[0], sides[1]);
            (beforeName, afterName) = (request.BeforeModel!, request.AfterModel!);
        }
        else
        {
            var b = ReadInput(request.Before!, "--before");
            var a = ReadInput(request.After!, "--after");
            beforeSamples = ModelSamples.Read(new StringReader(b.Text), request.Before!.FullName);
            afterSamples = ModelSamples.Read(new StringReader(a.Text), request.After!.FullName);
            inputs.Add(new { path = request.Before!.FullName, sha256 = b.Sha256 });
            inputs.Add(new { path = request.After!.FullName, sha256 = a.Sha256 });
            (beforeName, afterName) = (request.Before.Name, request.After.Name);
        }

        var report = await context.WithProgressAsync("behaviour diff", async p =>
        {
            var steps = new Progress<DiffProgress>(d => p?.Report(Overall(d)));
            return await BehaviourDiff.RunAsync(beforeSamples, afterSamples, models, options, steps, ct);
        });

        var commandLine = "plumb " + string.Join(" ", Environment.GetCommandLineArgs().Skip(1).Select(Quote));
        var run = new
        {
            plumb_version = typeof(DiffCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            command_line = commandLine,
            seeds = new { seed = options.Seed },
            models = new { embedder = request.Embedder, facets = request.Facets, labeler = request.Labeler, judge = request.Judge, before = request.BeforeModel, after = request.AfterModel },
            inputs,
        };
        var json = JsonSerializer.Serialize(new { run, summary = report.Summary, clusters = report.Clusters, coarse = report.Coarse, null_check = report.NullCheck }, ReportJson);
        var html = DiffHtml.Render(report, beforeName, afterName, commandLine);

        Directory.CreateDirectory(request.Out.FullName);

        await WriteAtomicallyAsync(Path.Combine(request.Out.FullName, "report.json"), json + "\n", ct);
        await WriteAtomicallyAsync(Path.Combine(request.Out.FullName, "report.html"), html, ct);

        if (!print)
        {
            return ExitCodes.Success;
        }

        if (context.Json)
        {
            context.WriteJson(new
            {
                @out = request.Out.FullName,
                k = report.Summary.K,
                stratified = report.Summary.Stratified,
                significant_clusters = report.Summary.SignificantClusters,
                impure_clusters = report.Summary.ImpureClusters,
                significant_groups = report.Summary.SignificantGroups,
                impure_groups = report.Summary.ImpureGroups,
                null_check = report.NullCheck,
                clusters = report.Clusters.Where(c => c.Significant || c.Impure).Select(c => new { id = c.Id, label = c.Label, shares = c.Shares, q_value = c.QValue, significant = c.Significant, impure = c.Impure, verdict = c.Verdict?.Verdict }),
                groups = report.Coarse.Where(g => g.Significant || g.Impure).Select(g => new { id = g.Id, label = g.Label, clusters = g.Clusters, shares = g.Shares, q_value = g.QValue, significant = g.Significant, impure = g.Impure }),
            });
        }
        else
        {
            Console.Out.Write(Describe(report, request.Out.FullName));
        }

        return ExitCodes.Success;
    }

    private static readonly JsonSerializerOptions ReportJson = new(CliContext.JsonOptions) { WriteIndented = true };

    private static double Overall(DiffProgress p) => p.Step switch
    {
        "facets" => 0.1 * p.Fraction,
        "embed" => 0.1 + (0.1 * p.Fraction),
        "cluster" => 0.2 + (0.3 * p.Fraction),
        "test" => 0.5 + (0.2 * p.Fraction),
        "label" => 0.7 + (0.1 * p.Fraction),
        "judge" => 0.8 + (0.05 * p.Fraction),
        _ => 0.85 + (0.15 * p.Fraction),
    };

    private static (string Text, string Sha256) ReadInput(FileInfo file, string option)
    {
        if (!file.Exists)
        {
            throw PlumblineException.BadInput($"{option}: {file.FullName}: no such file");
        }

        var bytes = File.ReadAllBytes(file.FullName);
        return (new UTF8Encoding(false, true).GetString(bytes), Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    private static async Task WriteAtomicallyAsync(string path, string content, CancellationToken ct)
    {
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, content, new UTF8Encoding(false), ct);
        File.Move(temporary, path, overwrite: true);
    }

    private static string Quote(string argument) => argument.Any(char.IsWhiteSpace) || argument.Length == 0 ? "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'" : argument;

    internal static string Describe(DiffReport report, string folder)
    {
        var s = report.Summary;
        var text = new StringBuilder();
        text.Append($"{s.BeforeSamples} before and {s.AfterSamples} after responses in {s.K} clusters ({s.CoarseGroups} coarse groups); test: {s.Test.Replace('_', ' ')}\n");
        foreach (var c in report.Clusters.Where(c => c.Significant || c.Impure).OrderBy(c => c.QValue))
        {
            text.Append($"  #{c.Id} {c.Label}: {c.Shares.Before:P1} → {c.Shares.After:P1} (q {c.QValue:G3}){(c.Impure ? ", impure" : "")}{(c.Verdict is { } v ? $", judge: {v.Verdict}" : "")}\n");
        }

        foreach (var g in report.Coarse.Where(g => g.Significant || g.Impure).OrderBy(g => g.QValue))
        {
            text.Append($"  G{g.Id} [{string.Join(", ", g.Clusters.Select(c => "#" + c))}] {g.Label}: {g.Shares.Before:P1} → {g.Shares.After:P1} (q {g.QValue:G3}){(g.Impure ? ", impure" + (g.Split is { Significant: true } sp ? $": after leans to {string.Join(", ", sp.AfterKeywords.Take(3))}; before to {string.Join(", ", sp.BeforeKeywords.Take(3))}" : "") : "")}\n");
        }

        if (s.SignificantClusters + s.ImpureClusters + s.SignificantGroups + s.ImpureGroups == 0)
        {
            text.Append("  no significant change\n");
        }

        if (report.NullCheck is { } nc)
        {
            text.Append($"null check: {nc.SignificantClusters} of {nc.Clusters} clusters significant between two halves of before ({(nc.Passed ? "clean" : "NOT clean")})\n");
        }

        text.Append($"report: {Path.Combine(folder, "report.html")}\n");
        return text.ToString();
    }
}
