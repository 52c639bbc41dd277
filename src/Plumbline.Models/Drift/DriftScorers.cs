using Microsoft.Extensions.AI;
using Plumbline.Core;
using Plumbline.Core.Supervision.Drift;
using Plumbline.Models.Lsa;
using Plumbline.Models.Ngram;

namespace Plumbline.Models.Drift;

/// <summary>The built-in scorers of the drift monitor.</summary>
public static class DriftScorers
{
    /// <summary>
    /// Embeddings from <paramref name="embedder"/>, or — when it is null — from an LSA model fitted on
    /// <paramref name="reference"/> (so every round is embedded in the reference's space); perplexity
    /// under <paramref name="round0Model"/>, or — when it is null — under an n-gram model trained on
    /// half of round 0's responses with <paramref name="ngram"/> (the other half is held out, so
    /// round 0's perplexities are out of sample like those of later rounds).
    /// </summary>
    public static IDriftScorer Create(
        IReadOnlyList<string> reference,
        IEmbeddingGenerator<string, Embedding<float>>? embedder = null,
        LsaOptions? lsa = null,
        NgramOptions? ngram = null,
        NgramModel? round0Model = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var fitted = embedder is null ? LsaModel.Fit(reference, lsa ?? new LsaOptions()) : null;
        return new BuiltinDriftScorer(fitted, embedder, ngram ?? new NgramOptions(), round0Model);
    }

    /// <summary>The round-0 model a scorer made by <see cref="Create"/> uses (after round 0), or null.</summary>
    public static NgramModel? Round0Model(IDriftScorer scorer) => (scorer as BuiltinDriftScorer)?.Model;

    /// <summary>
    /// Answers a probe battery with an n-gram model: the choice under which "question choice", read as
    /// one text, has the lowest perplexity (the model's own preference between the answers; per token,
    /// so choices of different lengths compare fairly).
    /// </summary>
    public static ProbeTally AnswerProbes(NgramModel model, IReadOnlyList<ProbeItem> items, string name)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(items);
        var matching = 0;
        foreach (var item in items)
        {
            var best = item.Choices.MinBy(c => model.Score($"{item.Question} {c.Trim()}").Perplexity);
            if (best == item.Matching)
            {
                matching++;
            }
        }

        return new ProbeTally(name, items.Count, matching, 0);
    }

    /// <summary>Tallies probe answers found in a round's samples: a sample whose prompt is a probe's question answers it.</summary>
    public static ProbeTally TallyProbes(IReadOnlyList<SampleLine> samples, IReadOnlyList<ProbeItem> items, string name)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(items);
        var byQuestion = items.GroupBy(i => i.Question.Trim(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        int n = 0, matching = 0, unparseable = 0;
        foreach (var sample in samples)
        {
            if (sample.Prompt is null || !byQuestion.TryGetValue(sample.Prompt.Trim(), out var item))
            {
                continue;
            }

            var choice = item.ChoiceIn(sample.Response);
            if (choice is null)
            {
                unparseable++;
                continue;
            }

            n++;
            if (choice == item.Matching)
            {
                matching++;
            }
        }

        return new ProbeTally(name, n, matching, unparseable);
    }

    private sealed class BuiltinDriftScorer(LsaModel? lsa, IEmbeddingGenerator<string, Embedding<float>>? embedder, NgramOptions ngram, NgramModel? model) : IDriftScorer
    {
        public NgramModel? Model { get; private set; } = model;

        public async Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
        {
            if (lsa is not null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return lsa.Embed(texts);
            }

            return await embedder!.EmbedAsync(texts, cancellationToken);
        }

        /// <summary>
        /// Trains on the even-numbered half of round 0 (when no model was given) and hands back the
        /// odd-numbered half as held out, so round 0's perplexities — which set the tail thresholds —
        /// are out of sample like every later round's.
        /// </summary>
        public Task<IReadOnlyList<int>?> FitRound0Async(IReadOnlyList<string> round0, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Model is not null)
            {
                return Task.FromResult<IReadOnlyList<int>?>(null);
            }

            Model = NgramModel.Train(round0.Where((_, i) => i % 2 == 0), ngram);
            return Task.FromResult<IReadOnlyList<int>?>(Enumerable.Range(0, round0.Count).Where(i => i % 2 == 1).ToArray());
        }

        public Task<double[]> PerplexitiesAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var model = Model ?? throw new PlumblineException(FailureKind.Runtime, "perplexities asked for before round 0");
            return Task.FromResult(model.Perplexities(texts));
        }
    }
}
