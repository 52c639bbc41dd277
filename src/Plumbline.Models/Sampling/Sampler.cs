using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plumbline.Core;

namespace Plumbline.Models.Sampling;

/// <summary>
/// Samples K replies per prompt into a JSONL file in the samples contract
/// (<c>{"id", "model", "prompt", "response", ...}</c>), concurrently and resumably: samples already
/// in the file are not asked again, a torn last line left by a killed run is removed and redone, and
/// every line is written whole with one append. On a clean run the file is in prompt order, then
/// sample order. Sample ids are <c>PROMPT_ID#K</c>.
/// </summary>
/// <example>
/// <code>
/// var prompts = PromptFile.Read("prompts.jsonl");
/// using var chat = ModelCatalog.ForDirectory(".").CreateChatClient("builtin:ngram:lm.bin");
/// var summary = await Sampler.RunAsync(chat, prompts, new SamplingRequest("builtin:ngram:lm.bin", "samples.jsonl", SamplesPerPrompt: 5, Seed: 1), progress: null, TimeProvider.System, ct);
/// </code>
/// </example>
public static class Sampler
{
    /// <summary>Runs the sampling; returns (rather than throws) when cancelled, with <see cref="SamplingSummary.Interrupted"/> set.</summary>
    /// <exception cref="PlumblineException">BadInput when the output holds lines of another model or other settings; any model failure after its retries (the samples finished before it are kept).</exception>
    public static async Task<SamplingSummary> RunAsync(IChatClient client, IReadOnlyList<SamplePrompt> prompts, SamplingRequest request, IProgress<SamplingProgress>? progress, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.SamplesPerPrompt, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Concurrency, 1);
        var started = time.GetTimestamp();
        var (done, torn) = ExistingSamples.Read(request, prompts.ToDictionary(p => p.Id, p => p.Prompt, StringComparer.Ordinal));
        var work = new List<(SamplePrompt Prompt, int Index)>();
        foreach (var prompt in prompts)
        {
            for (var k = 0; k < request.SamplesPerPrompt; k++)
            {
                if (!done.Contains((prompt.Id, k)))
                {
                    work.Add((prompt, k));
                }
            }
        }

        var requested = prompts.Count * request.SamplesPerPrompt;
        var alreadyDone = requested - work.Count;
        var fromCache = 0;
        var written = 0;
        var interrupted = false;
        progress?.Report(new SamplingProgress(alreadyDone, requested, 0));
        if (work.Count > 0)
        {
            await using var writer = new OrderedLineWriter(request.OutputPath);
            try
            {
                await Parallel.ForEachAsync(
                    Enumerable.Range(0, work.Count),
                    new ParallelOptions { MaxDegreeOfParallelism = request.Concurrency, CancellationToken = cancellationToken },
                    async (i, ct) =>
                    {
                        var (prompt, index) = work[i];
                        var options = OptionsFor(request, prompt, index);
                        var response = await client.GetResponseAsync(prompt.ToMessages(), options, ct);
                        var cached = response.AdditionalProperties?.TryGetValue(ChatKeys.Cached, out var c) == true && c is true;
                        writer.Complete(i, LineFor(request, prompt, index, options.Seed, response));
                        var cachedNow = cached ? Interlocked.Increment(ref fromCache) : Volatile.Read(ref fromCache);
                        var writtenNow = Interlocked.Increment(ref written);
                        progress?.Report(new SamplingProgress(alreadyDone + writtenNow, requested, cachedNow));
                    });
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                interrupted = true;
            }
            finally
            {
                writer.FlushAll();
            }
        }

        return new SamplingSummary(request.Model, request.OutputPath, prompts.Count, requested, alreadyDone, written, fromCache, torn, interrupted, time.GetElapsedTime(started));
    }

    /// <summary>The seed of one sample: the first 31 bits of SHA-256("seed␟prompt id␟index"), so samples differ and each can be redrawn alone.</summary>
    public static long SampleSeed(long runSeed, string promptId, int index)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(FormattableString.Invariant($"{runSeed}\u001f{promptId}\u001f{index}")));
        return BitConverter.ToInt64(hash, 0) & 0x7FFF_FFFF;
    }

    private static ChatOptions OptionsFor(SamplingRequest request, SamplePrompt prompt, int index)
    {
        var options = new ChatOptions
        {
            Temperature = request.Temperature,
            MaxOutputTokens = request.MaxTokens,
            Seed = request.Seed is { } seed ? SampleSeed(seed, prompt.Id, index) : null,
            AdditionalProperties = new AdditionalPropertiesDictionary { [ChatKeys.SampleIndex] = index },
        };
        if (request.LogProbabilities)
        {
            options.AdditionalProperties[ChatKeys.LogProbabilities] = true;
        }

        return options;
    }

    private static string LineFor(SamplingRequest request, SamplePrompt prompt, int index, long? seed, ChatResponse response)
    {
        var line = new JsonObject
        {
            ["id"] = $"{prompt.Id}#{index}",
            ["model"] = request.Model,
            ["prompt"] = prompt.Prompt,
            ["response"] = response.Text,
            ["prompt_id"] = prompt.Id,
            ["sample"] = index,
        };
        if (seed is { } s)
        {
            line["seed"] = s;
        }

        if (request.Temperature is { } t)
        {
            line["temperature"] = Math.Round((double)t, 6);
        }

        if (request.MaxTokens is { } m)
        {
            line["max_tokens"] = m;
        }

        if (response.FinishReason is { } finish)
        {
            line["finish_reason"] = finish.Value;
        }

        if (response.AdditionalProperties?.TryGetValue(ChatKeys.LogProbability, out var lp) == true && lp is double logprob)
        {
            line["logprob"] = logprob;
        }

        if (prompt.Messages is { } messages)
        {
            line["messages"] = new JsonArray(messages.Select(msg => (JsonNode)new JsonObject { ["role"] = msg.Role.Value, ["content"] = msg.Text }).ToArray());
        }

        foreach (var (key, value) in prompt.Extra)
        {
            if (!line.ContainsKey(key))
            {
                line[key] = value?.DeepClone();
            }
        }

        return line.ToJsonString(JsonOptions);
    }

    internal static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
