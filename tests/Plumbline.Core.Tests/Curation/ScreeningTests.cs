using Plumbline.Core.Curation;
using Plumbline.Core.Curation.Aggregation;
using Plumbline.Core.Curation.Screening;

namespace Plumbline.Core.Tests.Curation;

public class ScreeningTests(ITestOutputHelper output)
{
    [Fact]
    public void Screen_CrowdKitSimple_FlagsTheFraudsterAsSpammer()
    {
        var set = LabelSet.Create(CrowdKitData.Simple());
        var reports = RaterScreening.Screen(set, DawidSkene.Fit(set), CrowdKitData.SimpleTruth);

        var fraudster = reports.Single(r => r.Worker == "0c3eb7d5fcc414db137c4180a654c06e");
        Assert.Contains("spammer", fraudster.Flags);
        Assert.Contains("answers 'parrot' on 6 of 6 items", fraudster.Evidence[0]);
        Assert.Equal(2 / 6.0, fraudster.GoldAccuracy!.Value, 10);
        Assert.Contains("failed_gold", fraudster.Flags);
        Assert.Empty(reports.Single(r => r.Worker == "bde3b214b06c1efa6cb1bc6284dc72d2").Flags);
    }

    [Fact]
    public void SpammerScore_TwoClasses_IsSensitivityPlusSpecificityMinusOne()
    {
        Assert.Equal(0.7, RaterScreening.SpammerScore([0.9, 0.1, 0.2, 0.8], 2), 10);
        Assert.Equal(0.0, RaterScreening.SpammerScore([0.6, 0.4, 0.6, 0.4], 2), 10);
        Assert.Equal(1.0, RaterScreening.SpammerScore([0, 1, 1, 0], 2), 10);
    }

    /// <summary>
    /// 100 seeded campaigns (200 items, 20 raters, 7 labels per item, binary; 2 spammers, 2 adversaries who
    /// answer honestly except on a targeted 10% of items, which they always flip). The rates of each flag
    /// over the planted raters are printed and bounded.
    /// </summary>
    [Fact]
    public void Screen_PlantedTargetedAdversaries_AdversaryFlagFindsThemWhereSpammerFlagDoesNot()
    {
        var counts = new Dictionary<string, int>();
        void Count(string key, bool hit) => counts[key] = counts.GetValueOrDefault(key) + (hit ? 1 : 0);
        int adversaries = 0, honest = 0, spammers = 0;
        for (var seed = 0; seed < 100; seed++)
        {
            var simulation = LabelSimulator.Generate(new SimulationOptions(Tasks: 200, Workers: 20, Classes: 2, Overlap: 7, Seed: seed, MinAccuracy: 0.8, MaxAccuracy: 0.95, Spammers: 2, TargetedAdversaries: 2));
            var withGroups = RaterScreening.Screen(simulation.Labels, DawidSkene.Fit(simulation.Labels));
            var stripped = WithoutGroups(simulation.Labels);
            var noGroups = RaterScreening.Screen(stripped, DawidSkene.Fit(stripped)).ToDictionary(r => r.Worker);
            for (var w = 0; w < 20; w++)
            {
                var kind = simulation.Kinds[w];
                var key = kind switch { RaterKind.TargetedAdversary => "adv", RaterKind.Spammer => "spam", _ => "honest" };
                (adversaries, honest, spammers) = kind switch
                {
                    RaterKind.TargetedAdversary => (adversaries + 1, honest, spammers),
                    RaterKind.Spammer => (adversaries, honest, spammers + 1),
                    _ => (adversaries, honest + 1, spammers),
                };
                Count($"adversarial|{key}", withGroups[w].Flags.Contains("adversarial"));
                Count($"adversarial-no-groups|{key}", noGroups[simulation.Labels.Workers[w]].Flags.Contains("adversarial"));
                Count($"contradicts_consensus|{key}", noGroups[simulation.Labels.Workers[w]].Flags.Contains("contradicts_consensus"));
                Count($"spammer|{key}", withGroups[w].Flags.Contains("spammer"));
            }
        }

        double Rate(string flag, string kind, int of) => (double)counts.GetValueOrDefault($"{flag}|{kind}") / of;
        foreach (var flag in new[] { "adversarial", "adversarial-no-groups", "contradicts_consensus", "spammer" })
        {
            output.WriteLine($"{flag,-22} TPR on targeted adversaries {Rate(flag, "adv", adversaries):P1}  FPR on honest raters {Rate(flag, "honest", honest):P2}  rate on spammers {Rate(flag, "spam", spammers):P1}");
        }

        Assert.Equal(200, adversaries);
        Assert.True(Rate("adversarial", "adv", adversaries) >= 0.9);
        Assert.True(Rate("adversarial", "honest", honest) <= 0.02);
        Assert.True(Rate("spammer", "adv", adversaries) <= 0.02);
        Assert.True(Rate("spammer", "spam", spammers) >= 0.9);
    }

    private static LabelSet WithoutGroups(LabelSet set)
    {
        var rows = new List<LabelRow>();
        for (var t = 0; t < set.Tasks.Count; t++)
        {
            for (var i = set.TaskStart[t]; i < set.TaskStart[t + 1]; i++)
            {
                rows.Add(new LabelRow(set.Tasks[t], set.Workers[set.WorkerOf[i]], set.Classes[set.ClassOf[i]]));
            }
        }

        return LabelSet.Create(rows);
    }
}
