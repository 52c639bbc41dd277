using Microsoft.CodeAnalysis;
using Plumbline.Core;
using Plumbline.Core.Supervision.Tasks;

namespace Plumbline.Tasks.Mutation;

/// <summary>What to plant and where.</summary>
/// <param name="Source">The source folder (never modified).</param>
/// <param name="Count">Tasks wanted.</param>
/// <param name="Seed">Picks the sites and the backdoor literals.</param>
/// <param name="TestCommand">When set, a mutant is kept only if this command fails on it (run in a private copy).</param>
/// <param name="TestTimeout">Longest run of the test command; a run that takes longer counts as failing (the mutant changed behaviour).</param>
/// <param name="Include">When given, only files whose path relative to the source starts with one of these are mutated (all are still compiled and copied).</param>
/// <param name="Python">The python3 for Python files (default: <c>python3</c> on PATH); when missing, Python files take the token-level path.</param>
public sealed record BugMakeOptions(string Source, int Count, int Seed = 0, string? TestCommand = null, TimeSpan? TestTimeout = null, IReadOnlyList<string>? Include = null, string? Python = null);

/// <summary>How the candidates of one kind fared.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Sites">Sites found in the source.</param>
/// <param name="Tried">Mutants built and checked.</param>
/// <param name="NotCompiling">Rejected: the mutant added a compiler error or warning (C#), does not compile under python3 or adds a warning (Python), or does not tokenize with balanced brackets (token-level path).</param>
/// <param name="NotCaught">Rejected: the test command still passed on the mutant.</param>
/// <param name="Kept">Kept as tasks.</param>
public sealed record KindStats(BugKind Kind, int Sites, int Tried, int NotCompiling, int NotCaught, int Kept);

/// <summary>The tasks made and how the candidates fared.</summary>
/// <param name="Tasks">The tasks.</param>
/// <param name="Kinds">Per kind.</param>
/// <param name="Files">Source files found.</param>
/// <param name="UnparsedFiles">Files skipped because they do not parse (or tokenize), as "path: why".</param>
/// <param name="TestFiltered">Whether a test command filtered the mutants.</param>
/// <param name="Warnings">Anything the caller should be told (e.g. python3 missing).</param>
/// <param name="Engines">Files per engine (<c>roslyn</c>, <c>python-ast</c>, <c>tokens</c>).</param>
public sealed record BugMakeResult(IReadOnlyList<BugTask> Tasks, IReadOnlyList<KindStats> Kinds, int Files, IReadOnlyList<string> UnparsedFiles, bool TestFiltered, IReadOnlyList<string> Warnings, IReadOnlyDictionary<string, int> Engines);

/// <summary>Progress of <see cref="BugTaskMaker.MakeAsync"/>.</summary>
public readonly record struct BugMakeProgress(int Kept, int Target, int Tried, string Current);

/// <summary>
/// Plants defects in the source files of a folder: finds every site (C# through Roslyn, <see cref="CSharpMutator"/>;
/// Python through python3's <c>ast</c>, <see cref="PythonAst"/>; JavaScript/TypeScript, Java, Go, C/C++ and Rust
/// through the token-level fallback, <see cref="TokenMutator"/>), visits them in a seeded random order taking the
/// kinds in turn (so kinds are balanced while sites last), keeps a mutant when it is still valid (C#: compiles,
/// <see cref="CompileCheck"/>; Python: compiles under python3; tokens: tokenizes with balanced brackets) and, with
/// a test command, when the command fails on it.
/// </summary>
public static class BugTaskMaker
{
    /// <summary>The engines, as recorded in each task.</summary>
    public const string Roslyn = "roslyn", PythonEngine = "python-ast", Tokens = "tokens";

    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { "bin", "obj", ".git", "node_modules" };

    /// <summary>Makes up to <see cref="BugMakeOptions.Count"/> tasks.</summary>
    /// <exception cref="PlumblineException">BadInput when the folder has no source files or the test command fails on the unmodified source.</exception>
    public static async Task<BugMakeResult> MakeAsync(BugMakeOptions options, IProgress<BugMakeProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Count, 1);
        var root = Path.GetFullPath(options.Source);
        if (!Directory.Exists(root))
        {
            throw PlumblineException.NotFound($"--source {options.Source}: no such folder");
        }

        var files = SourceFiles(root);
        if (files.Count == 0)
        {
            throw PlumblineException.BadInput($"--source {options.Source}: no source files (.cs, .py, .js/.ts, .java, .go, .c/.h/.cpp, .rs; bin, obj, .git and node_modules are skipped)");
        }

        var include = (options.Include ?? []).Select(p => p.Replace('\\', '/')).Select(p => p.StartsWith("./", StringComparison.Ordinal) ? p[2..] : p).Where(p => p.Length > 0).ToList();
        if (include.Count > 0 && !files.Any(f => include.Any(p => f.Relative.StartsWith(p, StringComparison.Ordinal))))
        {
            throw PlumblineException.BadInput($"--include: no source file under {options.Source} starts with {string.Join(" or ", include)}");
        }

        bool Included(string relative) => include.Count == 0 || include.Any(prefix => relative.StartsWith(prefix, StringComparison.Ordinal));

        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var engines = new Dictionary<string, string>(StringComparer.Ordinal);
        var languages = new Dictionary<string, string>(StringComparer.Ordinal);
        var unparsed = new List<string>();
        var warnings = new List<string>();
        var sitesByKind = BugKinds.All.ToDictionary(k => k, _ => new List<(string File, MutationSite Site)>());
        var pythonFiles = new List<(string Path, string Text)>();
        using var python = files.Any(f => f.Relative.EndsWith(".py", StringComparison.OrdinalIgnoreCase)) ? PythonAst.TryCreate(options.Python) : null;
        foreach (var (relative, full) in files)
        {
            var text = await File.ReadAllTextAsync(full, cancellationToken);
            if (relative.EndsWith(".cs", StringComparison.OrdinalIgnoreCase))
            {
                var tree = CSharpMutator.Parse(text, relative);
                if (tree.GetDiagnostics(cancellationToken).FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } parseError)
                {
                    unparsed.Add($"{relative}: line {parseError.Location.GetLineSpan().StartLinePosition.Line + 1}: {parseError.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
                    continue;
                }

                (texts[relative], engines[relative], languages[relative]) = (text, Roslyn, "csharp");
                if (Included(relative))
                {
                    sitesByKind.AddAll(relative, CSharpMutator.FindSites(tree, options.Seed));
                }

                continue;
            }

            var language = TokenMutator.LanguageOf(relative)!;
            if (language == "python" && python is not null)
            {
                (texts[relative], engines[relative], languages[relative]) = (text, PythonEngine, language);
                pythonFiles.Add((relative, text));
                continue;
            }

            var sites = TokenMutator.FindSites(text, language, out var error);
            if (sites is null)
            {
                unparsed.Add($"{relative}: {error}");
                continue;
            }

            (texts[relative], engines[relative], languages[relative]) = (text, Tokens, language);
            if (Included(relative))
            {
                sitesByKind.AddAll(relative, sites);
            }
        }

        if (python is null && files.Any(f => f.Relative.EndsWith(".py", StringComparison.OrdinalIgnoreCase)))
        {
            warnings.Add($"{options.Python ?? "python3"} not found (or older than 3.8): Python files take the token-level path (conditions only, no backdoors or removed checks)");
        }

        if (python is not null && pythonFiles.Count > 0)
        {
            progress?.Report(new BugMakeProgress(0, options.Count, 0, $"parsing {pythonFiles.Count} Python files with {python.Python}"));
            foreach (var file in await python.FindSitesAsync(pythonFiles, options.Seed, cancellationToken))
            {
                if (file.Error is not null)
                {
                    unparsed.Add($"{file.Path}: {file.Error}");
                    texts.Remove(file.Path);
                    engines.Remove(file.Path);
                }
                else if (Included(file.Path))
                {
                    sitesByKind.AddAll(file.Path, file.Sites);
                }
            }
        }

        var random = new Random(options.Seed);
        var queues = sitesByKind.ToDictionary(p => p.Key, p => new Queue<(string File, MutationSite Site)>(Shuffle(p.Value, random)));
        var csharp = texts.Where(t => engines[t.Key] == Roslyn).Select(t => t.Key).ToList();
        var projects = ProjectsOf(root, csharp);
        var checks = new Dictionary<string, CompileCheck>(StringComparer.Ordinal);
        var pythonWarnings = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var stats = BugKinds.All.ToDictionary(k => k, k => new int[4]); // tried, not compiling, not caught, kept
        using var tests = options.TestCommand is { } command ? new TestCommand(root, command, options.TestTimeout ?? TimeSpan.FromMinutes(10)) : null;
        if (tests is not null)
        {
            progress?.Report(new BugMakeProgress(0, options.Count, 0, "running the test command on the unmodified source"));
            var baseline = await tests.RunAsync(cancellationToken);
            if (baseline.ExitCode != 0)
            {
                throw PlumblineException.BadInput($"--test-command: fails on the unmodified source ({(baseline.TimedOut ? "timed out" : $"exit {baseline.ExitCode}")}), so it cannot tell mutants apart; last output:\n{baseline.OutputTail.TrimEnd()}");
            }
        }

        var kept = new List<BugTask>();
        var tried = 0;
        while (kept.Count < options.Count && queues.Values.Any(q => q.Count > 0))
        {
            foreach (var kind in BugKinds.All)
            {
                if (kept.Count >= options.Count || queues[kind].Count == 0)
                {
                    continue;
                }

                cancellationToken.ThrowIfCancellationRequested();
                var (file, site) = queues[kind].Dequeue();
                tried++;
                stats[kind][0]++;
                progress?.Report(new BugMakeProgress(kept.Count, options.Count, tried, $"{kind.Name()} in {file}"));
                var task = MutantText.Apply(texts[file], file, site, $"t{kept.Count + 1:D3}", languages[file], engines[file]);
                if (!await IsValidAsync(file, task.Code))
                {
                    stats[kind][1]++;
                    continue;
                }

                if (tests is not null && (await tests.RunWithAsync(file, task.Code, cancellationToken)).ExitCode == 0)
                {
                    stats[kind][2]++;
                    continue;
                }

                stats[kind][3]++;
                kept.Add(task);
                progress?.Report(new BugMakeProgress(kept.Count, options.Count, tried, $"{kind.Name()} in {file}"));
            }
        }

        return new BugMakeResult(
            kept,
            [.. BugKinds.All.Select(k => new KindStats(k, sitesByKind[k].Count, stats[k][0], stats[k][1], stats[k][2], stats[k][3]))],
            files.Count,
            unparsed,
            tests is not null,
            warnings,
            engines.Values.GroupBy(e => e, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));

        async Task<bool> IsValidAsync(string file, string mutant)
        {
            switch (engines[file])
            {
                case Roslyn:
                    var project = projects[file];
                    if (!checks.TryGetValue(project, out var check))
                    {
                        check = new CompileCheck(csharp.Where(f => projects[f] == project).ToDictionary(f => f, f => texts[f], StringComparer.Ordinal));
                        checks[project] = check;
                    }

                    return check.Compiles(file, mutant, out _);
                case PythonEngine:
                    if (!pythonWarnings.TryGetValue(file, out var before))
                    {
                        before = [.. (await python!.CheckAsync(file, texts[file], cancellationToken)).Warnings];
                        pythonWarnings[file] = before;
                    }

                    var result = await python!.CheckAsync(file, mutant, cancellationToken);
                    return result.Ok && AddsNothing(before, result.Warnings);
                default:
                    return TokenMutator.Check(mutant, languages[file]) is null;
            }
        }
    }

    /// <summary>The source files under <paramref name="root"/> as (path relative with '/', full path), in ordinal order.</summary>
    internal static List<(string Relative, string Full)> SourceFiles(string root)
    {
        var found = new List<(string, string)>();
        Walk(root);
        found.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return found;

        void Walk(string folder)
        {
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                if (file.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) || TokenMutator.LanguageOf(file) is not null)
                {
                    found.Add((Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/'), file));
                }
            }

            foreach (var sub in Directory.EnumerateDirectories(folder))
            {
                if (!SkippedFolders.Contains(Path.GetFileName(sub)) && Path.GetFileName(sub) != "__pycache__")
                {
                    Walk(sub);
                }
            }
        }
    }

    private static bool AddsNothing(IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        var remaining = before.GroupBy(w => w, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var warning in after)
        {
            if (!remaining.TryGetValue(warning, out var count) || count == 0)
            {
                return false;
            }

            remaining[warning] = count - 1;
        }

        return true;
    }

    private static void AddAll(this Dictionary<BugKind, List<(string File, MutationSite Site)>> sitesByKind, string file, IEnumerable<MutationSite> sites)
    {
        foreach (var site in sites)
        {
            sitesByKind[site.Kind].Add((file, site));
        }
    }

    /// <summary>Each file's project: the nearest folder at or under the root that holds a .csproj (the root otherwise).</summary>
    private static Dictionary<string, string> ProjectsOf(string root, IEnumerable<string> relativeFiles)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var memo = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in relativeFiles)
        {
            var folder = Path.GetDirectoryName(Path.Combine(root, file))!;
            result[file] = ProjectFolder(folder);
        }

        return result;

        string ProjectFolder(string folder)
        {
            if (memo.TryGetValue(folder, out var known))
            {
                return known;
            }

            var project = Directory.EnumerateFiles(folder, "*.csproj").Any() || string.Equals(Path.TrimEndingDirectorySeparator(folder), Path.TrimEndingDirectorySeparator(root), StringComparison.Ordinal)
                ? folder
                : ProjectFolder(Path.GetDirectoryName(folder)!);
            memo[folder] = project;
            return project;
        }
    }

    private static List<T> Shuffle<T>(List<T> items, Random random)
    {
        var copy = new List<T>(items);
        for (var i = copy.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }

        return copy;
    }
}
