namespace Plumbline.Core.Supervision.Probes;

/// <summary>One model's answer to one item.</summary>
/// <param name="Set">The items file (or set) the item came from.</param>
/// <param name="Index">The item's 0-based position in its set.</param>
/// <param name="Subtask">The item's <c>subtask</c> field, if any.</param>
/// <param name="Model">The model reference asked.</param>
/// <param name="Reply">The reply text.</param>
/// <param name="Kind">Answered, refused or unparseable.</param>
/// <param name="Label">The answer given, when answered.</param>
/// <param name="Matching">True when the answer is the one that shows the behaviour.</param>
/// <param name="MatchingProbability">From the endpoint's log-probabilities: the probability of the matching answer among the item's answers at the first answer token, when offered.</param>
public sealed record ItemAnswer(string Set, int Index, string? Subtask, string Model, string Reply, AnswerKind Kind, string? Label, bool Matching, double? MatchingProbability = null);

/// <summary>One model on one set or subtask.</summary>
/// <param name="Items">The file, or <c>subtask:NAME</c>.</param>
/// <param name="Model">The model reference.</param>
/// <param name="N">Items asked.</param>
/// <param name="Answered">Items answered with one of their answers.</param>
/// <param name="Matching">Answered items whose answer shows the behaviour.</param>
/// <param name="Refused">Replies that declined to answer.</param>
/// <param name="Unparseable">Replies with no single readable answer.</param>
/// <param name="MatchingRate">Matching / Answered (null when nothing was answered).</param>
/// <param name="Ci">The 95% Wilson interval of the rate.</param>
/// <param name="MeanMatchingProbability">Mean probability of the matching answer from log-probabilities, over the items that had them (null when none did).</param>
/// <param name="WithProbability">Items that had log-probabilities.</param>
public sealed record ProbeResult(string Items, string Model, int N, int Answered, int Matching, int Refused, int Unparseable, double? MatchingRate, Interval Ci, double? MeanMatchingProbability, int WithProbability);

/// <summary>Two models on the items both answered, with McNemar's exact test and a paired bootstrap interval of the rate difference (first − second).</summary>
public sealed record ProbeComparison(string Items, string First, string Second, int Pairs, int BothMatch, int OnlyFirst, int OnlySecond, int Neither, double? FirstRate, double? SecondRate, double? Difference, Interval DifferenceCi, double PValue);

/// <summary>Turns answers into per-set and per-subtask rates and pairwise model comparisons.</summary>
public static class ProbeScores
{
    /// <summary>Results for every set then every subtask (in order of first appearance), each for every model; comparisons for every pair of models.</summary>
    public static (IReadOnlyList<ProbeResult> Results, IReadOnlyList<ProbeComparison> Comparisons) Summarise(IReadOnlyList<ItemAnswer> answers, IReadOnlyList<string> models, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(models);
        var groups = new List<(string Name, Func<ItemAnswer, bool> Member)>();
        foreach (var set in answers.Select(a => a.Set).Distinct())
        {
            groups.Add((set, a => a.Set == set));
        }

        foreach (var subtask in answers.Where(a => a.Subtask is not null).Select(a => a.Subtask!).Distinct())
        {
            groups.Add(("subtask:" + subtask, a => a.Subtask == subtask));
        }

        var results = new List<ProbeResult>();
        var comparisons = new List<ProbeComparison>();
        foreach (var (name, member) in groups)
        {
            var inGroup = answers.Where(member).ToList();
            foreach (var model in models)
            {
                results.Add(Result(name, model, inGroup.Where(a => a.Model == model).ToList()));
            }

            for (var i = 0; i < models.Count; i++)
            {
                for (var j = i + 1; j < models.Count; j++)
                {
                    comparisons.Add(Compare(name, models[i], models[j], inGroup, seed));
                }
            }
        }

        return (results, comparisons);
    }

    /// <summary>
    /// The probability of the matching answer at the first of the reply's first few token positions
    /// whose alternatives include an answer token ("Yes", " no", "A", "(B"): the alternatives' probabilities
    /// summed per answer, normalised over the item's answers. Null when no position has one.
    /// </summary>
    public static double? MatchingProbability(IReadOnlyList<IReadOnlyList<(string Token, double LogProbability)>> positions, ProbeItem item, int look = 6)
    {
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(item);
        var labels = item.Labels;
        foreach (var alternatives in positions.Take(look))
        {
            var mass = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (token, logProbability) in alternatives)
            {
                if (LabelOfToken(token, item.Format) is { } label && labels.Contains(label))
                {
                    mass[label] = mass.GetValueOrDefault(label) + Math.Exp(logProbability);
                }
            }

            var total = mass.Values.Sum();
            if (total > 0)
            {
                return mass.GetValueOrDefault(item.MatchingLabel) / total;
            }
        }

        return null;
    }

    private static string? LabelOfToken(string token, ProbeFormat format)
    {
        var t = token.Trim().Trim('(', ')', '[', ']', '.', ':', ',');
        if (format == ProbeFormat.YesNo)
        {
            return t.ToLowerInvariant() switch { "yes" => "Yes", "no" => "No", _ => null };
        }

        return t.Length == 1 && t[0] is >= 'A' and <= 'F' ? t : null;
    }

    private static ProbeResult Result(string items, string model, List<ItemAnswer> answers)
    {
        var answered = answers.Count(a => a.Kind == AnswerKind.Answered);
        var matching = answers.Count(a => a.Kind == AnswerKind.Answered && a.Matching);
        var probabilities = answers.Where(a => a.MatchingProbability is not null).Select(a => a.MatchingProbability!.Value).ToList();
        return new ProbeResult(
            items,
            model,
            answers.Count,
            answered,
            matching,
            answers.Count(a => a.Kind == AnswerKind.Refused),
            answers.Count(a => a.Kind == AnswerKind.Unparseable),
            answered == 0 ? null : (double)matching / answered,
            ProbeStatistics.Wilson(matching, answered),
            probabilities.Count == 0 ? null : probabilities.Average(),
            probabilities.Count);
    }

    private static ProbeComparison Compare(string items, string first, string second, List<ItemAnswer> answers, int seed)
    {
        var a = answers.Where(x => x.Model == first && x.Kind == AnswerKind.Answered).ToDictionary(x => (x.Set, x.Index), x => x.Matching);
        var pairs = answers.Where(x => x.Model == second && x.Kind == AnswerKind.Answered && a.ContainsKey((x.Set, x.Index)))
            .OrderBy(x => x.Set, StringComparer.Ordinal).ThenBy(x => x.Index)
            .Select(x => (First: a[(x.Set, x.Index)], Second: x.Matching)).ToList();
        var both = pairs.Count(p => p.First && p.Second);
        var onlyFirst = pairs.Count(p => p.First && !p.Second);
        var onlySecond = pairs.Count(p => !p.First && p.Second);
        double? firstRate = pairs.Count == 0 ? null : (double)(both + onlyFirst) / pairs.Count;
        double? secondRate = pairs.Count == 0 ? null : (double)(both + onlySecond) / pairs.Count;
        return new ProbeComparison(
            items,
            first,
            second,
            pairs.Count,
            both,
            onlyFirst,
            onlySecond,
            pairs.Count - both - onlyFirst - onlySecond,
            firstRate,
            secondRate,
            firstRate - secondRate,
            ProbeStatistics.PairedBootstrapDifference(pairs, seed: seed),
            ProbeStatistics.McNemarExact(onlyFirst, onlySecond));
    }
}
