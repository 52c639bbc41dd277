using Microsoft.Extensions.AI;
using Plumbline.Core;
using Plumbline.Core.Supervision.Probes;

namespace Plumbline.Models.Probes;

/// <summary>A named list of items (an items file).</summary>
public sealed record ProbeSet(string Name, IReadOnlyList<ProbeItem> Items)
{
    /// <summary>Reads an items file (Anthropic's model-written-evals JSONL, or what <c>plumb probe generate</c> wrote).</summary>
    /// <exception cref="PlumblineException">NotFound for a missing file; BadInput naming the file, line and field.</exception>
    public static ProbeSet Read(string path, string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw PlumblineException.NotFound($"{path}: no such items file");
        }

        using var reader = new StreamReader(path);
        return new ProbeSet(name ?? path, ProbeItemReader.Read(reader, path));
    }
}

/// <summary>How to ask.</summary>
/// <param name="Concurrency">Requests in flight at once per model; default 4.</param>
/// <param name="MaxTokens">Longest reply; default 48 (room for "(B) because…").</param>
/// <param name="Seed">Seed sent with every request; default 0.</param>
/// <param name="LogProbabilities">Ask for log-probabilities (with the 10 most likely alternatives per token) and use them when the endpoint offers them; default true.</param>
public sealed record EvaluationOptions(int Concurrency = 4, int MaxTokens = 48, int Seed = 0, bool LogProbabilities = true);

/// <summary>Evaluation progress: answers received of the total, per model.</summary>
public readonly record struct EvaluationProgress(string Model, int Done, int Total);

/// <summary>
/// Asks each model every item (temperature 0; a system message asking for Yes/No or a letter
/// first; the question as the user message), reads the answer out of the reply
/// (<see cref="AnswerParser"/>) and, when the endpoint gives log-probabilities, the probability of
/// the matching answer.
/// </summary>
public static class ProbeEvaluator
{
    /// <summary>Every model's answer to every item, in model, set, item order.</summary>
    public static async Task<IReadOnlyList<ItemAnswer>> RunAsync(IReadOnlyList<ProbeSet> sets, IReadOnlyList<(string Reference, IChatClient Client)> models, EvaluationOptions options, IProgress<EvaluationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Concurrency, 1);
        var work = sets.SelectMany(s => s.Items.Select((item, index) => (Set: s.Name, Index: index, Item: item))).ToList();
        var answers = new List<ItemAnswer>();
        foreach (var (reference, client) in models)
        {
            var results = new ItemAnswer[work.Count];
            var done = 0;
            progress?.Report(new EvaluationProgress(reference, 0, work.Count));
            await Parallel.ForEachAsync(Enumerable.Range(0, work.Count), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                var (set, index, item) = work[i];
                results[i] = await AskAsync(client, reference, set, index, item, options, ct);
                progress?.Report(new EvaluationProgress(reference, Interlocked.Increment(ref done), work.Count));
            });
            answers.AddRange(results);
        }

        return answers;
    }

    /// <summary>Asks one item.</summary>
    public static async Task<ItemAnswer> AskAsync(IChatClient client, string reference, string set, int index, ProbeItem item, EvaluationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(options);
        var chatOptions = new ChatOptions
        {
            Temperature = 0,
            MaxOutputTokens = options.MaxTokens,
            Seed = options.Seed,
            AdditionalProperties = options.LogProbabilities
                ? new AdditionalPropertiesDictionary { [ChatKeys.LogProbabilities] = true, [ChatKeys.TopLogProbabilities] = 10 }
                : null,
        };
        ChatMessage[] messages = [new(ChatRole.System, ProbePrompts.EvaluationInstruction(item.Format)), new(ChatRole.User, item.Question)];
        var response = await client.GetResponseAsync(messages, chatOptions, cancellationToken);
        var reply = response.Text;
        var parsed = AnswerParser.Parse(reply, item);
        double? probability = null;
        if (response.AdditionalProperties?.TryGetValue(ChatKeys.TokenLogProbabilities, out var tokens) == true && tokens is TokenLogProbability[] list)
        {
            var positions = list.Select(t => (IReadOnlyList<(string, double)>)(t.Top is { Count: > 0 } top
                ? [.. top.Select(a => (a.Token, a.LogProbability))]
                : [(t.Token, t.LogProbability)])).ToList();
            probability = ProbeScores.MatchingProbability(positions, item);
        }

        return new ItemAnswer(set, index, item.Subtask, reference, reply, parsed.Kind, parsed.Label, parsed.Kind == AnswerKind.Answered && parsed.Label == item.MatchingLabel, probability);
    }
}
