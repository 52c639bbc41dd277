using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Core.Supervision.Tasks;
using Plumbline.Tasks.Mutation;
using Plumbline.Tasks.Reports;
using Plumbline.Tasks.Scoring;
using Spectre.Console;

namespace Plumbline.Cli.Commands;

/// <summary>
/// <c>plumb tasks bugs make|score</c> and <c>plumb tasks redteam score</c>: tasks whose answers can be
/// checked — planted bugs and backdoors, red-team success.
/// </summary>
internal static class TasksCommands
{
    public static Command Create() => new("tasks", "Tasks whose answers can be checked: planted bugs and backdoors, red-team success")
    {
        new Command("bugs", "Planted defects in real source code") { BugsMake(), BugsScore() },
        new Command("redteam", "Attacks that try to make a model disregard its instructions") { RedTeamScore() },
    };

    private static Command BugsMake()
    {
        var source = new Option<string>("--source") { Description = "Folder of sources to plant defects in (never modified): C# (Roslyn), Python (python3 ast), JS/TS, Java, Go, C/C++, Rust (token-level)", Required = true, HelpName = "DIR" };
        var n = new Option<int>("--n") { Description = "Tasks to make", Required = true, HelpName = "N" };
        var output = new Option<string>("--out") { Description = "Tasks file (JSONL) to write", Required = true, HelpName = "FILE" };
        var testCommand = new Option<string?>("--test-command") { Description = "Keep a mutant only if this shell command fails on it (run in a private copy of DIR)", HelpName = "CMD" };
        var testTimeout = new Option<int>("--test-timeout") { Description = "Seconds one run of the test command may take; longer counts as failing (default 600)", DefaultValueFactory = _ => 600, HelpName = "SECONDS" };
        var seed = new Option<int>("--seed") { Description = "Picks the sites and backdoor literals (default 0)", DefaultValueFactory = _ => 0, HelpName = "S" };
        var include = new Option<string[]>("--include") { Description = "Mutate only files whose path under DIR starts with this (repeatable); the rest is still compiled and copied", HelpName = "PATH", AllowMultipleArgumentsPerToken = false };
        var python = new Option<string?>("--python") { Description = "The python3 that parses Python files (default: python3 on PATH; without one, Python files take the token-level path)", HelpName = "PATH" };
        var command = new Command("make", "Plant defects by mutating syntax trees (C#: Roslyn, Python: python3 ast) or condition tokens (other languages); each task records file, line span, kind, engine and the original")
        {
            source, n, output, testCommand, testTimeout, seed, include, python,
        };
        return command.WithAction(async (context, ct) =>
        {
            var count = context.Get(n);
            if (count < 1)
            {
                throw PlumblineException.BadInput($"--n: must be at least 1 (was {count})");
            }

            if (context.Get(testTimeout) < 1)
            {
                throw PlumblineException.BadInput($"--test-timeout: must be at least 1 second (was {context.Get(testTimeout)})");
            }

            if (context.Get(testCommand) is { } cmd && string.IsNullOrWhiteSpace(cmd))
            {
                throw PlumblineException.BadInput("--test-command: empty");
            }

            var options = new BugMakeOptions(context.Get(source), count, context.Get(seed), context.Get(testCommand), TimeSpan.FromSeconds(context.Get(testTimeout)), context.Get(include) ?? [], context.Get(python));
            var result = await MakeWithProgressAsync(context, options, ct);
            if (result.Tasks.Count == 0)
            {
                throw PlumblineException.Refused($"no mutant of {context.Get(source)} {(result.TestFiltered ? "compiled and was caught by the test command" : "compiled")}; nothing written");
            }

            var path = context.Get(output);
            await TasksFile.WriteAsync(path, result.Tasks, ct);
            if (result.Tasks.Count < count)
            {
                await Console.Error.WriteLineAsync($"plumb: only {result.Tasks.Count} of {count} tasks: the sites ran out");
            }

            foreach (var warning in result.Warnings)
            {
                await Console.Error.WriteLineAsync($"plumb: warning: {warning}");
            }

            foreach (var file in result.UnparsedFiles)
            {
                await Console.Error.WriteLineAsync($"plumb: warning: skipped {file}");
            }

            if (context.Json)
            {
                context.WriteJson(new
                {
                    @out = path,
                    tasks = result.Tasks.Count,
                    files = result.Files,
                    unparsed_files = result.UnparsedFiles,
                    engines = result.Engines,
                    warnings = result.Warnings,
                    test_filtered = result.TestFiltered,
                    kinds = result.Kinds.Select(k => new { kind = k.Kind.Name(), sites = k.Sites, tried = k.Tried, not_compiling = k.NotCompiling, not_caught = k.NotCaught, kept = k.Kept }),
                });
                return ExitCodes.Success;
            }

            context.Say($"wrote {result.Tasks.Count} tasks to {path} ({result.Files} source files: {string.Join(", ", result.Engines.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Value} {e.Key}"))})");
            var table = new Table().AddColumns("kind", "sites", "tried", "not compiling", "not caught by tests", "kept");
            foreach (var k in result.Kinds)
            {
                table.AddRow(k.Kind.Name(), I(k.Sites), I(k.Tried), I(k.NotCompiling), result.TestFiltered ? I(k.NotCaught) : "-", I(k.Kept));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
    }

    private static async Task<BugMakeResult> MakeWithProgressAsync(CliContext context, BugMakeOptions options, CancellationToken ct)
    {
        if (context.Json || Console.IsErrorRedirected)
        {
            return await BugTaskMaker.MakeAsync(options, null, ct);
        }

        BugMakeResult result = null!;
        await context.Error.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("planting", maxValue: options.Count);
                var reporter = new InlineProgress<BugMakeProgress>(p =>
                {
                    task.Value = p.Kept;
                    task.Description = Markup.Escape($"kept {p.Kept}/{p.Target} · tried {p.Tried} · {p.Current}");
                });
                result = await BugTaskMaker.MakeAsync(options, reporter, ct);
            });
        return result;
    }

    private static Command BugsScore()
    {
        var tasks = new Option<string>("--tasks") { Description = "Tasks file from 'plumb tasks bugs make'", Required = true, HelpName = "FILE" };
        var model = ModelOption("--model", "The model that looks for the defects");
        var output = OutOption();
        var seed = SeedOption();
        var temperature = new Option<float>("--temperature") { Description = "Sampling temperature (default 0)", DefaultValueFactory = _ => 0, HelpName = "T" };
        var maxSpan = new Option<int>("--max-span") { Description = $"Longest answer in lines that can still locate a defect (default {BugScoring.DefaultMaxSpan})", DefaultValueFactory = _ => BugScoring.DefaultMaxSpan, HelpName = "LINES" };
        var concurrency = ConcurrencyOption();
        var noCache = NoCacheOption();
        var command = new Command("score", "Ask a model to find each planted defect; precision, recall and location accuracy with 95% intervals next to a random-guess baseline")
        {
            tasks, model, output, seed, temperature, maxSpan, concurrency, noCache,
        };
        return command.WithAction(async (context, ct) =>
        {
            var started = context.Time.GetUtcNow();
            if (context.Get(maxSpan) < 1)
            {
                throw PlumblineException.BadInput($"--max-span: must be at least 1 (was {context.Get(maxSpan)})");
            }

            CheckConcurrency(context.Get(concurrency));
            if (context.Get(temperature) < 0)
            {
                throw PlumblineException.BadInput($"--temperature: must be 0 or more (was {context.Get(temperature)})");
            }

            var taskList = TasksFile.Read(context.Get(tasks));
            var reference = context.Get(model);
            var catalog = SampleCommand.Catalog(context, context.Get(noCache), context.Get(concurrency));
            var settings = catalog.Resolve(reference);
            using var chat = catalog.CreateChatClient(reference);
            var ask = new AskOptions(context.Get(seed), context.Get(temperature), 200, context.Get(concurrency) ?? settings.MaxConcurrency);
            var replies = await context.WithCountProgressAsync("asking", taskList.Count, p => BugHunt.AskAsync(chat, taskList, ask, p, ct));
            var summary = BugScoring.Score(taskList, [.. replies.Select(r => r.Answer)], context.Get(maxSpan));

            var report = new JsonObject
            {
                ["run"] = RunBlock.Create(CommandLine(), new Dictionary<string, long> { ["seed"] = ask.Seed }, new Dictionary<string, string> { ["model"] = reference }, [context.Get(tasks)], started),
                ["task"] = "bugs",
                ["model"] = reference,
                ["prompt_sha256"] = RunBlock.Sha256(BugHunt.SystemPrompt),
                ["temperature"] = ask.Temperature,
                ["max_span"] = context.Get(maxSpan),
                ["tasks"] = summary.Tasks,
                ["answered"] = summary.Answered,
                ["unparseable"] = summary.Unparseable,
                ["precision"] = ReportFiles.Json(summary.Precision),
                ["recall"] = ReportFiles.Json(summary.Recall),
                ["location_accuracy"] = ReportFiles.Json(summary.LocationAccuracy),
                ["kind_accuracy"] = ReportFiles.Json(summary.KindAccuracy),
                ["baseline"] = new JsonObject
                {
                    ["method"] = "random guess: one uniformly random line of the mutant and a uniformly random kind per task; exact Poisson-binomial distribution",
                    ["precision"] = ReportFiles.Json(summary.BaselineCorrect),
                    ["recall"] = ReportFiles.Json(summary.BaselineCorrect),
                    ["location_accuracy"] = ReportFiles.Json(summary.BaselineLocation),
                },
                ["recall_by_kind"] = new JsonObject([.. summary.RecallByKind.Select(p => KeyValuePair.Create(p.Key.Name(), (JsonNode?)ReportFiles.Json(p.Value)))]),
                ["results"] = new JsonArray([.. summary.PerTask.Select((s, i) => (JsonNode?)new JsonObject
                {
                    ["id"] = s.TaskId,
                    ["kind"] = s.Kind.Name(),
                    ["truth"] = new JsonObject { ["start"] = s.Truth.Start, ["end"] = s.Truth.End },
                    ["answer"] = s.Answer.Span is { } span ? new JsonObject { ["start"] = span.Start, ["end"] = span.End, ["kind"] = s.Answer.Kind?.Name() } : null,
                    ["parsed"] = s.Answer.Parsed,
                    ["location_hit"] = s.LocationHit,
                    ["kind_hit"] = s.KindHit,
                    ["correct"] = s.Correct,
                    ["reply"] = replies[i].Reply,
                })]),
            };
            var bars = new List<ChartBar>
            {
                new("precision", summary.Precision, summary.BaselineCorrect),
                new("recall", summary.Recall, summary.BaselineCorrect),
                new("location accuracy", summary.LocationAccuracy, summary.BaselineLocation),
                new("kind accuracy", summary.KindAccuracy),
            };
            bars.AddRange(summary.RecallByKind.Select(p => new ChartBar("recall: " + p.Key.Name(), p.Value)));
            var rows = summary.PerTask.Select((s, i) => (IReadOnlyList<string>)[s.TaskId, s.Kind.Name(), s.Truth.ToString(), s.Answer.Span?.ToString() ?? (s.Answer.Parsed ? "none" : "unparseable"), s.Answer.Kind?.Name() ?? "", s.Correct ? "yes" : s.LocationHit ? "location only" : "no", replies[i].Reply]).ToList();
            var outFolder = context.Get(output);
            await ReportFiles.WriteAsync(outFolder, report, $"Planted bugs: {reference}", bars, [("Tasks", ["id", "kind", "truth (mutant lines)", "answer", "answer kind", "correct", "reply"], rows)], ct);

            if (context.Json)
            {
                context.WriteJson(new { @out = outFolder, tasks = summary.Tasks, answered = summary.Answered, unparseable = summary.Unparseable, precision = summary.Precision.Value, recall = summary.Recall.Value, location_accuracy = summary.LocationAccuracy.Value, baseline_recall = summary.BaselineCorrect.Expected, baseline_location_accuracy = summary.BaselineLocation.Expected });
            }
            else
            {
                context.Say(FormattableString.Invariant($"{reference}: precision {Rate(summary.Precision)}, recall {Rate(summary.Recall)}, location accuracy {Rate(summary.LocationAccuracy)} over {summary.Tasks} tasks ({summary.Unparseable} unparseable); random guess: recall {summary.BaselineCorrect.Expected:0.000}, location {summary.BaselineLocation.Expected:0.000}"));
                context.Say($"report: {Path.Combine(outFolder, "report.html")}");
            }

            return ExitCodes.Success;
        });
    }

    private static Command RedTeamScore()
    {
        var attacks = new Option<string>("--attacks") { Description = "Attacks: JSONL with {\"id\", \"prompt\", \"instructions\"?, \"goal\"?} per line", Required = true, HelpName = "FILE" };
        var target = ModelOption("--target", "The model under attack");
        var judge = ModelOption("--judge", "The model that decides whether an attempt succeeded");
        var output = OutOption();
        var attempts = new Option<int>("--attempts") { Description = "Attempt budget per attack; an attack stops at its first success (default 1)", DefaultValueFactory = _ => 1, HelpName = "K" };
        var seed = SeedOption();
        var temperature = new Option<float>("--temperature") { Description = "The target's sampling temperature (default 1)", DefaultValueFactory = _ => 1, HelpName = "T" };
        var concurrency = ConcurrencyOption();
        var noCache = NoCacheOption();
        var command = new Command("score", "Run attacks against a target, let a judge decide success; the attack success rate with its 95% interval, judge and budget recorded")
        {
            attacks, target, judge, output, attempts, seed, temperature, concurrency, noCache,
        };
        return command.WithAction(async (context, ct) =>
        {
            var started = context.Time.GetUtcNow();
            var budget = context.Get(attempts);
            if (budget is < 1 or > 1000)
            {
                throw PlumblineException.BadInput($"--attempts: must be 1 to 1000 (was {budget})");
            }

            CheckConcurrency(context.Get(concurrency));
            if (context.Get(temperature) < 0)
            {
                throw PlumblineException.BadInput($"--temperature: must be 0 or more (was {context.Get(temperature)})");
            }

            var attackList = RedTeam.ReadAttacks(context.Get(attacks));
            var catalog = SampleCommand.Catalog(context, context.Get(noCache), context.Get(concurrency));
            var targetRef = context.Get(target);
            var judgeRef = context.Get(judge);
            var targetSettings = catalog.Resolve(targetRef);
            catalog.Resolve(judgeRef);
            using var targetChat = catalog.CreateChatClient(targetRef);
            using var judgeChat = catalog.CreateChatClient(judgeRef);
            var options = new RedTeamOptions(budget, context.Get(seed), context.Get(temperature), 400, context.Get(concurrency) ?? targetSettings.MaxConcurrency);
            var (outcomes, servedJudge) = await context.WithCountProgressAsync("attacking", attackList.Count, p => RedTeam.RunAsync(targetChat, judgeChat, attackList, options, p, ct));
            var summary = RedTeamScoring.Summarise(outcomes, budget);
            var judgeIdentity = new JudgeIdentity(judgeRef, servedJudge, RunBlock.Sha256(RedTeam.JudgePrompt));

            var report = new JsonObject
            {
                ["run"] = RunBlock.Create(CommandLine(), new Dictionary<string, long> { ["seed"] = options.Seed }, new Dictionary<string, string> { ["target"] = targetRef, ["judge"] = judgeRef }, [context.Get(attacks)], started),
                ["task"] = "redteam",
                ["target"] = targetRef,
                ["judge"] = new JsonObject { ["reference"] = judgeIdentity.Reference, ["served_model"] = judgeIdentity.ServedModel, ["prompt_sha256"] = judgeIdentity.PromptSha256, ["temperature"] = 0 },
                ["budget"] = new JsonObject { ["attempts_per_attack"] = budget, ["attempts_used"] = summary.AttemptsUsed, ["stop_at_first_success"] = true, ["target_temperature"] = options.Temperature },
                ["attacks"] = summary.Attacks,
                ["attack_success_rate"] = ReportFiles.Json(summary.AttackSuccessRate),
                ["per_attempt_success_rate"] = ReportFiles.Json(summary.PerAttemptSuccessRate),
                ["unreadable_verdicts"] = summary.UnreadableVerdicts,
                ["comparable_when"] = "same judge (reference, served model, prompt_sha256) and same attempts_per_attack",
                ["results"] = new JsonArray([.. outcomes.Select(o => (JsonNode?)new JsonObject
                {
                    ["id"] = o.AttackId,
                    ["succeeded"] = o.Succeeded,
                    ["attempts"] = new JsonArray([.. o.Attempts.Select(a => (JsonNode?)new JsonObject { ["index"] = a.Index, ["success"] = a.Success, ["response"] = a.Response, ["judge_reply"] = a.JudgeReply })]),
                })]),
            };
            var rows = outcomes.Select(o => (IReadOnlyList<string>)[o.AttackId, o.Succeeded ? "yes" : "no", I(o.Attempts.Count), o.Attempts[^1].Response, o.Attempts[^1].JudgeReply]).ToList();
            var outFolder = context.Get(output);
            await ReportFiles.WriteAsync(
                outFolder,
                report,
                $"Red team: {targetRef} judged by {judgeRef}, {budget} attempt(s) per attack",
                [new ChartBar("attack success rate", summary.AttackSuccessRate), new ChartBar("per attempt", summary.PerAttemptSuccessRate)],
                [("Attacks", ["id", "succeeded", "attempts", "last reply", "judge"], rows)],
                ct);

            if (context.Json)
            {
                context.WriteJson(new { @out = outFolder, attacks = summary.Attacks, attack_success_rate = summary.AttackSuccessRate.Value, ci = new[] { summary.AttackSuccessRate.Low, summary.AttackSuccessRate.High }, attempts_per_attack = budget, attempts_used = summary.AttemptsUsed, judge = judgeRef, unreadable_verdicts = summary.UnreadableVerdicts });
            }
            else
            {
                context.Say(FormattableString.Invariant($"{targetRef}: attack success rate {Rate(summary.AttackSuccessRate)} over {summary.Attacks} attacks, {budget} attempt(s) each ({summary.AttemptsUsed} used), judged by {judgeRef}; {summary.UnreadableVerdicts} unreadable verdicts"));
                context.Say($"report: {Path.Combine(outFolder, "report.html")}");
            }

            return ExitCodes.Success;
        });
    }

    private static Option<string> ModelOption(string name, string what) => new(name) { Description = $"{what}: a name from plumbline.yaml or openai:MODEL@BASE_URL", Required = true, HelpName = "M" };

    private static Option<string> OutOption() => new("--out") { Description = "Folder for report.json and report.html", Required = true, HelpName = "DIR" };

    private static Option<long> SeedOption() => new("--seed") { Description = "Run seed; each request gets one derived from it (default 0)", DefaultValueFactory = _ => 0, HelpName = "S" };

    private static Option<int?> ConcurrencyOption() => new("--concurrency") { Description = "Requests in flight at once (default: the model's max_concurrency)", HelpName = "C" };

    private static Option<bool> NoCacheOption() => new("--no-cache") { Description = $"Do not read or write the response cache ({SampleCommand.CacheFolder}/responses.db)" };

    private static void CheckConcurrency(int? value)
    {
        if (value is < 1 or > 1024)
        {
            throw PlumblineException.BadInput($"--concurrency: must be 1 to 1024 (was {value})");
        }
    }

    private static string[] CommandLine() => ["plumb", .. Environment.GetCommandLineArgs().Skip(1)];

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Rate(Proportion p) => p.Value is { } v
        ? FormattableString.Invariant($"{v:0.000} [{p.Low:0.000}, {p.High:0.000}]")
        : "n/a";

    private static async Task<T> WithCountProgressAsync<T>(this CliContext context, string what, int total, Func<IProgress<int>?, Task<T>> work)
    {
        if (context.Json || Console.IsErrorRedirected)
        {
            return await work(null);
        }

        T result = default!;
        await context.Error.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(what, maxValue: total);
                result = await work(new InlineProgress<int>(done =>
                {
                    task.Value = done;
                    task.Description = Markup.Escape($"{what} {done}/{total}");
                }));
            });
        return result;
    }

    /// <summary>Reports on the calling thread, so the bar is current.</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        private readonly Lock _gate = new();

        public void Report(T value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }
}
