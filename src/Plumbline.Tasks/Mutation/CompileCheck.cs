using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Plumbline.Tasks.Mutation;

/// <summary>
/// Checks that a mutant still compiles, with Roslyn in memory: the project's C# files are compiled
/// together (a project is the files under the nearest folder holding a <c>.csproj</c>) against the
/// reference assemblies of the running .NET runtime (its reference pack, with the source generators
/// shipped in it: [GeneratedRegex], [LibraryImport], System.Text.Json contexts), with the SDK's implicit global usings and nullable
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

    private static readonly Lazy<Framework> RunningFramework = new(Framework.Find);

    private readonly CSharpCompilation _compilation;
    private readonly Dictionary<string, SyntaxTree> _trees;
    private readonly Dictionary<string, List<string>> _baseline = new(StringComparer.Ordinal);

    /// <summary>A check over one project's files (path → text), with the assemblies of its package references when known.</summary>
    public CompileCheck(IReadOnlyDictionary<string, string> files, IEnumerable<string>? packageAssemblies = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        _trees = files.ToDictionary(f => f.Key, f => CSharpSyntaxTree.ParseText(SourceText.From(f.Value), CSharpMutator.ParseOptions, f.Key), StringComparer.Ordinal);
        var usings = CSharpSyntaxTree.ParseText(ImplicitUsings, CSharpMutator.ParseOptions, "ImplicitUsings.g.cs");
        var framework = RunningFramework.Value;
        var compilation = CSharpCompilation.Create(
            "MutantCheck",
            [usings, .. _trees.Values],
            [.. framework.References, .. (packageAssemblies ?? []).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        if (framework.Generators.Length > 0)
        {
            // generated parts ([GeneratedRegex], [LibraryImport], JSON contexts) come from the original; mutations only touch method bodies
            CSharpGeneratorDriver.Create(framework.Generators, parseOptions: CSharpMutator.ParseOptions)
                .RunGeneratorsAndUpdateCompilation(compilation, out var generated, out _);
            compilation = (CSharpCompilation)generated;
        }

        _compilation = compilation;
    }

    /// <summary>Where the references came from: the reference pack of the running runtime (<c>packs/Microsoft.NETCore.App.Ref</c>), or the runtime's own assemblies when no SDK is installed.</summary>
    public static string ReferenceSource => RunningFramework.Value.Source;

    /// <summary>Errors of the whole project before any mutation, as "path(line): id: message" (for reporting how complete the check is).</summary>
    public IReadOnlyList<string> ProjectErrors() =>
        [.. _compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{d.Location.SourceTree?.FilePath}({d.Location.GetLineSpan().StartLinePosition.Line + 1}): {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")];

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

    /// <summary>The running runtime's reference assemblies and the source generators shipped beside them.</summary>
    private sealed record Framework(ImmutableArray<MetadataReference> References, ImmutableArray<ISourceGenerator> Generators, string Source)
    {
        public static Framework Find()
        {
            // .../shared/Microsoft.NETCore.App/10.0.x/System.Private.CoreLib.dll → .../packs/Microsoft.NETCore.App.Ref/10.0.x
            var runtimeFolder = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            var version = Path.GetFileName(runtimeFolder);
            var root = Path.GetFullPath(Path.Combine(runtimeFolder, "..", "..", ".."));
            var pack = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref", version);
            var tfm = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
            var refs = Path.Combine(pack, "ref", tfm);
            if (Directory.Exists(refs))
            {
                var analyzers = Path.Combine(pack, "analyzers", "dotnet", "cs");
                var loader = new Loader();
                var generators = Directory.Exists(analyzers)
                    ? Directory.EnumerateFiles(analyzers, "*.dll").Order(StringComparer.Ordinal)
                        .SelectMany(dll => new AnalyzerFileReference(dll, loader).GetGenerators(LanguageNames.CSharp))
                        .ToImmutableArray()
                    : [];
                return new Framework([.. Directory.EnumerateFiles(refs, "*.dll").Order(StringComparer.Ordinal).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))], generators, refs);
            }

            var runtime = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && p.StartsWith(runtimeFolder, StringComparison.Ordinal))
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
            return new Framework([.. runtime], [], runtimeFolder);
        }
    }

    /// <summary>Loads generator assemblies into the default context (they bind to the Roslyn already loaded).</summary>
    private sealed class Loader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public System.Reflection.Assembly LoadFromPath(string fullPath) =>
            System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
    }
}
