using Plumbline.Core.Curation;
using Plumbline.Core.Curation.Aggregation;
using Plumbline.Core.Curation.Quality;

namespace Plumbline.Core.Tests.Curation;

public class QualityCurveTests
{
    [Fact]
    public void Compute_PlantedRaters_AccuracyRisesWithLabelsAndTopHalfBeatsBottomHalf()
    {
        var simulation = LabelSimulator.Generate(new SimulationOptions(Tasks: 300, Workers: 12, Classes: 2, Overlap: 5, Seed: 4, MinAccuracy: 0.6, MaxAccuracy: 0.95));
        var gold = Enumerable.Range(0, 300).ToDictionary(t => simulation.Labels.Tasks[t], t => simulation.Labels.Classes[simulation.Truth[t]]);

        var curve = QualityCurve.Compute(simulation.Labels, gold, new CurveOptions(Replicates: 30, Seed: 1));

        Assert.Equal(["all", "top_half", "bottom_half"], curve.Pools.Select(p => p.Name));
        var all = curve.Points.Where(p => p.Pool == "all").ToList();
        Assert.Equal([1, 2, 3, 4, 5], all.Select(p => p.LabelsPerItem));
        Assert.True(all[2].Accuracy > all[0].Accuracy && all[4].Accuracy > all[2].Accuracy, string.Join(", ", all.Select(p => p.Accuracy)));
        Assert.All(all, p => Assert.True(p.Low <= p.Accuracy && p.Accuracy <= p.High));
        Assert.Null(all[0].Marginal);
        Assert.Equal(all[1].Accuracy - all[0].Accuracy, all[1].Marginal!.Value, 12);
        var top = curve.Points.Single(p => p.Pool == "top_half" && p.LabelsPerItem == 1);
        var bottom = curve.Points.Single(p => p.Pool == "bottom_half" && p.LabelsPerItem == 1);
        Assert.True(top.Accuracy > bottom.Accuracy);
        Assert.InRange(curve.RecommendedLabels, 1, 5);
    }

    [Fact]
    public void Compute_NoGoldTask_IsBadInput()
    {
        var set = LabelSet.Create(CrowdKitData.Toy);
        var e = Assert.Throws<PlumblineException>(() => QualityCurve.Compute(set, new Dictionary<string, string> { ["nope"] = "yes" }, new CurveOptions(AggregationMethod.DawidSkene)));
        Assert.Equal("no task of the labels has a gold answer: the curve needs gold to score against", e.Message);
    }
}
