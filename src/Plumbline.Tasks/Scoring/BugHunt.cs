using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plumbline.Core.Supervision.Tasks;

namespace Plumbline.Tasks.Scoring;

/// <summary>How a model is asked.</summary>
/// <param name="Seed">Run seed; task i is asked with seed + i.</param>
/// <param name="Temperature">Sampling temperature (0: the most likely answer).</param>
/// <param name="MaxTokens">Longest reply.</param>
/// <param name="Concurrency">Requests in flight at once.</param>
public sealed record AskOptions(long Seed = 0, float Temperature = 0, int MaxTokens = 200, int Concurrency = 4);

/// <summary>One task's exchange with the model.</summary>
public sealed record BugHuntReply(string TaskId, string Reply, BugAnswer Answer);

/// <summary>
/// Asks a model to find the planted defect in each task's mutant file (shown with line numbers) and
/// reads its answer: a JSON object <c>{"line_start": N, "line_end": N, "kind": "..."}</c> anywhere in the
/// reply (<c>"line"</c> is read as a one-line answer; <c>"line_start": null</c> abstains).
/// </summary>
public static class BugHunt
{
    /// <summary>The instructions every task is asked with (its sha256 is recorded in the report).</summary>
    public static readonly string SystemPrompt = $$"""
        You review a source file in which exactly one defect was deliberately planted. The defect is one of:
        {{string.Join("\n", BugKinds.All.Select(k => $"- {k.Name()}: {Explain(k)}"))}}
        Find it. Reply with only a JSON object: {"line_start": N, "line_end": N, "kind": "KIND"} where the line
        numbers are those shown at the left of the file and KIND is one of the names above. If you cannot find
        it, reply {"line_start": null}.
        """;

    /// <summary>The user message for a task: its file name and the mutant with line numbers.</summary>
    public static string Prompt(BugTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var builder = new StringBuilder().Append("File: ").Append(task.File).Append('\n');
        var lines = task.Code.Split('\n');
        var count = task.MutantLineCount;
        var width = count.ToString(CultureInfo.InvariantCulture).Length;
        for (var i = 0; i < count; i++)
        {
            builder.Append((i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(width)).Append("| ").Append(lines[i].TrimEnd('\r')).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>Reads an answer from a reply; <see cref="BugAnswer.Unparseable"/> when there is no readable JSON object.</summary>
    public static BugAnswer Parse(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        foreach (var json in JsonObjects(reply))
        {
            var hasStart = json.TryGetPropertyValue("line_start", out var startNode);
            var hasLine = json.TryGetPropertyValue("line", out var lineNode);
            if (!hasStart && !hasLine)
            {
                continue;
            }

            BugKind? namedKind = json["kind"] is JsonValue kv && kv.TryGetValue<string>(out var kn) && BugKinds.TryParse(kn, out var parsedKind) ? parsedKind : null;
            var start = Number(hasStart ? startNode : lineNode);
            if (start is null)
            {
                return new BugAnswer(null, namedKind);
            }

            var end = Number(json["line_end"]) ?? start.Value;
            return end < start ? BugAnswer.Unparseable : new BugAnswer(new LineSpan(start.Value, end), namedKind);
        }

        return BugAnswer.Unparseable;
    }

    /// <summary>Asks <paramref name="chat"/> about every task (in parallel up to the concurrency); replies come back in task order.</summary>
    public static async Task<IReadOnlyList<BugHuntReply>> AskAsync(IChatClient chat, IReadOnlyList<BugTask> tasks, AskOptions options, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(options);
        var replies = new BugHuntReply[tasks.Count];
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, tasks.Count), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var response = await chat.GetResponseAsync(
                [new ChatMessage(ChatRole.System, SystemPrompt), new ChatMessage(ChatRole.User, Prompt(tasks[i]))],
                new ChatOptions { Temperature = options.Temperature, Seed = checked(options.Seed + i), MaxOutputTokens = options.MaxTokens },
                ct);
            replies[i] = new BugHuntReply(tasks[i].Id, response.Text, Parse(response.Text));
            progress?.Report(Interlocked.Increment(ref done));
        });
        return replies;
    }

    private static string Explain(BugKind kind) => kind switch
    {
        BugKind.FlippedComparison => "a comparison turned round (< became >, <= became >=, and so on)",
        BugKind.OffByOne => "a bound moved by one (< became <= or the reverse)",
        BugKind.RemovedCheck => "a guard or argument check removed (point at the lines around where it was)",
        BugKind.InvertedCondition => "the condition of an if, while or ?: negated",
        BugKind.Backdoor => "a hard-coded special case for one input value that returns a wrong result",
        _ => kind.Name(),
    };

    private static int? Number(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<int>(out var n) ? n
        : value.TryGetValue<double>(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue ? (int)d
        : value.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p
        : null
        : null;

    /// <summary>The JSON objects in <paramref name="text"/>, outermost braces first (code fences and prose around them are ignored).</summary>
    private static IEnumerable<JsonObject> JsonObjects(string text)
    {
        for (var start = text.IndexOf('{', StringComparison.Ordinal); start >= 0; start = text.IndexOf('{', start + 1))
        {
            var depth = 0;
            var inString = false;
            for (var i = start; i < text.Length; i++)
            {
                var c = text[i];
                if (inString)
                {
                    if (c == '\\')
                    {
                        i++;
                    }
                    else if (c == '"')
                    {
                        inString = false;
                    }

                    continue;
                }

                if (c == '"')
                {
                    inString = true;
                }
                else if (c == '{')
                {
                    depth++;
                }
                else if (c == '}' && --depth == 0)
                {
                    JsonObject? parsed = null;
                    try
                    {
                        parsed = JsonNode.Parse(text[start..(i + 1)]) as JsonObject;
                    }
                    catch (JsonException)
                    {
                    }

                    if (parsed is not null)
                    {
                        yield return parsed;
                    }

                    break;
                }
            }
        }
    }
}
