using Plumbline.Core;
using Plumbline.Core.Analysis;
using Plumbline.Models.Ngram;

namespace Plumbline.Models.Drift;

/// <summary>What the simulator keeps of each generation's samples before training the next model.</summary>
public enum CurationKind
{
    /// <summary>Keep the samples as drawn.</summary>
    None,

    /// <summary>Keep the model's own most likely samples (lowest perplexity under the model that drew them): self-preference.</summary>
    Self,

    /// <summary>Prefer samples that contain a word (then fill with the others in the order drawn): a planted bias.</summary>
    Keyword,
}

/// <summary>A curation rule: <c>none</c>, <c>self</c> or <c>keyword:WORD</c>.</summary>
public sealed record Curation(CurationKind Kind, string? Keyword = null)
{
    /// <summary>Parses <c>none</c>, <c>self</c> or <c>keyword:WORD</c>.</summary>
    /// <exception cref="PlumblineException">BadInput naming the option.</exception>
    public static Curation Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text == "none")
        {
            return new Curation(CurationKind.None);
        }

        if (text == "self")
        {
            return new Curation(CurationKind.Self);
        }

        if (text.StartsWith("keyword:", StringComparison.Ordinal))
        {
            var words = Tokenizer.Tokenize(text["keyword:".Length..]);
            if (words.Count == 1)
            {
                return new Curation(CurationKind.Keyword, words[0]);
            }
        }

        throw PlumblineException.BadInput($"--curate '{text}': expected none, self or keyword:WORD (one word)");
    }

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        CurationKind.None => "none",
        CurationKind.Self => "self",
        _ => $"keyword:{Keyword}",
    };
}

/// <summary>How the self-training loop runs.</summary>
/// <param name="Rounds">Generations (round 0 is the model trained on the human corpus).</param>
/// <param name="Replay">Fraction of each training set drawn from the human corpus (0 to 1); the rest is curated synthetic text.</param>
/// <param name="Curation">What is kept of the synthetic samples.</param>
/// <param name="Seed">Seed of every draw: the same options and corpus give the same rounds.</param>
/// <param name="SamplesPerRound">Samples recorded per round, and the size of each training set; null = the corpus's size.</param>
/// <param name="Keep">With curation, the kept share of the candidates (so SamplesPerRound / Keep candidates are drawn); default 0.5.</param>
/// <param name="Order">n of the n-gram models; default 3.</param>
/// <param name="Temperature">Sampling temperature; default 1.</param>
/// <param name="MaxTokens">Longest sample in tokens; default 64.</param>
public sealed record SimulationOptions(
    int Rounds,
    double Replay = 0,
    Curation? Curation = null,
    int Seed = 0,
    int? SamplesPerRound = null,
    double Keep = 0.5,
    int Order = 3,
    double Temperature = 1.0,
    int MaxTokens = 64)
{
    /// <summary>The curation in effect (none by default).</summary>
    public Curation Curating => Curation ?? new Curation(CurationKind.None);

    /// <summary>All problems with these options, named by their command-line option.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Rounds < 1)
        {
            errors.Add($"--rounds must be at least 1 (was {Rounds})");
        }

        if (Replay is < 0 or > 1 || double.IsNaN(Replay))
        {
            errors.Add($"--replay must be between 0.0 and 1.0 (was {Replay})");
        }

        if (SamplesPerRound is < 2)
        {
            errors.Add($"--samples must be at least 2 (was {SamplesPerRound})");
        }

        if (Keep is <= 0 or > 1 || double.IsNaN(Keep))
        {
            errors.Add($"--keep must be above 0 and at most 1 (was {Keep})");
        }

        if (Order is < 1 or > NgramOptions.MaxOrder)
        {
            errors.Add($"--order must be between 1 and {NgramOptions.MaxOrder} (was {Order})");
        }

        if (Temperature <= 0 || double.IsNaN(Temperature))
        {
            errors.Add($"--temperature must be above 0 (was {Temperature})");
        }

        if (MaxTokens < 1)
        {
            errors.Add($"--max-tokens must be at least 1 (was {MaxTokens})");
        }

        return errors;
    }
}

/// <summary>One generation of the loop.</summary>
/// <param name="Round">Generation index.</param>
/// <param name="Model">The model of this generation (trained on the previous generation's curated samples plus replay).</param>
/// <param name="Samples">Samples drawn from <paramref name="Model"/> (before curation): what the drift report measures.</param>
/// <param name="TrainingTexts">Texts the model was trained on.</param>
/// <param name="HumanTexts">Of those, texts from the human corpus.</param>
/// <param name="KeywordShare">Share of the samples containing the curation keyword (NaN without one).</param>
/// <param name="Elapsed">Time to train this model and draw its samples.</param>
public sealed record SimulationRound(int Round, NgramModel Model, IReadOnlyList<string> Samples, int TrainingTexts, int HumanTexts, double KeywordShare, TimeSpan Elapsed);

/// <summary>
/// A real, fast self-training loop with the built-in n-gram model (after Shumailov et al. 2023, "The
/// Curse of Recursion"): generation 0 trains on the human corpus; each generation samples a synthetic
/// corpus, optionally curates it, mixes in a share of the human corpus (replay), and trains the next.
/// </summary>
/// <remarks>
/// An empty sample (the model ending the text at once) is drawn again, up to
/// <see cref="MaxDrawsPerSample"/> times: an empty output is what any data pipeline drops first, and
/// under self-preference it would otherwise win (it is the likeliest text of all) and end the loop in
/// a corpus of empty strings within a few generations.
/// </remarks>
public static class SelfTrainingSimulator
{
    /// <summary>Draws per sample at most, while the draw is empty.</summary>
    public const int MaxDrawsPerSample = 20;

    /// <summary>Runs the loop, yielding each generation as soon as its samples are drawn.</summary>
    /// <exception cref="PlumblineException">BadInput for bad options or an empty corpus.</exception>
    public static async IAsyncEnumerable<SimulationRound> RunAsync(IReadOnlyList<string> human, SimulationOptions options, TimeProvider time, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(human);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw PlumblineException.BadInput(string.Join("; ", errors));
        }

        if (human.Count < 2)
        {
            throw PlumblineException.BadInput($"the corpus needs at least 2 texts (has {human.Count})");
        }

        var m = options.SamplesPerRound ?? human.Count;
        var curation = options.Curating;
        var ngram = new NgramOptions(Order: options.Order);
        var training = (IReadOnlyList<string>)human;
        var humanInTraining = human.Count;
        for (var round = 0; round < options.Rounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var started = time.GetTimestamp();
            var trainingSet = training;
            var model = await Task.Run(() => NgramModel.Train(trainingSet, ngram), cancellationToken);
            var candidates = curation.Kind == CurationKind.None ? m : (int)Math.Ceiling(m / options.Keep);
            var drawn = await Task.Run(() => Draw(model, candidates, options, round, cancellationToken), cancellationToken);
            var samples = drawn.Take(m).ToArray();
            var keywordShare = curation.Keyword is { } word ? samples.Count(s => Contains(s, word)) / (double)samples.Length : double.NaN;
            yield return new SimulationRound(round, model, samples, training.Count, humanInTraining, keywordShare, time.GetElapsedTime(started));

            // the next generation's training set
            var replayed = (int)Math.Round(options.Replay * m);
            var kept = Curate(model, drawn, m - replayed, curation);
            var random = new Random(Seed(options.Seed, round, 2));
            var next = new List<string>(m);
            next.AddRange(Replay(human, replayed, random));
            next.AddRange(kept);
            training = next;
            humanInTraining = replayed;
        }
    }

    private static string[] Draw(NgramModel model, int count, SimulationOptions options, int round, CancellationToken cancellationToken)
    {
        var result = new string[count];
        var sample = new SampleOptions(MaxTokens: options.MaxTokens, Temperature: options.Temperature);
        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            // one generator per sample, so the draw is the same on any number of threads
            var random = new Random(unchecked(Seed(options.Seed, round, 1) ^ (i * 7919)));
            var text = model.SampleText(random, sample);
            for (var attempt = 1; text.Length == 0 && attempt < MaxDrawsPerSample; attempt++)
            {
                text = model.SampleText(random, sample);
            }

            result[i] = text;
        });
        return result;
    }

    private static IEnumerable<string> Curate(NgramModel model, string[] drawn, int keep, Curation curation)
    {
        if (keep <= 0)
        {
            return [];
        }

        switch (curation.Kind)
        {
            case CurationKind.Self:
                var perplexities = model.Perplexities(drawn);
                return Enumerable.Range(0, drawn.Length).OrderBy(i => perplexities[i]).ThenBy(i => i).Take(keep).Select(i => drawn[i]).ToArray();
            case CurationKind.Keyword:
                return drawn.Where(s => Contains(s, curation.Keyword!)).Concat(drawn.Where(s => !Contains(s, curation.Keyword!))).Take(keep).ToArray();
            default:
                return drawn.Take(keep).ToArray();
        }
    }

    private static IEnumerable<string> Replay(IReadOnlyList<string> human, int count, Random random)
    {
        if (count <= 0)
        {
            return [];
        }

        if (count > human.Count)
        {
            return Enumerable.Range(0, count).Select(_ => human[random.Next(human.Count)]).ToArray();
        }

        var order = Enumerable.Range(0, human.Count).ToArray();
        random.Shuffle(order);
        return order.Take(count).Select(i => human[i]).ToArray();
    }

    /// <summary>Whether a text contains <paramref name="word"/> as a word (the drift tokenizer, lower-cased).</summary>
    public static bool Contains(string text, string word)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(word);
        var found = false;
        Tokenizer.Tokenize(text, TokenizerOptions.Words, t => found |= t == word);
        return found;
    }

    private static int Seed(int seed, int round, int salt) => unchecked((seed * 1_000_003) + (round * 7_919) + (salt * 104_729));
}
