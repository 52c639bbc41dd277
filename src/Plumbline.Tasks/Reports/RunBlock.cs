using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Plumbline.Tasks.Reports;

/// <summary>
/// The DESIGN <c>run</c> block of a report: plumb version, command line, seeds, model references and
/// the sha256 of every input file, so the result can be reproduced.
/// </summary>
public static class RunBlock
{
    /// <summary>Builds the block.</summary>
    public static JsonObject Create(IReadOnlyList<string> commandLine, IReadOnlyDictionary<string, long> seeds, IReadOnlyDictionary<string, string> models, IEnumerable<string> inputFiles, DateTimeOffset startedUtc)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(inputFiles);
        var inputs = new JsonArray();
        foreach (var file in inputFiles)
        {
            using var stream = File.OpenRead(file);
            inputs.Add(new JsonObject { ["path"] = file, ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(stream)) });
        }

        var version = Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(RunBlock).Assembly.GetName().Version?.ToString() ?? "unknown";
        return new JsonObject
        {
            ["plumb_version"] = version,
            ["command_line"] = new JsonArray([.. commandLine.Select(a => (JsonNode?)JsonValue.Create(a))]),
            ["started_utc"] = startedUtc.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["seeds"] = new JsonObject([.. seeds.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)JsonValue.Create(s.Value)))]),
            ["models"] = new JsonObject([.. models.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)JsonValue.Create(m.Value)))]),
            ["inputs"] = inputs,
        };
    }

    /// <summary>The sha256 of a text (UTF-8), lower-case hex.</summary>
    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
