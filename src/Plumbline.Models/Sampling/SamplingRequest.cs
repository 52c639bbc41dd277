namespace Plumbline.Models.Sampling;

/// <summary>What to sample and where to write it.</summary>
/// <param name="Model">The model reference as given (written in each sample's <c>model</c> field; a resumed run must use the same).</param>
/// <param name="OutputPath">The samples JSONL file; appended to and resumed if it exists.</param>
/// <param name="SamplesPerPrompt">K samples per prompt (sample indices 0..K−1).</param>
/// <param name="Temperature">Sampling temperature, or null for the model's default.</param>
/// <param name="Seed">Run seed: each sample gets its own seed derived from (seed, prompt id, sample index), so any one sample can be redrawn alone; null leaves seeding to the model.</param>
/// <param name="MaxTokens">Longest reply, or null for the model's default.</param>
/// <param name="Concurrency">Requests in flight at once (the endpoint's own limit applies as well).</param>
/// <param name="LogProbabilities">Ask for per-token log-probabilities (kept when the endpoint gives them).</param>
public sealed record SamplingRequest(
    string Model,
    string OutputPath,
    int SamplesPerPrompt = 1,
    float? Temperature = null,
    long? Seed = null,
    int? MaxTokens = null,
    int Concurrency = 4,
    bool LogProbabilities = false);

/// <summary>How far a run is.</summary>
public readonly record struct SamplingProgress(int Done, int Total, int FromCache);

/// <summary>What a run did.</summary>
/// <param name="Model">The model reference.</param>
/// <param name="Output">The samples file.</param>
/// <param name="Prompts">Prompts read.</param>
/// <param name="Requested">Prompts × K.</param>
/// <param name="AlreadyDone">Samples found in the output file from an earlier run (not asked again).</param>
/// <param name="Written">Samples added by this run.</param>
/// <param name="FromCache">Of those, answered by the response cache.</param>
/// <param name="DroppedTornLine">The output ended in a partial line (an earlier run was killed mid-write); it was removed and redone.</param>
/// <param name="Interrupted">The run was cancelled; what finished is in the file and a rerun continues.</param>
/// <param name="Elapsed">Wall time of this run.</param>
public sealed record SamplingSummary(string Model, string Output, int Prompts, int Requested, int AlreadyDone, int Written, int FromCache, bool DroppedTornLine, bool Interrupted, TimeSpan Elapsed);
