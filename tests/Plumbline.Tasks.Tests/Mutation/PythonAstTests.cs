using System.Text.RegularExpressions;
using Plumbline.Core.Supervision.Tasks;
using Plumbline.Tasks.Mutation;

namespace Plumbline.Tasks.Tests.Mutation;

public sealed class PythonAstTests : IDisposable
{
    private const string Clamp = """
        def clamp(value: int, high: int) -> int:
            "Keeps value in [0, high]."
            if value < 0:
                raise ValueError("negative")
            return high if value > high else value

        """;

    private readonly PythonAst _python = PythonAst.TryCreate(RealFiles.Python) ?? throw new InvalidOperationException($"{RealFiles.Python} is needed");

    public void Dispose() => _python.Dispose();

    [Fact]
    public async Task FindSites_SmallFunction_EveryOperatorWithExactText()
    {
        var tasks = await TasksOf(Clamp, "calc.py", seed: 1);

        Assert.Equal(
            [
                (BugKind.RemovedCheck, 3, string.Empty),
                (BugKind.Backdoor, 3, "    if value == §: return 0\n    if value < 0:\n"),
                (BugKind.InvertedCondition, 3, "    if not (value < 0):\n"),
                (BugKind.FlippedComparison, 3, "    if value > 0:\n"),
                (BugKind.OffByOne, 3, "    if value <= 0:\n"),
                (BugKind.InvertedCondition, 5, "    return high if not (value > high) else value\n"),
                (BugKind.FlippedComparison, 5, "    return high if value < high else value\n"),
                (BugKind.OffByOne, 5, "    return high if value >= high else value\n"),
            ],
            tasks.Select(t => (t.Kind, t.Lines.Start, Regex.Replace(t.Mutated, @"== \d+", "== §"))));
        Assert.Equal(new LineSpan(3, 4), tasks[0].Lines);
        Assert.Equal("    if value < 0:\n        raise ValueError(\"negative\")\n", tasks[0].Original);
        Assert.All(tasks, t => Assert.Equal(("python", "python-ast"), (t.Language, t.Engine)));
        Assert.All(tasks, t => Sources.AssertDiffersOnlyInRecordedLines(Clamp, t));
        foreach (var task in tasks)
        {
            Assert.True((await _python.CheckAsync("calc.py", task.Code, CancellationToken.None)).Ok, task.Code);
        }
    }

    [Fact]
    public async Task FindSites_NotAndEqualities_AreInvertedByTheirOperator_OnlyOnRealLines()
    {
        const string source = "def f(a, b, xs):\n    while not (a or b):\n        a = 1\n    if a is None:\n        return 1\n    if b not in xs:\n        return 2\n    return 3 if a != b else 4\n";

        var inverted = (await TasksOf(source, "f.py", seed: 0)).Where(t => t.Kind == BugKind.InvertedCondition).Select(t => t.Mutated.Trim()).Order(StringComparer.Ordinal);

        Assert.Equal(["if a is not None:", "if b in xs:", "return 3 if a == b else 4", "while (a or b):"], inverted);
    }

    [Fact]
    public async Task FindSites_Colorsys_EveryKindOnRealCode_EachMutantParsesAndDiffersOnlyInItsLines()
    {
        var text = File.ReadAllText(RealFiles.Colorsys);

        var tasks = await TasksOf(text, "colorsys.py", seed: 1);

        // colorsys.py (3.11), counted by hand: 11 relational operators (6 clamps in yiq_to_rgb, l <= 0.5 twice, 3 in _v);
        // 13 guards `if …: return …` (2 in rgb_to_hls/hls_to_rgb, 3 in _v, 2 in rgb_to_hsv/hsv_to_rgb's tops, 6 `if i == k`);
        // 25 if/elif conditions (6 + 4 + 2 + 3 + 3 + 7 per function); 7 functions returning a value
        Assert.Equal(
            [(BugKind.FlippedComparison, 11), (BugKind.OffByOne, 11), (BugKind.RemovedCheck, 13), (BugKind.InvertedCondition, 25), (BugKind.Backdoor, 7)],
            BugKinds.All.Select(k => (k, tasks.Count(t => t.Kind == k))));
        Assert.Contains(tasks, t => t.Kind == BugKind.RemovedCheck && t.Lines == new LineSpan(81, 82) && t.Original == "    if minc == maxc:\n        return 0.0, l, 0.0\n");
        Assert.Contains(tasks, t => t.Kind == BugKind.OffByOne && t.Lines == new LineSpan(83, 83) && t.Mutated == "    if l < 0.5:\n");
        Assert.All(tasks, t => Sources.AssertDiffersOnlyInRecordedLines(text, t));
        foreach (var task in tasks)
        {
            var check = await _python.CheckAsync("colorsys.py", task.Code, CancellationToken.None);
            Assert.True(check.Ok && check.Warnings.Count == 0, $"{task.Description}: {check.Error}");
        }
    }

    [Fact]
    public async Task Check_BrokenMutant_IsRejectedWithItsLine_AndASyntaxErrorFileIsReported()
    {
        var broken = await _python.CheckAsync("m.py", "def f(x):\n    if x:\n\n", CancellationToken.None);
        var sites = await _python.FindSitesAsync([("bad.py", "def f(:\n")], 0, CancellationToken.None);

        Assert.False(broken.Ok);
        Assert.StartsWith("line 3: expected an indented block", broken.Error, StringComparison.Ordinal);
        Assert.Equal("bad.py", sites[0].Path);
        Assert.StartsWith("line 1: ", sites[0].Error, StringComparison.Ordinal);
        Assert.Empty(sites[0].Sites);
    }

    [Fact]
    public async Task FindSites_NonAsciiText_SpansAreUtf16Offsets()
    {
        const string source = "def f(naïve, 𝔵):\n    s = 'é𝔵'\n    if naïve < 𝔵:\n        return 1\n    return 2\n";

        var flipped = (await TasksOf(source, "u.py", seed: 0)).Single(t => t.Kind == BugKind.FlippedComparison);

        Assert.Equal("    if naïve > 𝔵:\n", flipped.Mutated);
    }

    private async Task<List<BugTask>> TasksOf(string text, string path, int seed)
    {
        var file = Assert.Single(await _python.FindSitesAsync([(path, text)], seed, CancellationToken.None));
        Assert.Null(file.Error);
        return [.. file.Sites.Select((s, i) => MutantText.Apply(text, path, s, $"t{i}", "python", "python-ast"))];
    }
}
