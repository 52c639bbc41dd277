using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Plumbline.Tasks.Mutation;

/// <summary>
/// Checks that a mutant still compiles, with Roslyn in memory: the project's C# files are compiled
/// together (a project is the files under the nearest folder holding a <c>.csproj</c>) against the
/// assemblies of the running .NET runtime, with the SDK's implicit global usings and nullable
/// annotations on. A mutant passes when its file has no error or warning that the original file did not
/// have (compared as multisets of id and message, so errors from references we cannot see — NuGet
/// packages, other projects — are tolerated when they are the same before and after). Only the mutated
/// file is bound: an edit inside a method body cannot change another file's diagnostics.
/// Analyzer warnings (CA…, IDE…) are not run.
/// </summary>
public sealed class CompileCheck
{
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> RuntimeReferences = new(() =>
        [.. ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))]);

    private readonly CSharpCompilation _compilation;
    private readonly Dictionary<string, SyntaxTree> _trees;
    private readonly Dictionary<string, List<string>> _baseline = new(StringComparer.Ordinal);

    /// <summary>A check over one project's files (path → text).</summary>
    public CompileCheck(IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        _trees = files.ToDictionary(f => f.Key, f => CSharpSyntaxTree.ParseText(SourceText.From(f.Value), CSharpMutator.ParseOptions, f.Key), StringComparer.Ordinal);
        var usings = CSharpSyntaxTree.ParseText(ImplicitUsings, CSharpMutator.ParseOptions, "ImplicitUsings.g.cs");
        _compilation = CSharpCompilation.Create(
            "MutantCheck",
            [usings, .. _trees.Values],
            RuntimeReferences.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
    }

    /// <summary>Errors of the whole project before any mutation (for reporting how complete the check is).</summary>
    public int ProjectErrors => _compilation.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>Whether <paramref name="mutant"/> as the text of <paramref name="path"/> adds no error or warning; <paramref name="added"/> names the first new one.</summary>
    public bool Compiles(string path, string mutant, out string? added)
    {
        if (!_trees.TryGetValue(path, out var original))
        {
            throw new ArgumentException($"{path} is not a file of this project", nameof(path));
        }

        if (!_baseline.TryGetValue(path, out var before))
        {
            before = Diagnostics(_compilation, original);
            _baseline[path] = before;
        }

        var changed = original.WithChangedText(SourceText.From(mutant));
        var after = Diagnostics(_compilation.ReplaceSyntaxTree(original, changed), changed);
        var remaining = before.GroupBy(d => d, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var d in after)
        {
            if (remaining.TryGetValue(d, out var count) && count > 0)
            {
                remaining[d] = count - 1;
                continue;
            }

            added = d;
            return false;
        }

        added = null;
        return true;
    }

    private static List<string> Diagnostics(CSharpCompilation compilation, SyntaxTree tree) =>
        [.. compilation.GetSemanticModel(tree).GetDiagnostics()
            .Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning)
            .Select(d => $"{d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")];
}
