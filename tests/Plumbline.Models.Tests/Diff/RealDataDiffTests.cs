using Plumbline.Core.Supervision.Diff;
using Plumbline.Models.Diff;

namespace Plumbline.Models.Tests.Diff;

/// <summary>
/// Behaviour diff with the built-in LSA embedder on real model-written statements
/// (anthropics/evals persona files) with planted changes; "truth" is each statement's persona and stance.
/// Topic mix: math's share goes from 1/6 to 5/18 and music's from 1/6 to 1/18, four topics unchanged.
/// Stance: sports' agreeing statements go from 50% to 80% of sports (its share unchanged), five topics unchanged.
/// </summary>
public class RealDataDiffTests(ITestOutputHelper output)
{
    private const string Math = "interest-in-math", Music = "interest-in-music", Sports = "interest-in-sports";

    private static readonly string[] Others = ["subscribes-to-Buddhism", "desire-for-acquiring-wealth", "risk-averse"];

    private static readonly Lazy<Task<Result?>> TopicMix = new(() => RunAsync(new()
    {
        [Math] = ((75, 75), (125, 125)),
        [Music] = ((75, 75), (25, 25)),
        [Sports] = ((75, 75), (75, 75)),
        [Others[0]] = ((75, 75), (75, 75)),
        [Others[1]] = ((75, 75), (75, 75)),
        [Others[2]] = ((75, 75), (75, 75)),
    }));

    private static readonly Lazy<Task<Result?>> Stance = new(() => RunAsync(new()
    {
        [Math] = ((125, 125), (125, 125)),
        [Music] = ((125, 125), (125, 125)),
        [Sports] = ((125, 125), (200, 50)),
        [Others[0]] = ((125, 125), (125, 125)),
        [Others[1]] = ((125, 125), (125, 125)),
        [Others[2]] = ((125, 125), (125, 125)),
    }));

    internal sealed record Result(DiffReport Report, Dictionary<string, PersonaStatement> Truth, string[] Steps);

    private static async Task<Result?> RunAsync(Dictionary<string, ((int, int), (int, int))> plan)
    {
        var built = PersonaSamples.Build(plan, seed: 1, _ => { });
        if (built is null)
        {
            return null;
        }

        var (before, after, truth) = built.Value;
        var models = DiffModelFactory.Create(ModelCatalog.Empty, "builtin:lsa");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var steps = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var progress = new Progress<DiffProgress>(p => steps.Enqueue($"{watch.Elapsed.TotalSeconds:F1}s {p.Step} {p.Fraction:F2}"));
        var report = await BehaviourDiff.RunAsync(before, after, models, new DiffOptions { Seed = 3, BootstrapResamples = 5 }, progress);
        steps.Enqueue($"{watch.Elapsed.TotalSeconds:F1}s done");
        return new Result(report, truth, steps.ToArray());
    }

    /// <summary>The persona (and stance, when <paramref name="withStance"/>) holding most of <paramref name="ids"/>, and its fraction.</summary>
    private static (string Key, double Fraction) Majority(IEnumerable<string> ids, Dictionary<string, PersonaStatement> truth, bool withStance = false)
    {
        var list = ids.ToArray();
        var top = list.GroupBy(id => truth[id].Persona + (withStance ? (truth[id].Agrees ? "+" : "-") : "")).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First();
        return (top.Key, (double)top.Count() / list.Length);
    }

    private static IEnumerable<string> Members(DiffReport report, CoarseCluster group) => group.Clusters.SelectMany(c => report.Clusters[c].Members);

    private void Print(Result result)
    {
        var (report, truth) = (result.Report, result.Truth);
        output.WriteLine(string.Join(" | ", result.Steps));
        output.WriteLine(report.Summary.KRule);
        output.WriteLine(report.Summary.CoarseRule);
        foreach (var c in report.Clusters)
        {
            output.WriteLine($"#{c.Id} {c.Label} n={c.Counts.Before}/{c.Counts.After} q={c.QValue:G3} sig={c.Significant} impure={c.Impure} split(auc={c.Split?.Auc:F2} q={c.Split?.QValue:G3}) group={c.Coarse} {Majority(c.Members, truth, true)}");
        }

        foreach (var g in report.Coarse)
        {
            output.WriteLine($"G{g.Id} [{string.Join(",", g.Clusters)}] n={g.Counts.Before}/{g.Counts.After} diff={g.Difference:F3} q={g.QValue:G3} sig={g.Significant} het q={g.HeterogeneityQ:G3} split(auc={g.Split?.Auc:F2} q={g.Split?.QValue:G3}) impure={g.Impure} {Majority(Members(report, g), truth)} {Majority(Members(report, g), truth, true)}");
        }

        output.WriteLine($"null: {report.NullCheck}");
    }

    [Fact]
    public async Task Diff_TopicMixShift_FindsMathUpAndMusicDownBySizeAndFlagsNothingElse()
    {
        if (await TopicMix.Value is not { } result)
        {
            output.WriteLine("SKIPPED: real data absent");
            return;
        }

        Print(result);
        var (report, truth) = (result.Report, result.Truth);
        var groups = report.Coarse.Select(g => (Group: g, Topic: Majority(Members(report, g), truth))).ToArray();

        // math: every group mostly about math is found significant and up; together they carry the planted +1/9
        var math = groups.Where(g => g.Topic.Key == Math && g.Topic.Fraction >= 0.75).ToArray();
        Assert.NotEmpty(math);
        Assert.All(math, g => Assert.True(g.Group.Significant && g.Group.Direction == "up", $"math group {g.Group.Id}: q={g.Group.QValue}, {g.Group.Direction}"));
        Assert.InRange(math.Sum(g => g.Group.Difference), 0.5 / 9, 1.3 / 9);

        // music: the groups mostly about music are significant and down, about −1/9 together
        var music = groups.Where(g => g.Topic.Key == Music && g.Topic.Fraction >= 0.75).ToArray();
        Assert.NotEmpty(music);
        Assert.All(music, g => Assert.True(g.Group.Significant && g.Group.Direction == "down", $"music group {g.Group.Id}: q={g.Group.QValue}, {g.Group.Direction}"));
        Assert.InRange(music.Sum(g => g.Group.Difference), -1.3 / 9, -0.5 / 9);

        // unshifted topics: no significant group or cluster that is mostly theirs
        string[] unshifted = [Sports, .. Others];
        Assert.DoesNotContain(groups, g => unshifted.Contains(g.Topic.Key) && g.Topic.Fraction >= 0.5 && (g.Group.Significant || g.Group.Impure));
        Assert.DoesNotContain(report.Clusters, c => c.Significant && unshifted.Contains(Majority(c.Members, truth).Key) && Majority(c.Members, truth).Fraction >= 0.5);

        // clean null check
        Assert.NotNull(report.NullCheck);
        Assert.Equal(0, report.NullCheck!.SignificantClusters);
        Assert.True(report.NullCheck.Passed);
    }

    [Fact]
    public async Task Diff_StanceShift_IsFoundOrFlaggedImpureAndNothingElseIsFlagged()
    {
        if (await Stance.Value is not { } result)
        {
            output.WriteLine("SKIPPED: real data absent");
            return;
        }

        Print(result);
        var (report, truth) = (result.Report, result.Truth);
        Assert.False(report.Summary.Stratified);

        // flagged: a significant cluster or group, or an impure one
        var flaggedGroups = report.Coarse.Where(g => g.Significant || g.Impure).ToArray();
        var flaggedClusters = report.Clusters.Where(c => c.Significant || c.Impure).ToArray();
        Assert.True(flaggedGroups.Length + flaggedClusters.Length > 0, "the stance shift was missed silently");

        // everything flagged is about sports, and points the planted way: agreeing sports statements up, disagreeing down
        foreach (var g in flaggedGroups)
        {
            var topic = Majority(Members(report, g), truth);
            Assert.True(topic.Key == Sports, $"group {g.Id} flagged but mostly {topic.Key}");
            if (g.Significant)
            {
                var stance = Majority(Members(report, g), truth, withStance: true);
                Assert.Equal(stance.Key.EndsWith('+') ? "up" : "down", g.Direction);
            }
        }

        foreach (var c in flaggedClusters)
        {
            var topic = Majority(c.Members, truth);
            Assert.True(topic.Key == Sports || !c.Significant, $"cluster {c.Id} significant but mostly {topic.Key}");
        }

        // size: the sports-agreeing share of all after-samples rose by 75/1500 = 0.05; the flagged sports-agreeing groups found at least half of it
        var agreeingUp = report.Coarse.Where(g => g.Significant && g.Direction == "up" && Majority(Members(report, g), truth, withStance: true).Key == Sports + "+").Sum(g => g.Difference);
        var disagreeingDown = report.Coarse.Where(g => g.Significant && g.Direction == "down" && Majority(Members(report, g), truth, withStance: true).Key == Sports + "-").Sum(g => g.Difference);
        var impureSports = report.Coarse.Count(g => g.Impure && Majority(Members(report, g), truth).Key == Sports);
        Assert.True(agreeingUp >= 0.025 || disagreeingDown <= -0.025 || impureSports > 0, $"up {agreeingUp}, down {disagreeingDown}, impure {impureSports}");
        Assert.InRange(agreeingUp, 0, 0.05 + 0.03);
        Assert.InRange(disagreeingDown, -0.05 - 0.03, 0);

        Assert.True(report.NullCheck!.Passed, report.NullCheck.ToString());
    }
}
