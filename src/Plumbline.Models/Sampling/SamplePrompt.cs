using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plumbline.Core;

namespace Plumbline.Models.Sampling;

/// <summary>One prompt to sample: plain text, or a chat (<see cref="Messages"/>), with the other fields of its JSONL line kept.</summary>
/// <param name="Id">Unique within the file: the JSONL <c>id</c>, or the 1-based line number.</param>
/// <param name="Prompt">The prompt text (for a chat: the last user message).</param>
/// <param name="Messages">The chat, when the line gave <c>messages</c>; otherwise null (one user message).</param>
/// <param name="Extra">Fields of the JSONL line other than id, prompt and messages (copied to each sample).</param>
/// <param name="Line">Where it came from (1-based).</param>
public sealed record SamplePrompt(string Id, string Prompt, IReadOnlyList<ChatMessage>? Messages, IReadOnlyDictionary<string, JsonNode?> Extra, int Line)
{
    /// <summary>What is sent to the model.</summary>
    public IReadOnlyList<ChatMessage> ToMessages() => Messages ?? [new ChatMessage(ChatRole.User, Prompt)];
}

/// <summary>
/// Reads prompts: JSONL (<c>{"id", "prompt"}</c> or chat <c>{"id", "messages": [{"role", "content"}]}</c>;
/// chosen when the file ends in .jsonl or its first non-blank line starts with <c>{</c>) or plain text
/// (one prompt per non-blank line, id = line number).
/// </summary>
public static class PromptFile
{
    /// <summary>Reads and checks the whole file.</summary>
    /// <exception cref="PlumblineException">BadInput naming FILE:LINE and what is wrong; NotFound for a missing file.</exception>
    public static IReadOnlyList<SamplePrompt> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw PlumblineException.NotFound($"{path}: no such prompts file");
        }

        var lines = File.ReadAllLines(path);
        var firstContent = lines.FirstOrDefault(l => !string.IsNullOrWhiteSpace(l))?.TrimStart();
        var jsonl = path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || (firstContent?.StartsWith('{') ?? false);
        var prompts = new List<SamplePrompt>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            var prompt = jsonl ? ParseJsonLine(path, lineNumber, lines[i]) : new SamplePrompt(lineNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), lines[i], null, new Dictionary<string, JsonNode?>(), lineNumber);
            if (seen.TryGetValue(prompt.Id, out var first))
            {
                throw PlumblineException.BadInput($"{path}:{lineNumber}: duplicate id '{prompt.Id}' (first on line {first})");
            }

            seen[prompt.Id] = lineNumber;
            prompts.Add(prompt);
        }

        if (prompts.Count == 0)
        {
            throw PlumblineException.BadInput($"{path}: no prompts");
        }

        return prompts;
    }

    private static SamplePrompt ParseJsonLine(string path, int line, string text)
    {
        JsonObject obj;
        try
        {
            obj = JsonNode.Parse(text) as JsonObject ?? throw PlumblineException.BadInput($"{path}:{line}: expected a JSON object with \"prompt\" or \"messages\"");
        }
        catch (JsonException e)
        {
            throw PlumblineException.BadInput($"{path}:{line}: not valid JSON: {e.Message}");
        }

        var id = obj["id"] switch
        {
            null => line.ToString(System.Globalization.CultureInfo.InvariantCulture),
            JsonValue v when v.TryGetValue<string>(out var s) && s.Length > 0 => s,
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
            _ => throw PlumblineException.BadInput($"{path}:{line}: \"id\" must be a non-empty string or a number"),
        };

        IReadOnlyList<ChatMessage>? messages = null;
        string prompt;
        if (obj["messages"] is { } messagesNode)
        {
            messages = ParseMessages(path, line, messagesNode);
            prompt = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? messages[^1].Text;
        }
        else if (obj["prompt"] is JsonValue p && p.TryGetValue<string>(out var s) && s.Length > 0)
        {
            prompt = s;
        }
        else
        {
            throw PlumblineException.BadInput($"{path}:{line}: needs \"prompt\" (a non-empty string) or \"messages\"");
        }

        var extra = obj.Where(kv => kv.Key is not ("id" or "prompt" or "messages")).ToDictionary(kv => kv.Key, kv => kv.Value?.DeepClone(), StringComparer.Ordinal);
        return new SamplePrompt(id, prompt, messages, extra, line);
    }

    private static List<ChatMessage> ParseMessages(string path, int line, JsonNode node)
    {
        if (node is not JsonArray array || array.Count == 0)
        {
            throw PlumblineException.BadInput($"{path}:{line}: \"messages\" must be a non-empty array of {{\"role\", \"content\"}}");
        }

        var result = new List<ChatMessage>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject m || m["role"] is not JsonValue r || !r.TryGetValue<string>(out var role) || m["content"] is not JsonValue c || !c.TryGetValue<string>(out var content))
            {
                throw PlumblineException.BadInput($"{path}:{line}: messages[{i}] needs string \"role\" and \"content\"");
            }

            var chatRole = role switch
            {
                "system" => ChatRole.System,
                "user" => ChatRole.User,
                "assistant" => ChatRole.Assistant,
                _ => throw PlumblineException.BadInput($"{path}:{line}: messages[{i}]: role '{role}' is not system, user or assistant"),
            };
            result.Add(new ChatMessage(chatRole, content));
        }

        return result;
    }
}
