using Plumbline.Core.Datasets;
using Plumbline.Core.Text;

namespace Plumbline.Core.Tests.Datasets;

public class EditUnitGrouperTests
{
    private static UnitRevision Rev(int revision, long time, int position, int delete, string insert, long? contributor = 1, bool gap = false) =>
        new(revision, time, contributor, gap, [new Patch(position, delete, insert)], 100 + revision);

    /// <summary>
    /// "Hi there\n" typed key by key (revisions 1–9, 100 ms apart), then X, Y at the start, a 4 s pause, Z and
    /// its backspace, a jump to the end, a gap, and a keystroke by someone else.
    /// </summary>
    private static List<UnitRevision> Script()
    {
        var revisions = "Hi there\n".Select((c, i) => Rev(i + 1, i * 100, i, 0, c.ToString())).ToList();
        revisions.Add(Rev(10, 900, 0, 0, "X"));
        revisions.Add(Rev(11, 1000, 1, 0, "Y"));
        revisions.Add(Rev(12, 5000, 2, 0, "Z"));
        revisions.Add(Rev(13, 5100, 2, 1, ""));
        revisions.Add(Rev(14, 5200, 11, 0, "!"));
        revisions.Add(Rev(15, 5300, 0, 0, "░", contributor: null, gap: true));
        revisions.Add(Rev(16, 5400, 13, 0, "?", contributor: 2));
        return revisions;
    }

    private static List<(int First, int Last, bool Gap)> Group(EditUnitOptions options, bool timestamps)
    {
        var grouper = new EditUnitGrouper(options, timestamps);
        var units = new List<EditUnit>();
        foreach (var revision in Script())
        {
            units.AddRange(grouper.Push(revision));
        }

        if (grouper.Flush() is { } last)
        {
            units.Add(last);
        }

        return units.Select(u => (u.FirstRevision, u.LastRevision, u.IsGap)).ToList();
    }

    [Fact]
    public void Group_WithTimestamps_SplitsAtLineEndPauseJumpGapAndContributor()
    {
        var units = Group(EditUnitOptions.Default, timestamps: true);

        Assert.Equal([(1, 9, false), (10, 11, false), (12, 13, false), (14, 14, false), (15, 15, true), (16, 16, false)], units);
    }

    [Fact]
    public void Group_WithoutUsableTimestamps_FallsBackToPositionAndBoundaries()
    {
        var units = Group(EditUnitOptions.Default, timestamps: false);

        Assert.Equal([(1, 9, false), (10, 13, false), (14, 14, false), (15, 15, true), (16, 16, false)], units);
    }

    [Fact]
    public void Group_TimestampsIgnore_OverridesUsableTimes()
    {
        var units = Group(EditUnitOptions.Default with { Timestamps = TimestampMode.Ignore }, timestamps: true);

        Assert.Equal(5, units.Count);
        Assert.Equal((10, 13, false), units[1]);
    }

    [Fact]
    public void Group_WordBoundaryAfterThreshold_EndsUnitAtTheSpace()
    {
        var units = Group(EditUnitOptions.Default with { WordBoundaryChars = 2, BreakAtLineEnd = false }, timestamps: false);

        // "Hi " reaches 2 changed code points and ends with a space: "there\n" starts a new unit.
        Assert.Equal((1, 3, false), units[0]);
        Assert.Equal((4, 9, false), units[1]);
    }

    [Fact]
    public void Group_JumpSlack_JoinsNearbyPatches()
    {
        var grouper = new EditUnitGrouper(EditUnitOptions.Default with { JumpChars = 3 }, timestampsUsable: false);
        Assert.Empty(grouper.Push(Rev(1, 0, 0, 0, "a")));
        Assert.Empty(grouper.Push(Rev(2, 0, 4, 0, "b")));
        var closed = Assert.Single(grouper.Push(Rev(3, 0, 9, 0, "c")));

        Assert.Equal((1, 2), (closed.FirstRevision, closed.LastRevision));
        Assert.Equal(3, grouper.Flush()!.FirstRevision);
    }

    [Fact]
    public void Options_Invalid_ReportsEveryProblem()
    {
        var errors = new EditUnitOptions { PauseMs = -1, JumpChars = -2, WordBoundaryChars = 0, MaxUnitPatches = 0 }.Validate();

        Assert.Equal(
            [
                "--pause-ms must be 0 or more (was -1)",
                "--jump-chars must be 0 or more (was -2)",
                "--word-chars must be 1 or more (was 0)",
                "--max-unit-patches must be 1 or more (was 0)",
            ],
            errors);
    }
}

public class TimestampRuleTests
{
    [Theory]
    [InlineData(0, 294, 259_778, false)] // automerge-paper: 259,778 edits within 294 ms
    [InlineData(0, 0, 5, false)]
    [InlineData(0, 40, 5, true)]
    [InlineData(0, 39, 5, false)]
    [InlineData(7, 7, 1, false)]
    public void TimestampsUsable_NeedsTenMillisecondsPerRevision(long first, long last, int revisions, bool usable) =>
        Assert.Equal(usable, EditUnitOptions.TimestampsUsable(first, last, revisions));
}
