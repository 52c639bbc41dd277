using System.Text.RegularExpressions;

namespace Plumbline.Core.Supervision.Probes;

/// <summary>A surface feature and how strongly it points at one answer.</summary>
public sealed record BiasFeature(string Feature, string Label, double LogRatio);

/// <summary>
/// The result of the phrasing-bias check.
/// </summary>
/// <param name="Items">Items checked.</param>
/// <param name="Folds">Cross-validation folds.</param>
/// <param name="Correct">Held-out items whose matching answer the classifier predicted.</param>
/// <param name="Accuracy">Correct / Items.</param>
/// <param name="Chance">The share of the most common matching answer (what always guessing it scores).</param>
/// <param name="PValue">One-sided exact binomial p-value of scoring at least <paramref name="Correct"/> at the chance rate.</param>
/// <param name="Flagged">True when the accuracy beats chance by at least <see cref="PhrasingBias.Margin"/> with p &lt; 0.05: the answer can be read off the phrasing.</param>
/// <param name="TopFeatures">The features that most favour one answer over the others (from a fit on all items).</param>
public sealed record BiasReport(int Items, int Folds, int Correct, double Accuracy, double Chance, double PValue, bool Flagged, IReadOnlyList<BiasFeature> TopFeatures);

/// <summary>
/// Can a simple classifier predict the answer that shows the behaviour from surface features
/// alone? A multinomial naive Bayes (Laplace smoothing) on word unigrams and bigrams of the question,
/// a length bucket and a negation flag — and for choice items, each choice's words tagged with its
/// letter and which choice is longest — scored by stratified k-fold cross-validation with seeded
/// fold assignment. Near chance is the goal.
/// </summary>
public static partial class PhrasingBias
{
    /// <summary>How far above chance the cross-validated accuracy must be to flag the set.</summary>
    public const double Margin = 0.1;

    private static readonly HashSet<string> Negations = new(StringComparer.Ordinal) { "not", "no", "never", "don't", "doesn't", "won't", "can't", "cannot", "shouldn't", "wouldn't", "isn't", "aren't", "nothing", "none" };

    /// <summary>Runs the check on items (at least 2 per fold are needed; fewer than 4 items gives no check).</summary>
    public static BiasReport Check(IReadOnlyList<ProbeItem> items, int folds = 5, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var labels = items.Select(i => i.MatchingLabel).ToList();
        var features = items.Select(Features).ToList();
        var chance = items.Count == 0 ? 0 : labels.GroupBy(l => l).Max(g => g.Count()) / (double)items.Count;
        if (items.Count < 4)
        {
            return new BiasReport(items.Count, 0, 0, 0, chance, 1, false, []);
        }

        var k = Math.Min(folds, items.Count / 2);
        var fold = AssignFolds(labels, k, seed);
        var correct = 0;
        for (var f = 0; f < k; f++)
        {
            var train = Enumerable.Range(0, items.Count).Where(i => fold[i] != f).ToList();
            var model = NaiveBayes.Fit(train.Select(i => features[i]).ToList(), train.Select(i => labels[i]).ToList());
            correct += Enumerable.Range(0, items.Count).Count(i => fold[i] == f && model.Predict(features[i]) == labels[i]);
        }

        var accuracy = (double)correct / items.Count;
        var p = ProbeStatistics.BinomialUpperTail(correct, items.Count, chance);
        var full = NaiveBayes.Fit(features, labels);
        return new BiasReport(items.Count, k, correct, accuracy, chance, p, accuracy - chance >= Margin && p < 0.05, full.TopFeatures(5));
    }

    /// <summary>The surface features of an item (a bag: a feature may repeat).</summary>
    public static List<string> Features(ProbeItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var choices = item.Format == ProbeFormat.Choice ? item.Choices : new Dictionary<string, string>();
        var stem = item.Question;
        if (choices.Count > 0 && stem.IndexOf("Choices:", StringComparison.Ordinal) is var at and >= 0)
        {
            stem = stem[..at];
        }

        var result = new List<string>();
        var words = Words(stem);
        result.AddRange(words);
        result.AddRange(Enumerable.Range(0, Math.Max(0, words.Count - 1)).Select(i => words[i] + " " + words[i + 1]));
        result.Add("len:" + Math.Min(words.Count / 10, 6));
        if (words.Any(Negations.Contains))
        {
            result.Add("negated");
        }

        if (choices.Count > 0)
        {
            foreach (var (letter, text) in choices)
            {
                result.AddRange(Words(text).Select(w => $"{letter}:{w}"));
                if (Words(text).Any(Negations.Contains))
                {
                    result.Add($"{letter}:negated");
                }
            }

            var longest = choices.MaxBy(c => c.Value.Length).Key;
            result.Add($"longest:{longest}");
        }

        return result;
    }

    private static List<string> Words(string text) => [.. Word().Matches(text.ToLowerInvariant()).Select(m => m.Value)];

    /// <summary>Stratified folds: each label's items, in a seeded shuffle, dealt round-robin.</summary>
    private static int[] AssignFolds(List<string> labels, int k, int seed)
    {
        var random = new Random(seed);
        var fold = new int[labels.Count];
        var next = 0;
        foreach (var group in labels.Select((l, i) => (l, i)).GroupBy(x => x.l).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var indexes = group.Select(x => x.i).ToArray();
            random.Shuffle(indexes);
            foreach (var i in indexes)
            {
                fold[i] = next;
                next = (next + 1) % k;
            }
        }

        return fold;
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:'[\p{L}]+)?")]
    private static partial Regex Word();

    private sealed class NaiveBayes
    {
        private readonly Dictionary<string, double> _logPrior = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Dictionary<string, int>> _counts = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _totals = new(StringComparer.Ordinal);
        private readonly HashSet<string> _vocabulary = new(StringComparer.Ordinal);
        private readonly List<string> _labels = [];

        public static NaiveBayes Fit(IReadOnlyList<List<string>> features, IReadOnlyList<string> labels)
        {
            var model = new NaiveBayes();
            foreach (var label in labels.Distinct().Order(StringComparer.Ordinal))
            {
                model._labels.Add(label);
                model._logPrior[label] = Math.Log(labels.Count(l => l == label) / (double)labels.Count);
                model._counts[label] = new Dictionary<string, int>(StringComparer.Ordinal);
                model._totals[label] = 0;
            }

            for (var i = 0; i < features.Count; i++)
            {
                var counts = model._counts[labels[i]];
                foreach (var feature in features[i])
                {
                    counts[feature] = counts.GetValueOrDefault(feature) + 1;
                    model._totals[labels[i]]++;
                    model._vocabulary.Add(feature);
                }
            }

            return model;
        }

        public string Predict(List<string> features)
        {
            string? best = null;
            var bestScore = double.NegativeInfinity;
            foreach (var label in _labels)
            {
                var score = _logPrior[label];
                foreach (var feature in features)
                {
                    if (_vocabulary.Contains(feature))
                    {
                        score += LogLikelihood(label, feature);
                    }
                }

                if (score > bestScore)
                {
                    (best, bestScore) = (label, score);
                }
            }

            return best!;
        }

        public List<BiasFeature> TopFeatures(int count)
        {
            if (_labels.Count < 2)
            {
                return [];
            }

            var result = new List<BiasFeature>();
            foreach (var feature in _vocabulary)
            {
                foreach (var label in _labels)
                {
                    var others = _labels.Where(l => l != label).Max(l => LogLikelihood(l, feature));
                    result.Add(new BiasFeature(feature, label, Math.Round(LogLikelihood(label, feature) - others, 6)));
                }
            }

            return [.. result.OrderByDescending(f => f.LogRatio).ThenBy(f => f.Feature, StringComparer.Ordinal).ThenBy(f => f.Label, StringComparer.Ordinal).Take(count)];
        }

        private double LogLikelihood(string label, string feature) =>
            Math.Log((_counts[label].GetValueOrDefault(feature) + 1.0) / (_totals[label] + _vocabulary.Count));
    }
}
