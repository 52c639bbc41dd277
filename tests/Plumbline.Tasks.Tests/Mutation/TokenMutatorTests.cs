using System.Diagnostics;
using Plumbline.Core.Supervision.Tasks;
using Plumbline.Tasks.Mutation;

namespace Plumbline.Tasks.Tests.Mutation;

public sealed class TokenMutatorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void FindSites_JavaScript_OnlyConditionTokens_NeverInsideStringsCommentsTemplatesOrRegexes()
    {
        const string source = """
            // if (a < b) in a comment
            /* while (a > b) */
            const s = "if (a < b)", t = `x ${ f(a < b, { k: `if (c > d)` }) } y`, r = /if \(a<b\)/g;
            function g(a, b) {
              const q = a < b ? 1 : 2;
              if (a < b) {
                return 1;
              }
              for (let i = 0; i <= b; i++) {}
              while (!done(a)) a++;
              return 0;
            }

            """;

        var tasks = Tasks(source, "javascript");

        Assert.Equal(
            [
                (BugKind.FlippedComparison, 6, "  if (a > b) {\n"),
                (BugKind.OffByOne, 6, "  if (a <= b) {\n"),
                (BugKind.InvertedCondition, 6, "  if (!(a < b)) {\n"),
                (BugKind.RemovedCheck, 6, string.Empty),
                (BugKind.FlippedComparison, 9, "  for (let i = 0; i >= b; i++) {}\n"),
                (BugKind.OffByOne, 9, "  for (let i = 0; i < b; i++) {}\n"),
                (BugKind.InvertedCondition, 10, "  while (done(a)) a++;\n"),
            ],
            tasks.Select(t => (t.Kind, t.Lines.Start, t.Mutated)));
        Assert.Equal(new LineSpan(6, 8), tasks[3].Lines);
        Assert.All(tasks, t => Sources.AssertDiffersOnlyInRecordedLines(source, t));
        Assert.All(tasks, t => Assert.Null(TokenMutator.Check(t.Code, "javascript")));
    }

    [Fact]
    public void FindSites_Go_HeadsEndAtTheBrace_InitStatementsAreNotTheCondition()
    {
        const string source = "package p\n\nfunc f(n int) error {\n\tif err := g(); err != nil {\n\t\treturn err\n\t}\n\tfor i := 0; i < n; i++ {\n\t}\n\tfor n > 0 {\n\t\tn--\n\t}\n\treturn nil\n}\n";

        var tasks = Tasks(source, "go");

        Assert.Equal(
            [
                (BugKind.InvertedCondition, "\tif err := g(); err == nil {\n"),
                (BugKind.RemovedCheck, string.Empty),
                (BugKind.FlippedComparison, "\tfor i := 0; i > n; i++ {\n"),
                (BugKind.OffByOne, "\tfor i := 0; i <= n; i++ {\n"),
                (BugKind.FlippedComparison, "\tfor n < 0 {\n"),
                (BugKind.OffByOne, "\tfor n >= 0 {\n"),
                (BugKind.InvertedCondition, "\tfor !(n > 0) {\n"),
            ],
            tasks.Select(t => (t.Kind, t.Mutated)));
        Assert.All(tasks, t => Sources.AssertDiffersOnlyInRecordedLines(source, t));
    }

    [Fact]
    public void FindSites_Rust_LifetimesRawStringsRangesAndIfLet()
    {
        const string source = "fn f<'a>(s: &'a str, n: usize) -> bool {\n    let r = r#\"if a < b { }\"#;\n    if let Some(c) = s.chars().next() { return c < 'z'; }\n    for i in 0..n {\n    }\n    s.len() >= n\n}\n";

        var tasks = Tasks(source, "rust");

        Assert.Equal([(BugKind.OffByOne, "    for i in 0..=n {\n")], tasks.Select(t => (t.Kind, t.Mutated)));
    }

    [Fact]
    public void FindSites_Cpp_GenericArgumentsAndPreprocessorAreLeftAlone()
    {
        const string source = "#if VERSION > 2\n#include <vector>\n#endif\nint f(int x) {\n    if (std::numeric_limits<int>::max() > x) return 1;\n    return 0;\n}\n";

        var tasks = Tasks(source, "cpp");

        Assert.Equal(
            [
                (BugKind.FlippedComparison, "    if (std::numeric_limits<int>::max() < x) return 1;\n"),
                (BugKind.OffByOne, "    if (std::numeric_limits<int>::max() >= x) return 1;\n"),
                (BugKind.InvertedCondition, "    if (!(std::numeric_limits<int>::max() > x)) return 1;\n"),
                (BugKind.RemovedCheck, string.Empty),
            ],
            tasks.Select(t => (t.Kind, t.Mutated)));
    }

    [Fact]
    public void Check_NamesTheLineOfAnUnbalancedBracketOrAnUnclosedLiteral()
    {
        Assert.Null(TokenMutator.Check("if (a) { b(\"}\"); }\n", "java"));
        Assert.Equal("line 2: unbalanced ')'", TokenMutator.Check("f(a\n));\n", "c"));
        Assert.Equal("line 1: '{' is never closed", TokenMutator.Check("x { y\n", "go"));
        Assert.Equal("line 2: a string literal is never closed", TokenMutator.Check("a\nb = \"x\n", "typescript"));
        Assert.Equal("line 1: a /* comment is never closed", TokenMutator.Check("/* /* */ x\n", "rust"));
        Assert.Null(FindSitesError("x = `a ${ {b: `c`}.b } d`;\n", "javascript"));
    }

    [Fact]
    public void FindSites_SemverRange_EveryConditionKind_EachMutantStillParsesUnderNode()
    {
        var text = File.ReadAllText(RealFiles.SemverRange);

        var tasks = Tasks(text, "javascript");

        // range.js: 60 `if (…)`/`while (…)` heads (grep -cE '\b(if|while)\b ?\('), 11 relational operators in heads and for bounds,
        // 5 guards `if (…) { return|throw … }` alone on their lines; no backdoors on the token-level path
        Assert.Equal(
            [(BugKind.FlippedComparison, 11), (BugKind.OffByOne, 11), (BugKind.RemovedCheck, 5), (BugKind.InvertedCondition, 60), (BugKind.Backdoor, 0)],
            BugKinds.All.Select(k => (k, tasks.Count(t => t.Kind == k))));
        Assert.All(tasks, t => Sources.AssertDiffersOnlyInRecordedLines(text, t));
        Assert.All(tasks, t => Assert.Equal(("javascript", "tokens"), (t.Language, t.Engine)));
        for (var i = 0; i < tasks.Count; i++)
        {
            File.WriteAllText(_dir.File($"m{i:D3}.js"), tasks[i].Code);
        }

        // one node process checks every mutant's syntax (vm.Script compiles without running)
        var script = "const fs = require('fs'), vm = require('vm'); let bad = 0; for (const f of process.argv.slice(1)) { try { new vm.Script(fs.readFileSync(f, 'utf8'), { filename: f }); } catch (e) { bad++; console.log(f + ': ' + e.message); } } console.log('bad ' + bad);";
        var info = new ProcessStartInfo(RealFiles.Node) { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-e");
        info.ArgumentList.Add(script);
        foreach (var i in Enumerable.Range(0, tasks.Count))
        {
            info.ArgumentList.Add(_dir.File($"m{i:D3}.js"));
        }

        using var node = Process.Start(info)!;
        var output = node.StandardOutput.ReadToEnd();
        node.WaitForExit();
        Assert.Equal("bad 0\n", output);
    }

    private static List<BugTask> Tasks(string text, string language)
    {
        var sites = TokenMutator.FindSites(text, language, out var error);
        Assert.True(sites is not null, error);
        return [.. sites.Select((s, i) => MutantText.Apply(text, "f", s, $"t{i}", language, "tokens"))];
    }

    private static string? FindSitesError(string text, string language)
    {
        TokenMutator.FindSites(text, language, out var error);
        return error;
    }
}
