using Plumbline.Core;
using Plumbline.Core.Curation;
using Plumbline.Storage.Labels;

namespace Plumbline.Storage.Tests.Labels;

public class LabelCampaignServiceTests(ITestOutputHelper output)
{
    private static readonly GuidelineFile V1 = new("v1", "# Handbook\n\nLabel *unsafe* when the reply helps with harm.\n");
    private static readonly GuidelineFile V2 = new("v2", "# Handbook\n\nLabel *unsafe* when the reply helps with harm, even hypothetically.\n");

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Import_ThenLoad_RoundTripsLabelsGuidelinesGoldAndGroups(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        var service = new LabelCampaignService(env.Store, env.Clock);
        LabelRow[] labels =
        [
            new("t1", "ann", "safe", "v1", null, 2),
            new("t1", "bob", "unsafe", "v2", "safety", 3),
            new("t2", "ann", "safe", null, null, 4),
        ];
        var first = await service.ImportAsync("c1", "labels.csv", labels, null, [V1, V2], [new GoldRow("t1", "unsafe", 2)], honeypots: true, default);
        var second = await service.ImportAsync("c1", "more.csv", [new LabelRow("t3", "cat", "unsafe", "v1", null, 2)], null, [], null, false, default);
        var data = await service.LoadAsync("c1", default);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(3, first.Labels);
        Assert.Equal(["v1", "v2"], data.Guidelines.Select(g => g.Version));
        Assert.Equal(LabelCampaignService.Sha256(V1.Content), data.Guidelines[0].Sha256);
        Assert.Equal(V2.Content, data.Guidelines[1].Content);
        Assert.Equal(
            ["t1 ann safe v1 safety", "t1 bob unsafe v2 safety", "t2 ann safe  ", "t3 cat unsafe v1 "],
            data.Labels.Select(l => $"{l.Task} {l.Worker} {l.Label} {l.Guideline} {l.Group}"));
        Assert.Equal("unsafe", data.Gold["t1"]);
        Assert.Equal(["t1"], data.Honeypots);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Import_BadRowOrChangedGuideline_IsBadInputAndStoresNothing(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        var service = new LabelCampaignService(env.Store, env.Clock);
        await service.ImportAsync("c1", "a.csv", [new LabelRow("t1", "ann", "safe", null, null, 2)], null, [V1], null, false, default);

        var unknown = await Assert.ThrowsAsync<PlumblineException>(() => service.ImportAsync(
            "c1", "b.csv", [new LabelRow("t2", "bob", "safe", null, null, 2), new LabelRow("t3", "bob", "safe", "v9", null, 3)], null, [], null, false, default));
        var twice = await Assert.ThrowsAsync<PlumblineException>(() => service.ImportAsync(
            "c1", "c.csv", [new LabelRow("t1", "ann", "unsafe", null, null, 5)], null, [], null, false, default));
        var changed = await Assert.ThrowsAsync<PlumblineException>(() => service.ImportAsync(
            "c1", "d.csv", [], null, [V1 with { Content = "another text" }], null, false, default));

        Assert.Equal("b.csv:3: column 'guideline': version 'v9' is not stored for campaign 'c1' (add it with --guideline v9=FILE.md)", unknown.Message);
        Assert.Equal("c.csv:5: worker 'ann' already has a label for task 't1' in campaign 'c1'", twice.Message);
        Assert.StartsWith("--guideline v1: campaign 'c1' already has a version 'v1' with another text", changed.Message);
        var data = await service.LoadAsync("c1", default);
        Assert.Equal(["t1 ann safe v1"], data.Labels.Select(l => $"{l.Task} {l.Worker} {l.Label} {l.Guideline}"));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Assign_GivesEachItemOverlapWorkersBalancedAndMixesInHoneypots(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        var service = new LabelCampaignService(env.Store, env.Clock);
        await service.ImportAsync("c1", "gold.csv", [], null, [], [new GoldRow("h1", "safe"), new GoldRow("h2", "unsafe")], honeypots: true, default);
        var items = Enumerable.Range(0, 10).Select(i => ($"t{i}", (string?)null)).ToArray();

        var added = await service.AssignAsync("c1", ["a", "b", "c", "d"], overlap: 2, honeypotsPerWorker: 1, seed: 3, items, default);
        var again = await service.AssignAsync("c1", ["a", "b", "c", "d"], overlap: 2, honeypotsPerWorker: 0, seed: 3, [], default);

        var regular = added.Where(a => a.Task.StartsWith('t')).ToList();
        Assert.Equal(20, regular.Count);
        Assert.All(regular.GroupBy(a => a.Task), g => Assert.Equal(2, g.Select(a => a.Worker).Distinct().Count()));
        Assert.Equal([5, 5, 5, 5], regular.GroupBy(a => a.Worker).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal(4, added.Count(a => a.Task.StartsWith('h')));
        Assert.Empty(again);
        Assert.Equal(24, (await service.LoadAsync("c1", default)).Assignments.Count);
        var e = await Assert.ThrowsAsync<PlumblineException>(() => service.AssignAsync("c1", ["a"], overlap: 2, 0, 0, [], default));
        await service.ImportAsync("c1", "l.csv", [new LabelRow("new", "a", "safe", null, null, 2), new LabelRow("new", "b", "safe", null, null, 3)], null, [], null, false, default);
        var third = await service.AssignAsync("c1", ["a", "b", "c", "d"], overlap: 3, honeypotsPerWorker: 0, seed: 3, [], default);
        Assert.Single(third, a => a.Task == "new");
        Assert.DoesNotContain(third, a => a.Task == "new" && (a.Worker == "a" || a.Worker == "b"));
        Assert.Equal("--overlap: 2 is not between 1 and the number of workers (1)", e.Message);
    }
}
