using Plumbline.Core.Supervision.Tasks;
using Plumbline.Tasks.Mutation;

namespace Plumbline.Tasks.Tests.Mutation;

/// <summary>Planting in a tiny Python project with a real unittest suite as the test command.</summary>
public sealed class PythonProjectTests : IDisposable
{
    private const string Calc = """
        def clamp(value: int, high: int) -> int:
            "Keeps value in [0, high]."
            if value < 0:
                raise ValueError("negative")
            return high if value > high else value

        """;

    // no test at value 0, at value == high, or at the backdoor's magic value: exactly those mutants survive
    private const string Tests = """
        import unittest
        from calc import clamp


        class ClampTests(unittest.TestCase):
            def test_negative_raises(self):
                with self.assertRaises(ValueError):
                    clamp(-1, 5)

            def test_in_range(self):
                self.assertEqual(clamp(3, 5), 3)

            def test_above(self):
                self.assertEqual(clamp(9, 5), 5)

        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Make_WithUnittest_KeepsExactlyTheMutantsTheTestsCatch()
    {
        var project = Project();

        var result = await BugTaskMaker.MakeAsync(new BugMakeOptions(project, 20, Seed: 2, TestCommand: $"{RealFiles.Python} -m unittest -q test_calc", Python: RealFiles.Python), null, CancellationToken.None);

        // caught: value > 0 (clamp(3) raises), value < high (clamp(3) → 5), the removed guard, both inversions.
        // survive: value <= 0 and value >= high (untested boundaries), the backdoor (untested magic value)
        Assert.Equal(
            [(BugKind.FlippedComparison, 2, 2, 0, 0, 2), (BugKind.OffByOne, 2, 2, 0, 2, 0), (BugKind.RemovedCheck, 1, 1, 0, 0, 1), (BugKind.InvertedCondition, 2, 2, 0, 0, 2), (BugKind.Backdoor, 1, 1, 0, 1, 0)],
            result.Kinds.Select(k => (k.Kind, k.Sites, k.Tried, k.NotCompiling, k.NotCaught, k.Kept)));
        Assert.Equal(new Dictionary<string, int> { ["python-ast"] = 2 }, result.Engines);
        Assert.Empty(result.Warnings);
        Assert.All(result.Tasks, t => Assert.Equal(("calc.py", "python", "python-ast"), (t.File, t.Language, t.Engine)));
        Assert.All(result.Tasks, t => Sources.AssertDiffersOnlyInRecordedLines(Calc, t));
        Assert.Equal(Calc, File.ReadAllText(Path.Combine(project, "calc.py")));
    }

    [Fact]
    public async Task Make_WithoutPython_FallsBackToTokens_WithAWarning()
    {
        var project = Project();

        var result = await BugTaskMaker.MakeAsync(new BugMakeOptions(project, 20, Python: "/nonexistent/python3"), null, CancellationToken.None);

        Assert.Equal(["/nonexistent/python3 not found (or older than 3.8): Python files take the token-level path (conditions only, no backdoors or removed checks)"], result.Warnings);
        Assert.Equal(new Dictionary<string, int> { ["tokens"] = 2 }, result.Engines);
        Assert.Equal([1, 1, 0, 1, 0], result.Kinds.Select(k => k.Kept));
        Assert.Equal(
            ["    if not (value < 0):\n", "    if value <= 0:\n", "    if value > 0:\n"],
            result.Tasks.Select(t => t.Mutated).Order(StringComparer.Ordinal));
        Assert.All(result.Tasks, t => Assert.Equal("tokens", t.Engine));
    }

    [Fact]
    public async Task TasksFile_RoundTripsTheEngine()
    {
        var result = await BugTaskMaker.MakeAsync(new BugMakeOptions(Project(), 3, Python: RealFiles.Python), null, CancellationToken.None);
        var path = _dir.File("tasks.jsonl");

        await TasksFile.WriteAsync(path, result.Tasks, CancellationToken.None);

        Assert.Equal(result.Tasks, TasksFile.Read(path));
        Assert.All(File.ReadAllLines(path), line => Assert.EndsWith(",\"engine\":\"python-ast\"}", line, StringComparison.Ordinal));
    }

    private string Project()
    {
        var folder = Path.Combine(_dir.Path, "calc");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "calc.py"), Calc);
        File.WriteAllText(Path.Combine(folder, "test_calc.py"), Tests);
        return folder;
    }
}
