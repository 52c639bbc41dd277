using Plumbline.Core.Curation;
using Plumbline.Core.Curation.Aggregation;

namespace Plumbline.Core.Tests.Curation;

public class AggregationTests
{
    private const double CrowdKitTolerance = 0.005;

    /// <summary>crowd-kit test_dawid_skene_step_by_step, n_iter = 0: majority-vote posteriors, priors and the M-step errors.</summary>
    [Fact]
    public void DawidSkene_ZeroIterations_MatchesCrowdKitStepByStep()
    {
        var result = DawidSkene.Fit(LabelSet.Create(CrowdKitData.StepByStep), maxIterations: 0);

        AssertProbabilities(result, [[0.5, 0.5], [0.4, 0.6], [0.6, 0.4], [0.0, 1.0], [0.8, 0.2]]);
        AssertClose([0.46, 0.54], result.Priors!);
        AssertErrors(result, [
            ("w1", [0.22, 0.19], [0.78, 0.81]),
            ("w2", [0.61, 0.22], [0.39, 0.78]),
            ("w3", [0.78, 0.27], [0.22, 0.73]),
            ("w4", [0.52, 0.30], [0.48, 0.70]),
            ("w5", [1.00, 0.63], [0.00, 0.37]),
        ]);
        Assert.Equal(["no", "yes", "no", "yes", "no"], result.Labels.Select(l => result.Set.Classes[l]));
    }

    /// <summary>crowd-kit test_dawid_skene_step_by_step, n_iter = 1.</summary>
    [Fact]
    public void DawidSkene_OneIteration_MatchesCrowdKitStepByStep()
    {
        var result = DawidSkene.Fit(LabelSet.Create(CrowdKitData.StepByStep), maxIterations: 1);

        AssertProbabilities(result, [[0.35, 0.65], [0.26, 0.74], [0.87, 0.13], [0.00, 1.00], [0.95, 0.05]]);
        AssertClose([0.49, 0.51], result.Priors!);
        AssertErrors(result, [
            ("w1", [0.14, 0.25], [0.86, 0.75]),
            ("w2", [0.75, 0.07], [0.25, 0.93]),
            ("w3", [0.87, 0.09], [0.13, 0.91]),
            ("w4", [0.50, 0.31], [0.50, 0.69]),
            ("w5", [1.00, 0.61], [0.00, 0.39]),
        ]);
        Assert.Equal(["yes", "yes", "no", "yes", "no"], result.Labels.Select(l => result.Set.Classes[l]));
    }

    /// <summary>crowd-kit test_dawid_skene_overlap: every task gets posterior [1/3, 2/3] and priors [1/3, 2/3].</summary>
    [Theory]
    [InlineData(3)]
    [InlineData(300)]
    public void DawidSkene_CrowdKitOverlapCase_GivesOneThirdTwoThirds(int overlap)
    {
        var rows = new List<LabelRow>();
        for (var worker = 0; worker < overlap; worker++)
        {
            for (var task = 0; task < 3; task++)
            {
                rows.Add(new($"{task}", $"{worker}", (worker - task) % 3 != 0 ? "yes" : "no"));
            }
        }

        var result = DawidSkene.Fit(LabelSet.Create(rows), maxIterations: 20);

        AssertProbabilities(result, [[1 / 3.0, 2 / 3.0], [1 / 3.0, 2 / 3.0], [1 / 3.0, 2 / 3.0]]);
        AssertClose([1 / 3.0, 2 / 3.0], result.Priors!);
    }

    [Theory]
    [InlineData(10, 0)]
    [InlineData(100500, 1e-5)]
    public void DawidSkene_CrowdKitToyAndSimple_RecoverGroundTruth(int iterations, double tolerance)
    {
        var toy = DawidSkene.Fit(LabelSet.Create(CrowdKitData.Toy), iterations, tolerance);
        Assert.Equal(CrowdKitData.ToyTruth, toy.Labels.Select(l => toy.Set.Classes[l]));

        var simple = DawidSkene.Fit(LabelSet.Create(CrowdKitData.Simple()), iterations, tolerance);
        Assert.Equal(CrowdKitData.SimpleTruth.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value), simple.Labels.Select(l => simple.Set.Classes[l]));
    }

    /// <summary>crowd-kit test_aggregate_ds_gold_on_toy_ysda and test_ds_gold_probas_correction_with_iters: gold t1 = t2 = yes.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(10)]
    public void DawidSkene_WithGold_HoldsGoldPosteriorsAndRecoversToyTruth(int iterations)
    {
        var set = LabelSet.Create(CrowdKitData.Toy);
        var yes = set.ClassIndex("yes");
        var gold = new Dictionary<int, int> { [set.TaskIndex("t1")] = yes, [set.TaskIndex("t2")] = yes };

        var result = DawidSkene.Fit(set, iterations, 0, gold: gold);

        Assert.Equal(1.0, result.Probability(set.TaskIndex("t1"), yes), 8);
        Assert.Equal(1.0, result.Probability(set.TaskIndex("t2"), yes), 8);
        Assert.Equal("yes", set.Classes[result.Labels[0]]);
        Assert.Equal("yes", set.Classes[result.Labels[1]]);
        if (iterations == 10)
        {
            Assert.Equal(CrowdKitData.ToyTruth, result.Labels.Select(l => set.Classes[l]));
        }
    }

    /// <summary>crowd-kit's majority vote, Wawa, GLAD and MACE suites also expect the toy and simple ground truth.</summary>
    [Theory]
    [InlineData(AggregationMethod.MajorityVote)]
    [InlineData(AggregationMethod.Wawa)]
    [InlineData(AggregationMethod.Glad)]
    [InlineData(AggregationMethod.Mace)]
    public void OtherMethods_CrowdKitSimple_RecoverGroundTruth(AggregationMethod method)
    {
        var simple = Aggregator.Run(LabelSet.Create(CrowdKitData.Simple()), method);
        Assert.Equal(CrowdKitData.SimpleTruth.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value), simple.Labels.Select(l => simple.Set.Classes[l]));
        for (var t = 0; t < simple.Set.Tasks.Count; t++)
        {
            Assert.Equal(1.0, Enumerable.Range(0, simple.Set.ClassCount).Sum(c => simple.Probability(t, c)), 9);
        }
    }

    [Fact]
    public void Skill_FraudsterOfCrowdKitSimple_RanksLastUnderEveryModel()
    {
        var set = LabelSet.Create(CrowdKitData.Simple());
        var fraudster = set.Workers.ToList().IndexOf("0c3eb7d5fcc414db137c4180a654c06e");
        foreach (var method in new[] { AggregationMethod.Wawa, AggregationMethod.DawidSkene, AggregationMethod.Glad, AggregationMethod.Mace })
        {
            var skill = Aggregator.Run(set, method).Skill;
            Assert.True(skill[fraudster] == skill.Min(), $"{method}: the fraudster is not the least skilled ({string.Join(", ", skill)})");
        }
    }

    /// <summary>
    /// Planted confusion matrices (3 classes, 10 raters, 3000 tasks × 5 labels: ~500 labels per row) come back
    /// within 0.07 per cell (≈ 3.5 standard errors of a row estimated from 500 labels) and 0.02 on average.
    /// </summary>
    [Fact]
    public void DawidSkene_PlantedConfusionMatrices_AreRecovered()
    {
        var simulation = LabelSimulator.Generate(new SimulationOptions(Tasks: 3000, Workers: 10, Classes: 3, Overlap: 5, Seed: 11, MinAccuracy: 0.6, MaxAccuracy: 0.9));
        var result = DawidSkene.Fit(simulation.Labels);

        var errors = new List<double>();
        for (var w = 0; w < 10; w++)
        {
            for (var cell = 0; cell < 9; cell++)
            {
                errors.Add(Math.Abs(result.Confusion![w][cell] - simulation.Confusions[w][cell]));
            }
        }

        Assert.True(errors.Max() < 0.07, $"largest error in a confusion cell: {errors.Max():0.000}");
        Assert.True(errors.Average() < 0.02, $"mean error in a confusion cell: {errors.Average():0.000}");
        var accuracy = Enumerable.Range(0, 3000).Count(t => result.Labels[t] == simulation.Truth[t]) / 3000.0;
        var majority = MajorityVote.Fit(simulation.Labels);
        var majorityAccuracy = Enumerable.Range(0, 3000).Count(t => majority.Labels[t] == simulation.Truth[t]) / 3000.0;
        Assert.True(accuracy > 0.9 && accuracy > majorityAccuracy, $"accuracy {accuracy:0.000}, majority vote {majorityAccuracy:0.000}");
    }

    private static void AssertProbabilities(AggregationResult result, double[][] expected)
    {
        for (var t = 0; t < expected.Length; t++)
        {
            AssertClose(expected[t], Enumerable.Range(0, result.Set.ClassCount).Select(c => result.Probability(t, c)).ToArray());
        }
    }

    /// <summary>crowd-kit's errors_ rows are (worker, observed) and columns the true label (no, yes).</summary>
    private static void AssertErrors(AggregationResult result, (string Worker, double[] ObservedNo, double[] ObservedYes)[] expected)
    {
        foreach (var (worker, observedNo, observedYes) in expected)
        {
            var confusion = result.Confusion![result.Set.Workers.ToList().IndexOf(worker)];
            // confusion is truth × observed: [no→no, no→yes, yes→no, yes→yes]
            AssertClose(observedNo, [confusion[0], confusion[2]]);
            AssertClose(observedYes, [confusion[1], confusion[3]]);
        }
    }

    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= CrowdKitTolerance, $"expected {string.Join(", ", expected)} but got {string.Join(", ", actual)}");
        }
    }
}
