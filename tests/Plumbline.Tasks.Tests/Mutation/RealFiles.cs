namespace Plumbline.Tasks.Tests.Mutation;

/// <summary>Real source files of other languages installed on this machine: Python's standard library and npm's bundled packages.</summary>
internal static class RealFiles
{
    /// <summary>The system python3 (the one <c>plumb</c> finds on PATH).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>A small pure-Python module of the standard library (colorsys.py of the system python3).</summary>
    public static string Colorsys => Find("/usr/lib", "python3*", "colorsys.py");

    /// <summary>A real JavaScript file: semver's Range class, bundled with npm.</summary>
    public static string SemverRange => Existing("/usr/lib/node_modules/npm/node_modules/semver/classes/range.js");

    /// <summary>node, to check that JavaScript mutants still parse.</summary>
    public static string Node => Existing("/usr/bin/node");

    private static string Find(string root, string pattern, string file) =>
        Directory.EnumerateDirectories(root, pattern).Select(d => Path.Combine(d, file)).Where(File.Exists).Order(StringComparer.Ordinal).FirstOrDefault()
        ?? throw new FileNotFoundException($"no {root}/{pattern}/{file} on this machine");

    private static string Existing(string path) => File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not on this machine");
}
