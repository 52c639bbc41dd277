using System.CommandLine;
using System.Diagnostics;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Models;
using Plumbline.Models.Sampling;
using Spectre.Console;

namespace Plumbline.Cli.Commands;

/// <summary>
/// <c>plumb sample --model M --prompts FILE --n K [--temperature T] [--seed S] [--max-tokens N]
/// [--concurrency C] [--logprobs] [--no-cache] --out samples.jsonl [--json]</c>: K replies per prompt
/// in the samples contract, concurrent and resumable (run it again after an interruption).
/// </summary>
internal static class SampleCommand
{
    /// <summary>Where the response cache lives, under the current directory.</summary>
    public static readonly string CacheFolder = Path.Combine(".plumbline", "cache");

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model reference: a name from plumbline.yaml, openai:MODEL@BASE_URL or builtin:ngram:PATH", Required = true, HelpName = "M" };
        var prompts = new Option<string>("--prompts") { Description = "Prompts: JSONL ({\"id\", \"prompt\"} or {\"id\", \"messages\"}) or plain text, one per line", Required = true, HelpName = "FILE" };
        var n = new Option<int>("--n") { Description = "Samples per prompt", DefaultValueFactory = _ => 1, HelpName = "K" };
        var temperature = new Option<float?>("--temperature") { Description = "Sampling temperature (default: the model's)", HelpName = "T" };
        var seed = new Option<long?>("--seed") { Description = "Run seed; each sample gets a seed derived from it, the prompt id and the sample index", HelpName = "S" };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Longest reply in tokens (default: the model's; 64 for builtin:ngram)", HelpName = "N" };
        var concurrency = new Option<int?>("--concurrency") { Description = "Requests in flight at once (default: the model's max_concurrency, 4)", HelpName = "C" };
        var logprobs = new Option<bool>("--logprobs") { Description = "Ask the endpoint for log-probabilities; kept as \"logprob\" when given" };
        var noCache = new Option<bool>("--no-cache") { Description = $"Do not read or write the response cache ({CacheFolder}/responses.db)" };
        var output = new Option<string>("--out") { Description = "Samples JSONL to write (resumed if it exists)", Required = true, HelpName = "FILE" };
        var command = new Command("sample", "Sample K replies per prompt from a model into a samples JSONL file")
        {
            model, prompts, n, temperature, seed, maxTokens, concurrency, logprobs, noCache, output,
        };
        return command.WithAction(async (context, ct) =>
        {
            var k = context.Get(n);
            if (k < 1)
            {
                throw PlumblineException.BadInput($"--n: must be at least 1 (was {k})");
            }

            if (context.Get(temperature) is < 0)
            {
                throw PlumblineException.BadInput($"--temperature: must be 0 or more (was {context.Get(temperature)})");
            }

            if (context.Get(maxTokens) is < 1)
            {
                throw PlumblineException.BadInput($"--max-tokens: must be at least 1 (was {context.Get(maxTokens)})");
            }

            if (context.Get(concurrency) is < 1 or > 1024)
            {
                throw PlumblineException.BadInput($"--concurrency: must be 1 to 1024 (was {context.Get(concurrency)})");
            }

            var promptList = PromptFile.Read(context.Get(prompts));
            var reference = context.Get(model);
            var catalog = Catalog(context, context.Get(noCache), context.Get(concurrency));
            var settings = catalog.Resolve(reference);
            using var chat = catalog.CreateChatClient(reference);
            var outPath = context.Get(output);
            if (Path.GetDirectoryName(Path.GetFullPath(outPath)) is { } folder)
            {
                Directory.CreateDirectory(folder);
            }

            var request = new SamplingRequest(reference, outPath, k, context.Get(temperature), context.Get(seed), context.Get(maxTokens), context.Get(concurrency) ?? settings.MaxConcurrency, context.Get(logprobs));
            var summary = await RunWithProgressAsync(context, chat, promptList, request, ct);
            Report(context, summary);
            if (summary.Interrupted)
            {
                await Console.Error.WriteLineAsync($"plumb: interrupted: {summary.AlreadyDone + summary.Written} of {summary.Requested} samples are in {summary.Output}; run the same command again to continue");
                return ExitCodes.Cancelled;
            }

            return ExitCodes.Success;
        });
    }

    /// <summary>The catalog of the current directory (plumbline.yaml), with the response cache under .plumbline/cache.</summary>
    public static ModelCatalog Catalog(CliContext context, bool noCache = true, int? concurrency = null)
    {
        var options = new ModelClientOptions { TimeProvider = context.Time, CacheDirectory = noCache ? null : Path.GetFullPath(CacheFolder) };
        var catalog = ModelCatalog.ForDirectory(Environment.CurrentDirectory, options);
        return concurrency is { } c ? catalog.WithDefaults(s => s with { MaxConcurrency = c }) : catalog;
    }

    internal static async Task<SamplingSummary> RunWithProgressAsync(CliContext context, Microsoft.Extensions.AI.IChatClient chat, IReadOnlyList<SamplePrompt> prompts, SamplingRequest request, CancellationToken ct)
    {
        if (context.Json || Console.IsErrorRedirected)
        {
            return await Sampler.RunAsync(chat, prompts, request, null, context.Time, ct);
        }

        SamplingSummary summary = null!;
        await context.Error.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("sampling", maxValue: prompts.Count * request.SamplesPerPrompt);
                var clock = Stopwatch.StartNew();
                int? startDone = null;
                var reporter = new InlineProgress(p =>
                {
                    startDone ??= p.Done;
                    var rate = clock.Elapsed.TotalSeconds > 0 ? (p.Done - startDone.Value) / clock.Elapsed.TotalSeconds : 0;
                    task.Description = Markup.Escape(FormattableString.Invariant($"sampling {p.Done}/{p.Total} · {rate:0.0}/s · {p.FromCache} cached"));
                    task.Value = p.Done;
                });
                summary = await Sampler.RunAsync(chat, prompts, request, reporter, context.Time, ct);
            });
        return summary;
    }

    private static void Report(CliContext context, SamplingSummary summary)
    {
        if (context.Json)
        {
            context.WriteJson(new
            {
                model = summary.Model,
                @out = summary.Output,
                prompts = summary.Prompts,
                requested = summary.Requested,
                already_done = summary.AlreadyDone,
                written = summary.Written,
                from_cache = summary.FromCache,
                dropped_torn_line = summary.DroppedTornLine,
                interrupted = summary.Interrupted,
                elapsed_seconds = Math.Round(summary.Elapsed.TotalSeconds, 3),
            });
            return;
        }

        var extra = new List<string>();
        if (summary.AlreadyDone > 0)
        {
            extra.Add($"{summary.AlreadyDone} already there");
        }

        if (summary.FromCache > 0)
        {
            extra.Add($"{summary.FromCache} from the cache");
        }

        if (summary.DroppedTornLine)
        {
            extra.Add("a torn last line was redone");
        }

        var tail = extra.Count > 0 ? $" ({string.Join(", ", extra)})" : string.Empty;
        context.Say(FormattableString.Invariant($"wrote {summary.Written} samples to {summary.Output}{tail} in {summary.Elapsed.TotalSeconds:0.0} s"));
    }

    /// <summary>Reports on the calling thread, so the bar is current.</summary>
    private sealed class InlineProgress(Action<SamplingProgress> report) : IProgress<SamplingProgress>
    {
        private readonly Lock _gate = new();

        public void Report(SamplingProgress value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }
}
