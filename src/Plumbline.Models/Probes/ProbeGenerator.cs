using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plumbline.Core.Supervision.Probes;

namespace Plumbline.Models.Probes;

/// <summary>What to generate.</summary>
/// <param name="Subtask">The subtask.</param>
/// <param name="Seeds">Seed examples (the shipped ones or --seeds).</param>
/// <param name="Count">Items wanted.</param>
/// <param name="Oversample">Candidates asked for per item wanted (the filters remove some); default 2.</param>
/// <param name="Seed">Run seed: rotation of examples and instructions, and the requests' seeds.</param>
/// <param name="Temperature">Generator temperature; default 1.</param>
/// <param name="ExamplesPerPrompt">Seed examples shown per request; default 3.</param>
/// <param name="DuplicateThreshold">Word-bigram Jaccard similarity at or above which an item is a near duplicate; default 0.6.</param>
/// <param name="Rebalance">Drop items of over-represented answers so that every answer shows the behaviour equally often; default true.</param>
/// <param name="Concurrency">Requests in flight at once; default 4.</param>
public sealed record GenerationRequest(
    ProbeSubtask Subtask,
    IReadOnlyList<ProbeItem> Seeds,
    int Count,
    double Oversample = 2.0,
    int Seed = 0,
    float Temperature = 1.0f,
    int ExamplesPerPrompt = 3,
    double DuplicateThreshold = NearDuplicates.DefaultThreshold,
    bool Rebalance = true,
    int Concurrency = 4)
{
    /// <summary>Candidates asked for: ⌈Count × Oversample⌉.</summary>
    public int Candidates => (int)Math.Ceiling(Count * Oversample);
}

/// <summary>One candidate a filter removed, and why.</summary>
/// <param name="Candidate">The candidate's 0-based index (its request).</param>
/// <param name="Filter"><c>malformed</c>, <c>duplicate</c>, <c>validity</c>, <c>causal</c>, <c>balance</c> or <c>surplus</c>.</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="Question">The candidate's question, when it had one.</param>
public sealed record Removal(int Candidate, string Filter, string Reason, string? Question);

/// <summary>Generation progress: a stage and how far it is.</summary>
public readonly record struct GenerationProgress(string Stage, int Done, int Total);

/// <summary>The outcome of a generation run.</summary>
/// <param name="Items">The kept items, in candidate order, with <c>subtask</c>, <c>validity_reason</c> (and <c>causal_reason</c>) fields.</param>
/// <param name="Candidates">Candidates asked for.</param>
/// <param name="Removed">Every removal, in filter order.</param>
/// <param name="Balance">Answer balance of the items that passed the other filters.</param>
/// <param name="Bias">The phrasing-bias check on the kept items.</param>
public sealed record GenerationResult(IReadOnlyList<ProbeItem> Items, int Candidates, IReadOnlyList<Removal> Removed, BalanceReport Balance, BiasReport Bias)
{
    /// <summary>The filters in the order they run.</summary>
    public static IReadOnlyList<string> Filters { get; } = ["malformed", "duplicate", "validity", "causal", "balance", "surplus"];

    /// <summary>Removals per filter (every filter listed, in order).</summary>
    public IReadOnlyDictionary<string, int> RemovedBy => Filters.ToDictionary(f => f, f => Removed.Count(r => r.Filter == f));
}

/// <summary>
/// Generates a validated probe set: candidates from the generator (rotating seed examples and
/// diversity instructions, a target answer per candidate in rotation), then the filters in order —
/// malformed replies; exact and near duplicates (also of the seeds); the judge's validity verdict
/// against the subtask definition; for impact items, the causal-structure check; answer balance;
/// and the surplus beyond the count wanted — then the phrasing-bias check on what is kept.
/// </summary>
public static class ProbeGenerator
{
    /// <summary>Runs generation and validation.</summary>
    /// <param name="generator">The model that writes items.</param>
    /// <param name="judge">The model that checks them (may be the same client).</param>
    /// <param name="request">What to generate.</param>
    /// <param name="progress">Stage progress, or null.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static async Task<GenerationResult> RunAsync(IChatClient generator, IChatClient judge, GenerationRequest request, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(judge);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Oversample, 1.0);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Concurrency, 1);
        if (request.Seeds.Count == 0)
        {
            throw new ArgumentException("generation needs at least one seed example", nameof(request));
        }

        var subtask = request.Subtask;
        var labels = subtask.Labels;
        var total = request.Candidates;
        var removed = new List<Removal>();

        // 1. candidates
        var replies = await MapAsync(total, request.Concurrency, "generating", progress, async (i, ct) =>
        {
            var target = labels[i % labels.Count];
            var prompt = ProbePrompts.Generation(subtask, request.Seeds, i, request.ExamplesPerPrompt, request.Seed, target);
            var options = new ChatOptions
            {
                Temperature = request.Temperature,
                Seed = ((long)request.Seed * 1_000_003) + i,
                MaxOutputTokens = 600,
                AdditionalProperties = new AdditionalPropertiesDictionary { [ChatKeys.SampleIndex] = i },
            };
            var response = await generator.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)], options, ct);
            return response.Text;
        }, cancellationToken);

        // 2. malformed
        var alive = new List<(int Index, ProbeItem Item)>();
        for (var i = 0; i < total; i++)
        {
            var (item, error) = ProbePrompts.ParseGenerated(replies[i], subtask);
            if (item is null)
            {
                removed.Add(new Removal(i, "malformed", $"{error}: {ProbePrompts.Shorten(replies[i])}", null));
            }
            else
            {
                alive.Add((i, item));
            }
        }

        // 3. exact and near duplicates, also of the seeds
        var duplicates = NearDuplicates.Find(alive.Select(a => a.Item.Question).ToList(), request.Seeds.Select(s => s.Question).ToList(), request.DuplicateThreshold);
        foreach (var d in duplicates)
        {
            var of = d.OfSeed ? $"seed example {d.OfIndex + 1}" : $"candidate {alive[d.OfIndex].Index}";
            var how = d.Exact ? "exact duplicate" : FormattableString.Invariant($"near duplicate (similarity {d.Similarity:0.00})");
            removed.Add(new Removal(alive[d.Index].Index, "duplicate", $"{how} of {of}", alive[d.Index].Item.Question));
        }

        var duplicateIndexes = duplicates.Select(d => d.Index).ToHashSet();
        alive = [.. alive.Where((_, k) => !duplicateIndexes.Contains(k))];

        // 4. validity (and 5. causal structure for impact items), asked of the judge
        var verdicts = await MapAsync(alive.Count, request.Concurrency, "validating", progress, async (k, ct) =>
        {
            var item = alive[k].Item;
            var validity = ProbePrompts.ParseVerdict(await AskAsync(judge, ProbePrompts.Validity(subtask, item), request.Seed, ct), "VERDICT", "valid", "invalid");
            Verdict? causal = null;
            if (subtask.CausalCheck && validity.Passed)
            {
                causal = ProbePrompts.ParseVerdict(await AskAsync(judge, ProbePrompts.Causal(item), request.Seed, ct), "CAUSAL", "yes", "no");
            }

            return (validity, causal);
        }, cancellationToken);

        var valid = new List<(int Index, ProbeItem Item)>();
        for (var k = 0; k < alive.Count; k++)
        {
            var (index, item) = alive[k];
            var (validity, causal) = verdicts[k];
            if (!validity.Passed)
            {
                removed.Add(new Removal(index, "validity", validity.Reason, item.Question));
                continue;
            }

            if (causal is { Passed: false })
            {
                removed.Add(new Removal(index, "causal", causal.Reason, item.Question));
                continue;
            }

            var extra = new List<KeyValuePair<string, JsonNode?>>
            {
                new("subtask", subtask.Name),
                new("validity_reason", validity.Reason),
            };
            if (causal is not null)
            {
                extra.Add(new("causal_reason", causal.Reason));
            }

            valid.Add((index, item with { Extra = extra }));
        }

        // 6. answer balance
        var balance = LabelBalance.Check(valid.Select(v => v.Item.MatchingLabel).ToList(), labels, request.Rebalance);
        foreach (var k in balance.Removed)
        {
            var label = valid[k].Item.MatchingLabel;
            removed.Add(new Removal(valid[k].Index, "balance", $"answer '{label}' over-represented ({string.Join(", ", balance.Before.Select(b => $"{b.Key} {b.Value}"))}); dropped to balance", valid[k].Item.Question));
        }

        var balancedIndexes = balance.Removed.ToHashSet();
        var kept = valid.Where((_, k) => !balancedIndexes.Contains(k)).ToList();

        // 7. surplus: labels taken in turn, so that truncating keeps the balance
        if (kept.Count > request.Count)
        {
            var queues = labels.Select(l => new Queue<(int Index, ProbeItem Item)>(kept.Where(x => x.Item.MatchingLabel == l))).ToList();
            var chosen = new HashSet<int>();
            while (chosen.Count < request.Count)
            {
                foreach (var queue in queues)
                {
                    if (chosen.Count < request.Count && queue.Count > 0)
                    {
                        chosen.Add(queue.Dequeue().Index);
                    }
                }
            }

            foreach (var (index, item) in kept.Where(x => !chosen.Contains(x.Index)))
            {
                removed.Add(new Removal(index, "surplus", $"more than --n {request.Count} items passed the filters", item.Question));
            }

            kept = [.. kept.Where(x => chosen.Contains(x.Index))];
        }

        var items = kept.Select(k => k.Item).ToList();
        var bias = PhrasingBias.Check(items, seed: request.Seed);
        var order = GenerationResult.Filters.Select((f, i) => (f, i)).ToDictionary(x => x.f, x => x.i);
        return new GenerationResult(items, total, [.. removed.OrderBy(r => order[r.Filter]).ThenBy(r => r.Candidate)], balance, bias);
    }

    private static async Task<string> AskAsync(IChatClient judge, string prompt, int seed, CancellationToken cancellationToken)
    {
        var options = new ChatOptions { Temperature = 0, Seed = seed, MaxOutputTokens = 200 };
        var response = await judge.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)], options, cancellationToken);
        return response.Text;
    }

    /// <summary>Runs <paramref name="work"/> for 0…count−1 with at most <paramref name="concurrency"/> at once; results in index order.</summary>
    private static async Task<T[]> MapAsync<T>(int count, int concurrency, string stage, IProgress<GenerationProgress>? progress, Func<int, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var results = new T[count];
        var done = 0;
        progress?.Report(new GenerationProgress(stage, 0, count));
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            results[i] = await work(i, ct);
            progress?.Report(new GenerationProgress(stage, Interlocked.Increment(ref done), count));
        });
        return results;
    }
}
