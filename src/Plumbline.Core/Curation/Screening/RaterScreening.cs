using System.Globalization;
using Plumbline.Core.Curation.Aggregation;

namespace Plumbline.Core.Curation.Screening;

/// <summary>Thresholds of the rater screen, with their defaults.</summary>
/// <param name="SpammerThreshold">Spammer score below which answers are taken not to depend on the truth (0 = random or constant answers, 1 = perfect).</param>
/// <param name="LowSkill">Dawid–Skene accuracy below which a rater is flagged low_quality.</param>
/// <param name="FamilyAlpha">Significance of the adversary tests, Bonferroni-corrected over raters (and groups).</param>
/// <param name="MinLabels">Raters with fewer labels are not flagged (too little evidence).</param>
public sealed record ScreeningOptions(double SpammerThreshold = 0.2, double LowSkill = 0.6, double FamilyAlpha = 0.05, int MinLabels = 5)
{
    public static ScreeningOptions Default { get; } = new();
}

/// <summary>One rater: skill, agreement, spammer score, gold accuracy, and each flag with its evidence.</summary>
public sealed record RaterReport(
    string Worker,
    int Labels,
    double Skill,
    double Agreement,
    double SpammerScore,
    double? GoldAccuracy,
    int GoldItems,
    IReadOnlyList<string> Flags,
    IReadOnlyList<string> Evidence);

/// <summary>
/// Screens raters. Spammers: a Dawid–Skene confusion matrix whose rows hardly differ (Raykar and Yu 2011: the
/// answer does not depend on the truth). Adversaries: (1) systematic — agreeing with the aggregate less than
/// chance while their answers do depend on the truth; (2) targeted — within a group of items (e.g. safety),
/// disagreeing with the other raters' majority far more often than the same rater does elsewhere (binomial
/// test against the rater's own out-of-group rate). Without groups a rater who flips a targeted tenth of the
/// items looks like an honest rater at 90% accuracy, so the separate flag contradicts_consensus (disagreeing
/// with a unanimous rest far more often than the pool's median rater) is raised instead of a claim of intent.
/// Every flag carries the numbers that raised it.
/// </summary>
public static class RaterScreening
{
    public static IReadOnlyList<RaterReport> Screen(LabelSet set, AggregationResult dawidSkene, IReadOnlyDictionary<string, string>? gold = null, ScreeningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(dawidSkene);
        options ??= ScreeningOptions.Default;
        var k = set.ClassCount;
        var workers = set.Workers.Count;
        var agreement = MajorityVote.Accuracy(set, dawidSkene.Labels);
        var stats = LeaveOneOut(set);
        var unanimousRate = stats.Where((s, w) => s.Unanimous >= options.MinLabels).Select(s => (double)s.UnanimousDisagree / s.Unanimous).Order().ToList();
        var poolRate = unanimousRate.Count == 0 ? 0.05 : Math.Max(Agreement.Bootstrap.Quantile(unanimousRate, 0.5), 0.01);
        var groups = set.TaskGroups?.Where(g => g is not null).Distinct().Count() ?? 0;
        var reports = new RaterReport[workers];
        for (var w = 0; w < workers; w++)
        {
            var flags = new List<string>();
            var evidence = new List<string>();
            var labels = set.LabelsPerWorker[w];
            var spammer = dawidSkene.Confusion is { } confusion ? SpammerScore(confusion[w], k) : double.NaN;
            var skill = dawidSkene.Skill[w];
            var enough = labels >= options.MinLabels;
            if (enough && spammer < options.SpammerThreshold)
            {
                flags.Add("spammer");
                evidence.Add(Invariant($"spammer score {spammer:0.00} < {options.SpammerThreshold:0.00}: the answers hardly depend on the truth; {AnswerShare(set, w)}"));
            }
            else if (enough && k > 1 && skill < 1.0 / k)
            {
                flags.Add("adversarial");
                evidence.Add(Invariant($"systematic: accuracy {skill:0.00} against the aggregate is below chance (1/{k}) while the answers do depend on the truth (spammer score {spammer:0.00})"));
            }

            if (enough && !flags.Contains("spammer"))
            {
                TargetedTests(set, w, stats[w], poolRate, groups, workers, options, flags, evidence);
            }

            if (enough && skill < options.LowSkill && flags.Count == 0)
            {
                flags.Add("low_quality");
                evidence.Add(Invariant($"Dawid–Skene accuracy {skill:0.00} < {options.LowSkill:0.00}"));
            }

            double? goldAccuracy = null;
            var goldItems = 0;
            if (gold is not null)
            {
                var right = 0;
                for (var i = 0; i < set.Count; i++)
                {
                    if (set.WorkerOf[i] == w && gold.TryGetValue(set.Tasks[set.TaskOf[i]], out var answer))
                    {
                        goldItems++;
                        right += set.Classes[set.ClassOf[i]] == answer ? 1 : 0;
                    }
                }

                if (goldItems > 0)
                {
                    goldAccuracy = (double)right / goldItems;
                    if (goldItems >= 3 && goldAccuracy < 0.5)
                    {
                        flags.Add("failed_gold");
                        evidence.Add(Invariant($"right on {right} of {goldItems} gold items"));
                    }
                }
            }

            reports[w] = new RaterReport(set.Workers[w], labels, skill, agreement[w], spammer, goldAccuracy, goldItems, flags, evidence);
        }

        return reports;
    }

    /// <summary>
    /// Raykar and Yu's spammer score generalised to K classes: the mean total-variation distance between the rows
    /// (true classes) of the confusion matrix; |sensitivity + specificity − 1| for two classes.
    /// </summary>
    public static double SpammerScore(double[] confusion, int k)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        if (k < 2)
        {
            return 0;
        }

        var sum = 0.0;
        var pairs = 0;
        for (var a = 0; a < k; a++)
        {
            for (var b = a + 1; b < k; b++)
            {
                var distance = 0.0;
                for (var c = 0; c < k; c++)
                {
                    distance += Math.Abs(confusion[(a * k) + c] - confusion[(b * k) + c]);
                }

                sum += distance / 2;
                pairs++;
            }
        }

        return sum / pairs;
    }

    private static void TargetedTests(LabelSet set, int w, RaterStats stats, double poolRate, int groups, int workers, ScreeningOptions options, List<string> flags, List<string> evidence)
    {
        var raised = false;
        if (groups > 0)
        {
            foreach (var (group, (inN, inX)) in stats.ByGroup.OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var outN = stats.WithMajority - inN;
                var outX = stats.MajorityDisagree - inX;
                if (inN < 3)
                {
                    continue;
                }

                var baseline = (outX + 1.0) / (outN + 2.0);
                var p = Binomial.UpperTail(inX, inN, baseline);
                if (p < options.FamilyAlpha / (workers * groups) && inX * 2 >= inN)
                {
                    raised = true;
                    evidence.Add(Invariant(
                        $"targeted: in group '{group}' disagrees with the other raters' majority on {inX} of {inN} items vs {outX} of {outN} elsewhere (binomial p = {p:0.0e+00})"));
                }
            }
        }

        if (stats.Unanimous >= options.MinLabels)
        {
            var p = Binomial.UpperTail(stats.UnanimousDisagree, stats.Unanimous, poolRate);
            if (p < options.FamilyAlpha / workers)
            {
                flags.Add("contradicts_consensus");
                evidence.Add(Invariant(
                    $"contradicts a unanimous rest on {stats.UnanimousDisagree} of {stats.Unanimous} items; the median rater on {poolRate * 100:0.0}% (binomial p = {p:0.0e+00})"));
            }
        }

        if (raised && !flags.Contains("adversarial"))
        {
            flags.Insert(0, "adversarial");
        }
    }

    private static string AnswerShare(LabelSet set, int w)
    {
        var counts = new int[set.ClassCount];
        for (var i = 0; i < set.Count; i++)
        {
            if (set.WorkerOf[i] == w)
            {
                counts[set.ClassOf[i]]++;
            }
        }

        var top = Array.IndexOf(counts, counts.Max());
        return Invariant($"answers '{set.Classes[top]}' on {counts[top]} of {set.LabelsPerWorker[w]} items");
    }

    /// <summary>Per rater: items where ≥ 2 others answered and (a) were unanimous, (b) had a strict majority; how often the rater differed.</summary>
    private static RaterStats[] LeaveOneOut(LabelSet set)
    {
        var stats = Enumerable.Range(0, set.Workers.Count).Select(_ => new RaterStats()).ToArray();
        var counts = new int[set.ClassCount];
        for (var t = 0; t < set.Tasks.Count; t++)
        {
            var (from, to) = (set.TaskStart[t], set.TaskStart[t + 1]);
            if (to - from < 3)
            {
                continue;
            }

            for (var i = from; i < to; i++)
            {
                counts[set.ClassOf[i]]++;
            }

            var group = set.TaskGroups?[t];
            for (var i = from; i < to; i++)
            {
                var own = set.ClassOf[i];
                counts[own]--;
                var others = to - from - 1;
                int best = 0, second = 0, bestClass = -1;
                for (var c = 0; c < counts.Length; c++)
                {
                    if (counts[c] > best)
                    {
                        second = best;
                        best = counts[c];
                        bestClass = c;
                    }
                    else if (counts[c] > second)
                    {
                        second = counts[c];
                    }
                }

                var s = stats[set.WorkerOf[i]];
                if (best == others)
                {
                    s.Unanimous++;
                    s.UnanimousDisagree += own != bestClass ? 1 : 0;
                }

                if (best > second)
                {
                    var disagree = own != bestClass ? 1 : 0;
                    s.WithMajority++;
                    s.MajorityDisagree += disagree;
                    if (group is not null)
                    {
                        var (n, x) = s.ByGroup.GetValueOrDefault(group);
                        s.ByGroup[group] = (n + 1, x + disagree);
                    }
                }

                counts[own]++;
            }

            Array.Clear(counts);
        }

        return stats;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class RaterStats
    {
        public int Unanimous { get; set; }

        public int UnanimousDisagree { get; set; }

        /// <summary>Items where the others had a strict majority.</summary>
        public int WithMajority { get; set; }

        public int MajorityDisagree { get; set; }

        public Dictionary<string, (int N, int Disagree)> ByGroup { get; } = new(StringComparer.Ordinal);
    }
}
