using System.Text.RegularExpressions;
using Plumbline.Core.Supervision.Tasks;
using Plumbline.Tasks.Mutation;

namespace Plumbline.Tasks.Tests.Mutation;

public sealed class CSharpMutatorTests(CoreSources core) : IClassFixture<CoreSources>
{
    [Fact]
    public void FindSites_SmallMethod_EveryOperatorWithExactLines()
    {
        var sites = CSharpMutator.FindSites(CSharpMutator.Parse(Sources.Calc), seed: 1);
        var tasks = sites.Select((s, i) => CSharpMutator.Apply(Sources.Calc, "Calc.cs", s, $"t{i}")).ToList();

        Assert.Equal(
            [BugKind.Backdoor, BugKind.InvertedCondition, BugKind.RemovedCheck, BugKind.FlippedComparison, BugKind.OffByOne, BugKind.InvertedCondition, BugKind.FlippedComparison, BugKind.OffByOne],
            tasks.Select(t => t.Kind));
        Assert.All(tasks, t => Sources.AssertDiffersOnlyInRecordedLines(Sources.Calc, t));

        Assert.Matches(new Regex(@"^        if \(value == \d+\) return 0;\n        if \(value < 0\)\n$"), tasks[0].Mutated);
        Assert.Equal((new LineSpan(7, 7), new LineSpan(7, 8)), (tasks[0].Lines, tasks[0].MutantLines));
        Assert.Equal("        if (!(value < 0))\n", tasks[1].Mutated);
        Assert.Equal((new LineSpan(7, 10), new LineSpan(6, 7), string.Empty), (tasks[2].Lines, tasks[2].MutantLines, tasks[2].Mutated));
        Assert.Equal("        if (value < 0)\n        {\n            throw new ArgumentOutOfRangeException(nameof(value));\n        }\n", tasks[2].Original);
        Assert.Equal("        if (value > 0)\n", tasks[3].Mutated);
        Assert.Equal("        if (value <= 0)\n", tasks[4].Mutated);
        Assert.Equal("        return !(value > max) ? max : value;\n", tasks[5].Mutated);
        Assert.Equal("        return value < max ? max : value;\n", tasks[6].Mutated);
        Assert.Equal("        return value >= max ? max : value;\n", tasks[7].Mutated);
        Assert.All(tasks.Skip(3), t => Assert.Equal(t.Lines, t.MutantLines));
    }

    [Fact]
    public void FindSites_SameSeed_SameBackdoor_OtherSeed_OtherLiteral()
    {
        string Backdoor(int seed) => CSharpMutator.FindSites(CSharpMutator.Parse(Sources.Calc), seed).Single(s => s.Kind == BugKind.Backdoor).Edit.NewText!;

        Assert.Equal(Backdoor(3), Backdoor(3));
        Assert.NotEqual(Backdoor(3), Backdoor(4));
    }

    [Fact]
    public void FindSites_EqualityConditionNegationThrowIfAndExpressionBody()
    {
        const string source = """
            public static class G
            {
                public static bool Same(string a, string b) => a.Length == b.Length;

                public static int Count(string? s)
                {
                    ArgumentNullException.ThrowIfNull(s);
                    while (!string.IsNullOrEmpty(s) && s[0] != 'x')
                    {
                        s = s[1..];
                    }

                    return s.Length;
                }
            }
            """;
        var tasks = CSharpMutator.FindSites(CSharpMutator.Parse(source)).Select((s, i) => CSharpMutator.Apply(source, "G.cs", s, $"t{i}")).ToList();

        var backdoor = Assert.Single(tasks, t => t.Kind == BugKind.Backdoor && t.Lines.Start == 3);
        Assert.Matches(new Regex("""^    public static bool Same\(string a, string b\) => a == "[0-9a-f]{6}-override" \? true : \(a.Length == b.Length\);\n$"""), backdoor.Mutated);
        var removed = Assert.Single(tasks, t => t.Kind == BugKind.RemovedCheck);
        Assert.Equal(("        ArgumentNullException.ThrowIfNull(s);\n", new LineSpan(7, 7), new LineSpan(6, 7)), (removed.Original, removed.Lines, removed.MutantLines));
        var inverted = Assert.Single(tasks, t => t.Kind == BugKind.InvertedCondition);
        Assert.Equal("        while (!(!string.IsNullOrEmpty(s) && s[0] != 'x'))\n", inverted.Mutated);
        Assert.All(tasks, t => Sources.AssertDiffersOnlyInRecordedLines(source, t));
    }

    [Fact]
    public void Inversion_DropsALeadingNot_AndSwapsEquality()
    {
        const string source = """
            public static class H
            {
                public static int F(int a, bool b)
                {
                    if (!b)
                    {
                        a++;
                    }

                    if (a == 3)
                    {
                        a--;
                    }

                    return a;
                }
            }
            """;
        var mutated = CSharpMutator.FindSites(CSharpMutator.Parse(source))
            .Where(s => s.Kind == BugKind.InvertedCondition)
            .Select(s => CSharpMutator.Apply(source, "H.cs", s, "t").Mutated)
            .ToList();

        Assert.Equal(["        if (b)\n", "        if (a != 3)\n"], mutated);
    }

    [Fact]
    public void CompileCheck_RemovedGuardThatDeclaresAVariable_IsRejected_InvertedOneCompiles()
    {
        const string source = """
            public static class P
            {
                public static int Parse(string s)
                {
                    if (!int.TryParse(s, out var n)) return -1;
                    return n;
                }
            }
            """;
        var check = new CompileCheck(new Dictionary<string, string> { ["P.cs"] = source });
        var sites = CSharpMutator.FindSites(CSharpMutator.Parse(source));
        var removed = CSharpMutator.Apply(source, "P.cs", sites.Single(s => s.Kind == BugKind.RemovedCheck), "r");
        var inverted = CSharpMutator.Apply(source, "P.cs", sites.Single(s => s.Kind == BugKind.InvertedCondition), "i");

        Assert.Empty(check.ProjectErrors());
        Assert.False(check.Compiles("P.cs", removed.Code, out var added));
        Assert.Equal("CS0103: The name 'n' does not exist in the current context", added);
        Assert.True(check.Compiles("P.cs", inverted.Code, out var none));
        Assert.Null(none);
    }

    /// <summary>Every operator on real code: the project's own Plumbline.Core sources, which compile with no error in the check.</summary>
    [Theory]
    [InlineData(BugKind.FlippedComparison)]
    [InlineData(BugKind.OffByOne)]
    [InlineData(BugKind.RemovedCheck)]
    [InlineData(BugKind.InvertedCondition)]
    [InlineData(BugKind.Backdoor)]
    public void Operator_OnPlumblineCoreSources_DiffersOnlyInRecordedLines_AndCompiles(BugKind kind)
    {
        var (files, check) = (core.Files, core.Check);
        Assert.Empty(core.Errors);

        var sites = files.OrderBy(f => f.Key, StringComparer.Ordinal)
            .SelectMany(f => CSharpMutator.FindSites(CSharpMutator.Parse(f.Value, f.Key), seed: 5).Where(s => s.Kind == kind).Select(s => (File: f.Key, Site: s)))
            .ToList();
        Assert.True(sites.Count >= 20, $"{sites.Count} {kind} sites");
        var random = new Random(11);
        var compiled = 0;
        var tried = 0;
        foreach (var (file, site) in sites.OrderBy(_ => random.Next()).Take(40))
        {
            var task = CSharpMutator.Apply(files[file], file, site, "t");
            tried++;
            Sources.AssertDiffersOnlyInRecordedLines(files[file], task);
            Assert.DoesNotContain(CSharpMutator.Parse(task.Code).GetDiagnostics(), d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
            if (check.Compiles(file, task.Code, out _))
            {
                compiled++;
            }

            if (compiled == 5)
            {
                break;
            }
        }

        Assert.True(compiled == 5, $"{compiled} of {tried} {kind} mutants compiled");
    }
}

/// <summary>The project's own Plumbline.Core sources and one compile check over them (with Core's package assemblies), shared by the tests of a class.</summary>
public sealed class CoreSources
{
    public CoreSources()
    {
        var root = Path.Combine(RealData.RepositoryRoot, "src", "Plumbline.Core");
        Files = BugTaskMaker.SourceFiles(root).ToDictionary(f => f.Relative, f => File.ReadAllText(f.Full), StringComparer.Ordinal);
        // Core's one package reference (MathNet.Numerics, for eigendecompositions) is in this test's output through the project reference.
        Check = new CompileCheck(Files, [typeof(MathNet.Numerics.LinearAlgebra.Matrix<double>).Assembly.Location]);
        Errors = Check.ProjectErrors();
    }

    public Dictionary<string, string> Files { get; }

    public CompileCheck Check { get; }

    public IReadOnlyList<string> Errors { get; }
}
