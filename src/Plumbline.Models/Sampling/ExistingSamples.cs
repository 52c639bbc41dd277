using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plumbline.Core;

namespace Plumbline.Models.Sampling;

/// <summary>What an earlier, interrupted run left in the output: the (prompt id, sample index) pairs done. A torn last line is cut off.</summary>
internal static class ExistingSamples
{
    public static (HashSet<(string PromptId, int Index)> Done, bool DroppedTornLine) Read(SamplingRequest request, IReadOnlyDictionary<string, string> promptsById)
    {
        var path = request.OutputPath;
        var done = new HashSet<(string, int)>();
        if (!File.Exists(path))
        {
            return (done, false);
        }

        var torn = CutTornLine(path);
        var number = 0;
        foreach (var text in File.ReadLines(path, Encoding.UTF8))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            JsonObject line;
            try
            {
                line = JsonNode.Parse(text) as JsonObject ?? throw new JsonException("not an object");
            }
            catch (JsonException e)
            {
                throw PlumblineException.BadInput($"{path}:{number}: not a sample line ({e.Message}); use another --out");
            }

            var model = (string?)line["model"];
            var promptId = line["prompt_id"] is JsonValue p && p.TryGetValue<string>(out var pid) ? pid : null;
            var index = line["sample"] is JsonValue s && s.TryGetValue<int>(out var k) ? k : -1;
            if (promptId is null || index < 0)
            {
                throw PlumblineException.BadInput($"{path}:{number}: not written by plumb sample (no prompt_id and sample); use another --out");
            }

            if (model != request.Model)
            {
                throw PlumblineException.BadInput($"{path}:{number}: sampled from model '{model}', not '{request.Model}'; use another --out");
            }

            if (promptsById.TryGetValue(promptId, out var prompt) && (string?)line["prompt"] != prompt)
            {
                throw PlumblineException.BadInput($"{path}:{number}: prompt '{promptId}' has changed since it was sampled; use another --out");
            }

            Check(path, number, "temperature", line["temperature"]?.GetValue<double>(), request.Temperature is { } t ? Math.Round((double)t, 6) : null);
            Check(path, number, "max_tokens", line["max_tokens"]?.GetValue<int>(), request.MaxTokens);
            Check(path, number, "seed", line["seed"]?.GetValue<long>(), request.Seed is { } seed ? Sampler.SampleSeed(seed, promptId, index) : null);
            done.Add((promptId, index));
        }

        return (done, torn);
    }

    private static void Check<T>(string path, int line, string name, T? found, T? expected)
        where T : struct
    {
        if (!Nullable.Equals(found, expected))
        {
            var was = found?.ToString() ?? "none";
            var now = expected?.ToString() ?? "none";
            var hint = name == "seed" ? "a different --seed" : $"{name} {was}";
            throw PlumblineException.BadInput($"{path}:{line}: sampled with {hint}, not {(name == "seed" ? "this one" : now)}; use another --out or the same settings");
        }
    }

    /// <summary>Cuts the file back to its last newline; true when something was cut.</summary>
    private static bool CutTornLine(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        if (stream.Length == 0)
        {
            return false;
        }

        var position = stream.Length;
        var buffer = new byte[4096];
        while (position > 0)
        {
            var size = (int)Math.Min(buffer.Length, position);
            stream.Position = position - size;
            stream.ReadExactly(buffer, 0, size);
            var at = Array.LastIndexOf(buffer, (byte)'\n', size - 1, size);
            if (at >= 0)
            {
                var keep = position - size + at + 1;
                if (keep == stream.Length)
                {
                    return false;
                }

                stream.SetLength(keep);
                return true;
            }

            position -= size;
        }

        stream.SetLength(0);
        return true;
    }
}
