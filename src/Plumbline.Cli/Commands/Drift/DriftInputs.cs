using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Plumbline.Core;
using Plumbline.Core.Supervision.Drift;

namespace Plumbline.Cli.Commands.Drift;

/// <summary>Reading the files of the drift commands, and the run block of their reports.</summary>
internal static class DriftInputs
{
    /// <summary>A read input: its texts (or samples), its name and its sha256.</summary>
    public sealed record Input(string Path, string Name, string Sha256, IReadOnlyList<SampleLine> Samples)
    {
        public IReadOnlyList<string> Texts => Samples.Select(s => s.Response).ToArray();
    }

    /// <summary>
    /// Reads texts: a <c>.jsonl</c> file in the samples contract (its <c>response</c> fields; for a
    /// corpus or reference also <c>text</c> or <c>statement</c>, as in the anthropics/evals persona
    /// files), or any other file as plain text with one text per non-empty line.
    /// </summary>
    /// <exception cref="PlumblineException">BadInput naming the option, the file and the line.</exception>
    public static Input ReadTexts(FileInfo file, string option, bool corpus = false)
    {
        if (!file.Exists)
        {
            throw PlumblineException.BadInput($"{option}: {file.FullName}: no such file");
        }

        var bytes = File.ReadAllBytes(file.FullName);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw PlumblineException.BadInput($"{option}: {file.Name}: not UTF-8 text");
        }

        text = text.TrimStart('\uFEFF');
        IReadOnlyList<SampleLine> samples = file.Extension.Equals(".jsonl", StringComparison.OrdinalIgnoreCase)
            ? SampleLines.Parse(text, file.Name, corpus ? ["response", "text", "statement"] : null)
            : text.Split('\n').Select((line, i) => (line: line.TrimEnd('\r'), i)).Where(p => p.line.Trim().Length > 0).Select(p => new SampleLine($"{file.Name}:{p.i + 1}", null, null, p.line, p.i + 1)).ToArray();
        if (samples.Count < 2)
        {
            throw PlumblineException.BadInput($"{option}: {file.Name}: needs at least 2 texts (has {samples.Count})");
        }

        return new Input(file.FullName, file.Name, Convert.ToHexStringLower(SHA256.HashData(bytes)), samples);
    }

    /// <summary>Reads and parses a gate file.</summary>
    public static (Gate Gate, string Sha256) ReadGate(FileInfo? file, IReadOnlyCollection<string> computed)
    {
        if (file is null)
        {
            return (Gate.None, string.Empty);
        }

        if (!file.Exists)
        {
            throw PlumblineException.BadInput($"--gate: {file.FullName}: no such file");
        }

        var bytes = File.ReadAllBytes(file.FullName);
        var gate = Gate.Parse(Encoding.UTF8.GetString(bytes), file.Name, DriftMetrics.Names);
        foreach (var condition in gate.Conditions.Where(c => !computed.Contains(c.Metric)))
        {
            var need = DriftMetrics.All.First(m => m.Name == condition.Metric).Requires == MetricRequirement.Probes ? "it needs --probes" : "it needs clustering (--clusters 2 or more)";
            throw PlumblineException.BadInput($"{file.Name}: line {condition.Line}: metric '{condition.Metric}' is not computed in this run ({need})");
        }

        return (gate, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>Reads probe files.</summary>
    public static IReadOnlyList<(string Name, string Sha256, IReadOnlyList<ProbeItem> Items)> ReadProbes(IReadOnlyList<FileInfo> files)
    {
        var result = new List<(string, string, IReadOnlyList<ProbeItem>)>();
        foreach (var file in files)
        {
            if (!file.Exists)
            {
                throw PlumblineException.BadInput($"--probes: {file.FullName}: no such file");
            }

            var bytes = File.ReadAllBytes(file.FullName);
            result.Add((file.Name, Convert.ToHexStringLower(SHA256.HashData(bytes)), ProbeFile.Parse(Encoding.UTF8.GetString(bytes), file.Name)));
        }

        return result;
    }

    /// <summary>The output folder: created if missing; refused if it is a file.</summary>
    public static DirectoryInfo PrepareOut(DirectoryInfo directory)
    {
        if (File.Exists(directory.FullName))
        {
            throw PlumblineException.BadInput($"--out: {directory.FullName} is a file, not a folder");
        }

        directory.Create();
        return directory;
    }

    /// <summary>The run block every report carries.</summary>
    public static ReportRun Run(IReadOnlyDictionary<string, int> seeds, IReadOnlyDictionary<string, string> models, IReadOnlyDictionary<string, string> inputs) =>
        new(Version, CommandLine(), seeds, models, inputs);

    public static string Version { get; } =
        typeof(DriftInputs).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static string CommandLine()
    {
        var args = Environment.GetCommandLineArgs().Skip(1).Select(a => a.Length == 0 || a.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '*') ? "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'" : a);
        return string.Join(' ', ["plumb", .. args]);
    }
}
