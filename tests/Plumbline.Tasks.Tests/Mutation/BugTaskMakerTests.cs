using Plumbline.Core;
using Plumbline.Core.Supervision.Tasks;
using Plumbline.Tasks.Mutation;

namespace Plumbline.Tasks.Tests.Mutation;

public sealed class BugTaskMakerTests : IDisposable
{
    // the "project's tests": the guard must keep rejecting negative values; they also leave a mark where they ran
    private const string TestScript = "#!/bin/sh\ntouch ran-here\ngrep -q 'if (value < 0)' Calc.cs\n";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Make_WithTestCommand_KeepsExactlyTheMutantsTheTestsCatch_InACopy()
    {
        var project = Project(TestScript);
        var before = Snapshot(project);

        var result = await BugTaskMaker.MakeAsync(new BugMakeOptions(project, 20, Seed: 3, TestCommand: "sh test.sh"), null, CancellationToken.None);

        // the four mutants of line 7 change what the test reads; the backdoor (inserted above it) and the three of line 12 do not
        Assert.Equal(
            [(BugKind.FlippedComparison, 2, 2, 0, 1, 1), (BugKind.OffByOne, 2, 2, 0, 1, 1), (BugKind.RemovedCheck, 1, 1, 0, 0, 1), (BugKind.InvertedCondition, 2, 2, 0, 1, 1), (BugKind.Backdoor, 1, 1, 0, 1, 0)],
            result.Kinds.Select(k => (k.Kind, k.Sites, k.Tried, k.NotCompiling, k.NotCaught, k.Kept)));
        Assert.True(result.TestFiltered);
        Assert.All(result.Tasks, t => Assert.Equal(7, t.Lines.Start));
        Assert.Equal(["t001", "t002", "t003", "t004"], result.Tasks.Select(t => t.Id));
        Assert.Equal(before, Snapshot(project));
        Assert.False(File.Exists(Path.Combine(project, "ran-here")));
    }

    [Fact]
    public async Task Make_WithoutTestCommand_BalancesKindsInTurn()
    {
        var project = Project(TestScript);

        var result = await BugTaskMaker.MakeAsync(new BugMakeOptions(project, 6, Seed: 3), null, CancellationToken.None);

        Assert.Equal([BugKind.FlippedComparison, BugKind.OffByOne, BugKind.RemovedCheck, BugKind.InvertedCondition, BugKind.Backdoor, BugKind.FlippedComparison], result.Tasks.Select(t => t.Kind));
        Assert.False(result.TestFiltered);
        Assert.All(result.Tasks, t => Sources.AssertDiffersOnlyInRecordedLines(Sources.Calc, t));
    }

    [Fact]
    public async Task Make_TestCommandFailingOnTheOriginal_IsBadInput()
    {
        var project = Project("#!/bin/sh\necho 'test Calc failed'\nexit 4\n");

        var e = await Assert.ThrowsAsync<PlumblineException>(() => BugTaskMaker.MakeAsync(new BugMakeOptions(project, 2, TestCommand: "sh test.sh"), null, CancellationToken.None));

        Assert.Equal(FailureKind.BadInput, e.Kind);
        Assert.Equal("--test-command: fails on the unmodified source (exit 4), so it cannot tell mutants apart; last output:\ntest Calc failed", e.Message);
    }

    [Fact]
    public async Task Make_TestCommandTimingOut_CountsAsCaught()
    {
        var project = Project("#!/bin/sh\ngrep -q 'if (value < 0)' Calc.cs || sleep 30\n");

        var result = await BugTaskMaker.MakeAsync(new BugMakeOptions(project, 1, Seed: 3, TestCommand: "sh test.sh", TestTimeout: TimeSpan.FromSeconds(1)), null, CancellationToken.None);

        var task = Assert.Single(result.Tasks);
        Assert.Equal(7, task.Lines.Start);
    }

    [Fact]
    public async Task Make_Include_MutatesOnlyThoseFiles_AndNamesAMissOnlyWhenNothingMatches()
    {
        var project = Project(TestScript);
        File.WriteAllText(Path.Combine(project, "Other.cs"), "public static class Other { public static bool Big(int x) => x > 9; }\n");

        var result = await BugTaskMaker.MakeAsync(new BugMakeOptions(project, 50, Include: ["./Other"]), null, CancellationToken.None);
        var e = await Assert.ThrowsAsync<PlumblineException>(() => BugTaskMaker.MakeAsync(new BugMakeOptions(project, 1, Include: ["src/"]), null, CancellationToken.None));

        Assert.Equal(["Other.cs"], result.Tasks.Select(t => t.File).Distinct());
        Assert.Equal([1, 1, 0, 0, 1], result.Kinds.Select(k => k.Kept));
        Assert.Equal($"--include: no source file under {project} starts with src/", e.Message);
    }

    [Fact]
    public async Task TasksFile_RoundTrips_AndNamesTheLineOfABadTask()
    {
        var project = Project(TestScript);
        var result = await BugTaskMaker.MakeAsync(new BugMakeOptions(project, 5, Seed: 1), null, CancellationToken.None);
        var path = _dir.File("tasks.jsonl");

        await TasksFile.WriteAsync(path, result.Tasks, CancellationToken.None);
        var read = TasksFile.Read(path);

        Assert.Equal(result.Tasks, read);
        File.AppendAllText(path, "{\"id\": \"x\", \"file\": \"a.cs\", \"kind\": \"typo\"}\n");
        var e = Assert.Throws<PlumblineException>(() => TasksFile.Read(path));
        Assert.Equal($"{path}:6: \"kind\" must be one of flipped_comparison, off_by_one, removed_check, inverted_condition, backdoor (was 'typo')", e.Message);
    }

    private string Project(string testScript)
    {
        var folder = Path.Combine(_dir.Path, "calc");
        Directory.CreateDirectory(Path.Combine(folder, "obj"));
        File.WriteAllText(Path.Combine(folder, "Calc.cs"), Sources.Calc);
        File.WriteAllText(Path.Combine(folder, "test.sh"), testScript);
        File.WriteAllText(Path.Combine(folder, "Calc.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />\n");
        File.WriteAllText(Path.Combine(folder, "obj", "Generated.cs"), "this is not C# and is skipped");
        return folder;
    }

    private static Dictionary<string, string> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllText, StringComparer.Ordinal);
}
