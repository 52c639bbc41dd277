using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plumbline.Cli.Infrastructure;

namespace Plumbline.Cli.Commands.Probes;

/// <summary>The <c>run</c> block of a report and the atomic file writes the probe verbs share.</summary>
internal static class ProbeRun
{
    private static readonly JsonSerializerOptions Indented = new(CliContext.JsonOptions) { WriteIndented = true };

    public static string Version => typeof(ProbeRun).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";

    /// <summary>plumb version, command line, seeds, model references and the sha256 of every input file.</summary>
    public static JsonObject Block(CliContext context, string verb, IEnumerable<string> inputs, IEnumerable<string> models, int seed) => new()
    {
        ["plumb_version"] = Version,
        ["command_line"] = "plumb " + verb + " " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1).SkipWhile(a => a != verb.Split(' ')[^1]).Skip(1).Select(Quote)),
        ["started_utc"] = context.Time.GetUtcNow().ToString("O"),
        ["seeds"] = new JsonObject { ["run"] = seed },
        ["models"] = new JsonArray([.. models.Select(m => (JsonNode?)JsonValue.Create(m))]),
        ["inputs"] = new JsonArray([.. inputs.Select(path => (JsonNode?)new JsonObject { ["path"] = path, ["sha256"] = Sha256(path) })]),
    };

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static string ToJson(JsonNode node) => node.ToJsonString(Indented);

    /// <summary>Writes every file or none: each goes to a temporary name in its folder first.</summary>
    public static void WriteAll(params (string Path, string Text)[] files)
    {
        var staged = new List<(string Temp, string Path)>();
        try
        {
            foreach (var (path, text) in files)
            {
                var full = Path.GetFullPath(path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                var temp = full + ".tmp-" + Environment.ProcessId;
                File.WriteAllText(temp, text, new UTF8Encoding(false));
                staged.Add((temp, full));
            }

            foreach (var (temp, path) in staged)
            {
                File.Move(temp, path, overwrite: true);
            }
        }
        finally
        {
            foreach (var (temp, _) in staged)
            {
                if (File.Exists(temp))
                {
                    File.Delete(temp);
                }
            }
        }
    }

    private static string Quote(string arg) => arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./:@=,".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
