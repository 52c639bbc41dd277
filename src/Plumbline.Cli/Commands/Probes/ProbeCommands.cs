using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Core.Supervision.Probes;
using Plumbline.Models.Probes;
using Spectre.Console;

namespace Plumbline.Cli.Commands.Probes;

/// <summary><c>plumb probe generate|eval|subtasks</c>: probe sets for stable self-reflectivity.</summary>
internal static class ProbeCommands
{
    public static Command Create() => new("probe", "Probe sets for stable self-reflectivity: generate and validate them with a model, evaluate models on them")
    {
        Generate(),
        Eval(),
        Subtasks(),
    };

    private static Command Subtasks()
    {
        var command = new Command("subtasks", "List the built-in subtasks, their definitions and seed examples");
        return command.WithAction((context, _) =>
        {
            if (context.Json)
            {
                context.WriteJson(new
                {
                    subtasks = ProbeSubtask.BuiltIn.Select(s => new { name = s.Name, title = s.Title, definition = s.Definition, format = s.Format == ProbeFormat.YesNo ? "yes-no" : "choice", causal_check = s.CausalCheck, seeds = s.ShippedSeeds().Count }),
                });
            }
            else
            {
                foreach (var s in ProbeSubtask.BuiltIn)
                {
                    context.Say($"{s.Name} ({(s.Format == ProbeFormat.YesNo ? "Yes/No" : "(A)/(B)")}, {s.ShippedSeeds().Count} seed examples{(s.CausalCheck ? ", causal check" : string.Empty)}): {s.Definition}");
                }
            }

            return Task.FromResult(ExitCodes.Success);
        });
    }

    private static Command Generate()
    {
        var subtask = new Option<string>("--subtask") { Description = "Subtask: " + string.Join(", ", ProbeSubtask.BuiltIn.Select(s => s.Name)), Required = true, HelpName = "NAME" };
        var model = new Option<string>("--model") { Description = "The generator: a name from plumbline.yaml or openai:MODEL@BASE_URL (an LLM endpoint is needed)", Required = true, HelpName = "M" };
        var judge = new Option<string?>("--judge") { Description = "The model that checks validity (default: --model)", HelpName = "M" };
        var n = new Option<int>("--n") { Description = "Items wanted", Required = true, HelpName = "N" };
        var output = new Option<string>("--out") { Description = "JSONL to write (Anthropic's model-written-evals format)", Required = true, HelpName = "FILE" };
        var seeds = new Option<string?>("--seeds") { Description = "Seed examples (JSONL) instead of the shipped ones (samples/probes/NAME.jsonl)", HelpName = "FILE" };
        var oversample = new Option<double>("--oversample") { Description = "Candidates per item wanted (default 2)", DefaultValueFactory = _ => 2.0, HelpName = "X" };
        var seed = new Option<int>("--seed") { Description = "Run seed (default 0)", DefaultValueFactory = _ => 0, HelpName = "S" };
        var temperature = new Option<float>("--temperature") { Description = "Generator temperature (default 1)", DefaultValueFactory = _ => 1.0f, HelpName = "T" };
        var threshold = new Option<double>("--similarity") { Description = "Word-bigram Jaccard similarity at or above which items are near duplicates (default 0.6)", DefaultValueFactory = _ => NearDuplicates.DefaultThreshold, HelpName = "X" };
        var keepUnbalanced = new Option<bool>("--keep-unbalanced") { Description = "Report an unbalanced set but do not drop items to balance it" };
        var concurrency = new Option<int?>("--concurrency") { Description = "Requests in flight at once (default: the model's max_concurrency, 4)", HelpName = "C" };
        var noCache = new Option<bool>("--no-cache") { Description = "Do not read or write the response cache" };
        var report = new Option<string?>("--report") { Description = "Folder for report.json and report.html (default: FILE without its extension + .report)", HelpName = "DIR" };
        var command = new Command("generate", "Generate a validated probe set for a subtask with an LLM, reporting what each filter removed")
        {
            subtask, model, judge, n, output, seeds, oversample, seed, temperature, threshold, keepUnbalanced, concurrency, noCache, report,
        };
        return command.WithAction(async (context, ct) =>
        {
            var task = ProbeSubtask.Find(context.Get(subtask));
            var count = context.Get(n);
            if (count < 1)
            {
                throw PlumblineException.BadInput($"--n: must be at least 1 (was {count})");
            }

            if (context.Get(oversample) is < 1 or > 20)
            {
                throw PlumblineException.BadInput($"--oversample: must be 1 to 20 (was {context.Get(oversample)})");
            }

            if (context.Get(threshold) is <= 0 or > 1)
            {
                throw PlumblineException.BadInput($"--similarity: must be above 0 and at most 1 (was {context.Get(threshold)})");
            }

            if (context.Get(concurrency) is < 1 or > 1024)
            {
                throw PlumblineException.BadInput($"--concurrency: must be 1 to 1024 (was {context.Get(concurrency)})");
            }

            IReadOnlyList<ProbeItem> seedItems;
            var seedsPath = context.Get(seeds);
            if (seedsPath is null)
            {
                seedItems = task.ShippedSeeds();
            }
            else
            {
                seedItems = ProbeSet.Read(seedsPath).Items;
                task.CheckSeeds(seedItems, seedsPath);
            }

            var generatorRef = context.Get(model);
            var judgeRef = context.Get(judge) ?? generatorRef;
            var catalog = SampleCommand.Catalog(context, context.Get(noCache), context.Get(concurrency));
            var settings = catalog.Resolve(generatorRef);
            catalog.Resolve(judgeRef);
            using var generator = catalog.CreateChatClient(generatorRef);
            using var judgeClient = judgeRef == generatorRef ? null : catalog.CreateChatClient(judgeRef);
            var request = new GenerationRequest(task, seedItems, count, context.Get(oversample), context.Get(seed), context.Get(temperature), DuplicateThreshold: context.Get(threshold), Rebalance: !context.Get(keepUnbalanced), Concurrency: context.Get(concurrency) ?? settings.MaxConcurrency);
            var result = await WithStagesAsync(context, (IProgress<GenerationProgress>? p) => ProbeGenerator.RunAsync(generator, judgeClient ?? generator, request, p, ct));

            var outPath = context.Get(output);
            var reportDir = context.Get(report) ?? Path.Combine(Path.GetDirectoryName(outPath) ?? string.Empty, Path.GetFileNameWithoutExtension(outPath) + ".report");
            var run = ProbeRun.Block(context, "probe generate", seedsPath is null ? [] : [seedsPath], judgeRef == generatorRef ? [generatorRef] : [generatorRef, judgeRef], request.Seed);
            var summary = Summary(task, result, count, outPath, reportDir);
            var reportJson = summary.DeepClone().AsObject();
            reportJson["run"] = run;
            reportJson["removals"] = new JsonArray([.. result.Removed.Select(r => (JsonNode?)new JsonObject { ["candidate"] = r.Candidate, ["filter"] = r.Filter, ["reason"] = r.Reason, ["question"] = r.Question })]);
            var jsonl = new StringBuilder();
            foreach (var item in result.Items)
            {
                jsonl.Append(ProbeItemReader.ToJsonLine(item)).Append('\n');
            }

            ProbeRun.WriteAll(
                (outPath, jsonl.ToString()),
                (Path.Combine(reportDir, "report.json"), ProbeRun.ToJson(reportJson) + "\n"),
                (Path.Combine(reportDir, "report.html"), ProbeHtml.Generation(task, result, count, ProbeRun.ToJson(run))));

            if (context.Json)
            {
                context.WriteJson(summary);
            }
            else
            {
                context.Say($"wrote {result.Items.Count} {task.Name} items to {outPath} ({result.Candidates} candidates; report in {reportDir})");
                context.Say("removed: " + string.Join(", ", result.RemovedBy.Select(r => $"{r.Key} {r.Value}")));
                context.Say(FormattableString.Invariant($"phrasing bias: cross-validated accuracy {result.Bias.Accuracy:0.000} vs chance {result.Bias.Chance:0.000}{(result.Bias.Flagged ? " — FLAGGED" : string.Empty)}"));
            }

            foreach (var warning in (JsonArray)summary["warnings"]!)
            {
                await Console.Error.WriteLineAsync($"plumb: warning: {(string?)warning}");
            }

            return ExitCodes.Success;
        });
    }

    private static JsonObject Summary(ProbeSubtask task, GenerationResult result, int wanted, string outPath, string reportDir)
    {
        var warnings = new JsonArray();
        if (result.Items.Count < wanted)
        {
            warnings.Add($"only {result.Items.Count} of {wanted} items passed the filters; raise --oversample or --n");
        }

        if (!result.Balance.Balanced)
        {
            warnings.Add($"the answers were unbalanced ({string.Join(", ", result.Balance.Before.Select(b => $"{b.Key} {b.Value}"))})");
        }

        if (result.Bias.Flagged)
        {
            warnings.Add(FormattableString.Invariant($"phrasing bias: a surface classifier predicts the matching answer with accuracy {result.Bias.Accuracy:0.000} (chance {result.Bias.Chance:0.000})"));
        }

        return new JsonObject
        {
            ["subtask"] = task.Name,
            ["out"] = outPath,
            ["report"] = reportDir,
            ["wanted"] = wanted,
            ["candidates"] = result.Candidates,
            ["kept"] = result.Items.Count,
            ["removed"] = new JsonObject([.. result.RemovedBy.Select(r => new KeyValuePair<string, JsonNode?>(r.Key, r.Value))]),
            ["balance"] = new JsonObject
            {
                ["balanced"] = result.Balance.Balanced,
                ["before"] = new JsonObject([.. result.Balance.Before.Select(b => new KeyValuePair<string, JsonNode?>(b.Key, b.Value))]),
                ["after"] = new JsonObject([.. result.Balance.After.Select(b => new KeyValuePair<string, JsonNode?>(b.Key, b.Value))]),
            },
            ["phrasing_bias"] = new JsonObject
            {
                ["items"] = result.Bias.Items,
                ["folds"] = result.Bias.Folds,
                ["accuracy"] = Math.Round(result.Bias.Accuracy, 6),
                ["chance"] = Math.Round(result.Bias.Chance, 6),
                ["p_value"] = result.Bias.PValue,
                ["flagged"] = result.Bias.Flagged,
                ["top_features"] = new JsonArray([.. result.Bias.TopFeatures.Select(f => (JsonNode?)new JsonObject { ["feature"] = f.Feature, ["label"] = f.Label, ["log_ratio"] = f.LogRatio })]),
            },
            ["warnings"] = warnings,
        };
    }

    private static Command Eval()
    {
        var items = new Option<string[]>("--items") { Description = "Items files (JSONL, Anthropic's format; several allowed)", Required = true, AllowMultipleArgumentsPerToken = true, HelpName = "FILE" };
        var models = new Option<string[]>("--model") { Description = "Models to ask (names from plumbline.yaml or openai:MODEL@BASE_URL; several allowed)", Required = true, AllowMultipleArgumentsPerToken = true, HelpName = "M" };
        var output = new Option<string>("--out") { Description = "Folder for report.json, report.html and answers.jsonl", Required = true, HelpName = "DIR" };
        var concurrency = new Option<int?>("--concurrency") { Description = "Requests in flight at once per model (default: the model's max_concurrency, 4)", HelpName = "C" };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Longest reply (default 48)", DefaultValueFactory = _ => 48, HelpName = "N" };
        var seed = new Option<int>("--seed") { Description = "Seed sent with every request and used by the bootstrap (default 0)", DefaultValueFactory = _ => 0, HelpName = "S" };
        var noLogprobs = new Option<bool>("--no-logprobs") { Description = "Do not ask for log-probabilities" };
        var noCache = new Option<bool>("--no-cache") { Description = "Do not read or write the response cache" };
        var command = new Command("eval", "Ask models every item; matching-behaviour rates with 95% intervals per file and subtask, refusals and unparseable replies apart, McNemar between models")
        {
            items, models, output, concurrency, maxTokens, seed, noLogprobs, noCache,
        };
        return command.WithAction(async (context, ct) =>
        {
            if (context.Get(concurrency) is < 1 or > 1024)
            {
                throw PlumblineException.BadInput($"--concurrency: must be 1 to 1024 (was {context.Get(concurrency)})");
            }

            if (context.Get(maxTokens) < 1)
            {
                throw PlumblineException.BadInput($"--max-tokens: must be at least 1 (was {context.Get(maxTokens)})");
            }

            var paths = context.Get(items);
            var references = context.Get(models).Distinct(StringComparer.Ordinal).ToList();
            var sets = paths.Select(p => ProbeSet.Read(p)).ToList();
            var catalog = SampleCommand.Catalog(context, context.Get(noCache), context.Get(concurrency));
            var clients = new List<(string Reference, IChatClient Client)>();
            try
            {
                foreach (var reference in references)
                {
                    catalog.Resolve(reference);
                    clients.Add((reference, catalog.CreateChatClient(reference)));
                }

                var options = new EvaluationOptions(context.Get(concurrency) ?? catalog.Resolve(references[0]).MaxConcurrency, context.Get(maxTokens), context.Get(seed), !context.Get(noLogprobs));
                var total = sets.Sum(s => s.Items.Count) * clients.Count;
                var answers = await WithProgressAsync(context, total, p => ProbeEvaluator.RunAsync(sets, clients, options, p, ct));
                var (results, comparisons) = ProbeScores.Summarise(answers, references, options.Seed);

                var run = ProbeRun.Block(context, "probe eval", paths, references, options.Seed);
                var document = new JsonObject
                {
                    ["results"] = new JsonArray([.. results.Select(r => (JsonNode?)ResultJson(r))]),
                    ["comparisons"] = new JsonArray([.. comparisons.Select(c => (JsonNode?)ComparisonJson(c))]),
                };
                var reportJson = document.DeepClone().AsObject();
                reportJson["run"] = run;
                var answersJsonl = new StringBuilder();
                foreach (var a in answers)
                {
                    answersJsonl.Append(new JsonObject
                    {
                        ["items"] = a.Set,
                        ["index"] = a.Index,
                        ["model"] = a.Model,
                        ["reply"] = a.Reply,
                        ["kind"] = a.Kind.ToString().ToLowerInvariant(),
                        ["answer"] = a.Label,
                        ["matching"] = a.Kind == AnswerKind.Answered ? a.Matching : null,
                        ["matching_probability"] = a.MatchingProbability,
                    }.ToJsonString(CliContext.JsonOptions)).Append('\n');
                }

                var dir = context.Get(output);
                ProbeRun.WriteAll(
                    (Path.Combine(dir, "report.json"), ProbeRun.ToJson(reportJson) + "\n"),
                    (Path.Combine(dir, "report.html"), ProbeHtml.Evaluation(results, comparisons, ProbeRun.ToJson(run))),
                    (Path.Combine(dir, "answers.jsonl"), answersJsonl.ToString()));

                if (context.Json)
                {
                    Console.Out.Write(document.ToJsonString(CliContext.JsonOptions));
                    Console.Out.Write('\n');
                }
                else
                {
                    PrintResults(context, results, comparisons, dir);
                }

                return ExitCodes.Success;
            }
            finally
            {
                foreach (var (_, client) in clients)
                {
                    client.Dispose();
                }
            }
        });
    }

    private static JsonObject ResultJson(ProbeResult r) => new()
    {
        ["items"] = r.Items,
        ["model"] = r.Model,
        ["n"] = r.N,
        ["answered"] = r.Answered,
        ["matching"] = r.Matching,
        ["matching_rate"] = r.MatchingRate,
        ["ci"] = new JsonArray(r.Ci.Low, r.Ci.High),
        ["refused"] = r.Refused,
        ["unparseable"] = r.Unparseable,
        ["mean_matching_probability"] = r.MeanMatchingProbability,
        ["with_logprobs"] = r.WithProbability,
    };

    private static JsonObject ComparisonJson(ProbeComparison c) => new()
    {
        ["items"] = c.Items,
        ["first"] = c.First,
        ["second"] = c.Second,
        ["pairs"] = c.Pairs,
        ["both_match"] = c.BothMatch,
        ["only_first"] = c.OnlyFirst,
        ["only_second"] = c.OnlySecond,
        ["neither"] = c.Neither,
        ["first_rate"] = c.FirstRate,
        ["second_rate"] = c.SecondRate,
        ["difference"] = c.Difference,
        ["difference_ci"] = new JsonArray(c.DifferenceCi.Low, c.DifferenceCi.High),
        ["p_value"] = c.PValue,
        ["test"] = "mcnemar_exact",
    };

    private static void PrintResults(CliContext context, IReadOnlyList<ProbeResult> results, IReadOnlyList<ProbeComparison> comparisons, string dir)
    {
        var table = new Table().AddColumns("items", "model", "n", "matching rate", "95% CI", "refused", "unparseable");
        foreach (var r in results)
        {
            table.AddRow(
                Markup.Escape(r.Items),
                Markup.Escape(r.Model),
                r.N.ToString(System.Globalization.CultureInfo.InvariantCulture),
                r.MatchingRate is { } rate ? FormattableString.Invariant($"{rate:0.000}") : "—",
                Markup.Escape(FormattableString.Invariant($"[{r.Ci.Low:0.000}, {r.Ci.High:0.000}]")),
                r.Refused.ToString(System.Globalization.CultureInfo.InvariantCulture),
                r.Unparseable.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        foreach (var c in comparisons)
        {
            context.Say(FormattableString.Invariant($"{c.Items}: {c.First} vs {c.Second}: difference {c.Difference:0.000} on {c.Pairs} pairs, McNemar p = {c.PValue:G4}"));
        }

        context.Say($"report: {Path.Combine(dir, "report.html")}");
    }

    private static async Task<GenerationResult> WithStagesAsync(CliContext context, Func<IProgress<GenerationProgress>?, Task<GenerationResult>> work)
    {
        if (context.Json || Console.IsErrorRedirected)
        {
            return await work(null);
        }

        GenerationResult result = null!;
        await context.Error.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                var gate = new Lock();
                result = await work(new Inline<GenerationProgress>(p =>
                {
                    lock (gate)
                    {
                        if (!tasks.TryGetValue(p.Stage, out var task))
                        {
                            task = tasks[p.Stage] = progress.AddTask(p.Stage, maxValue: Math.Max(1, p.Total));
                        }

                        task.Description = $"{p.Stage} {p.Done}/{p.Total}";
                        task.Value = p.Done;
                    }
                }));
            });
        return result;
    }

    private static async Task<IReadOnlyList<ItemAnswer>> WithProgressAsync(CliContext context, int total, Func<IProgress<EvaluationProgress>?, Task<IReadOnlyList<ItemAnswer>>> work)
    {
        if (context.Json || Console.IsErrorRedirected)
        {
            return await work(null);
        }

        IReadOnlyList<ItemAnswer> result = null!;
        await context.Error.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("asking", maxValue: Math.Max(1, total));
                var gate = new Lock();
                var finished = 0;
                var last = 0;
                string? model = null;
                result = await work(new Inline<EvaluationProgress>(p =>
                {
                    lock (gate)
                    {
                        if (p.Model != model)
                        {
                            finished += last;
                            model = p.Model;
                        }

                        last = p.Total;
                        task.Description = Markup.Escape($"asking {p.Model} {p.Done}/{p.Total}");
                        task.Value = finished + p.Done;
                    }
                }));
            });
        return result;
    }

    /// <summary>Reports on the calling thread, so the bar is current.</summary>
    private sealed class Inline<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
