using System.Globalization;
using Plumbline.Core;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Plumbline.Models;

/// <summary>
/// Reads the <c>models:</c> mapping of plumbline.yaml. Each entry: <c>ref</c> (required) and the
/// optional <c>api_key_env</c>, <c>max_concurrency</c>, <c>timeout_seconds</c>, <c>max_retries</c>,
/// <c>retry_base_seconds</c>, <c>dimensions</c>, <c>seed</c>. Relative builtin paths are taken from
/// the file's folder. Other top-level sections belong to other features and are left alone.
/// </summary>
internal static class CatalogFile
{
    private static readonly string[] Keys = ["ref", "api_key_env", "max_concurrency", "timeout_seconds", "max_retries", "retry_base_seconds", "dimensions", "seed"];

    public static Dictionary<string, ModelSettings> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw PlumblineException.NotFound($"{path}: no such file");
        }

        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlException e)
        {
            throw PlumblineException.BadInput($"{path}:{e.Start.Line}: {e.Message}");
        }

        var result = new Dictionary<string, ModelSettings>(StringComparer.Ordinal);
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            return result;
        }

        if (!root.Children.TryGetValue(new YamlScalarNode("models"), out var modelsNode))
        {
            return result;
        }

        if (modelsNode is not YamlMappingNode models)
        {
            throw PlumblineException.BadInput($"{path}:{modelsNode.Start.Line}: 'models' must be a mapping of names to settings");
        }

        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        foreach (var (keyNode, valueNode) in models.Children)
        {
            var name = ((YamlScalarNode)keyNode).Value ?? string.Empty;
            if (ModelReference.IsAdHoc(name) || name.Length == 0)
            {
                throw PlumblineException.BadInput($"{path}:{keyNode.Start.Line}: model name '{name}' may not be empty or start with openai: or builtin:");
            }

            if (valueNode is YamlScalarNode shorthand)
            {
                result[name] = new ModelSettings { Name = name, Reference = ParseReference(shorthand, path, folder) };
                continue;
            }

            if (valueNode is not YamlMappingNode entry)
            {
                throw PlumblineException.BadInput($"{path}:{valueNode.Start.Line}: model '{name}' must be a reference or a mapping with 'ref'");
            }

            result[name] = ReadEntry(name, entry, path, folder);
        }

        return result;
    }

    private static ModelSettings ReadEntry(string name, YamlMappingNode entry, string path, string folder)
    {
        var values = new Dictionary<string, YamlScalarNode>(StringComparer.Ordinal);
        foreach (var (k, v) in entry.Children)
        {
            var key = ((YamlScalarNode)k).Value ?? string.Empty;
            if (!Keys.Contains(key))
            {
                throw PlumblineException.BadInput($"{path}:{k.Start.Line}: model '{name}': unknown key '{key}' (known: {string.Join(", ", Keys)})");
            }

            values[key] = v as YamlScalarNode ?? throw PlumblineException.BadInput($"{path}:{v.Start.Line}: model '{name}': '{key}' must be a single value");
        }

        if (!values.TryGetValue("ref", out var refNode))
        {
            throw PlumblineException.BadInput($"{path}:{entry.Start.Line}: model '{name}': 'ref' is required");
        }

        var settings = new ModelSettings { Name = name, Reference = ParseReference(refNode, path, folder) };
        if (values.TryGetValue("api_key_env", out var env))
        {
            if (string.IsNullOrWhiteSpace(env.Value))
            {
                throw PlumblineException.BadInput($"{path}:{env.Start.Line}: model '{name}': api_key_env must name an environment variable");
            }

            settings = settings with { ApiKeyVariable = env.Value!, ApiKeyRequired = true };
        }

        if (values.TryGetValue("max_concurrency", out var c))
        {
            settings = settings with { MaxConcurrency = Integer(c, name, "max_concurrency", path, 1, 1024) };
        }

        if (values.TryGetValue("timeout_seconds", out var t))
        {
            settings = settings with { Timeout = TimeSpan.FromSeconds(Number(t, name, "timeout_seconds", path, 0.001, 86_400)) };
        }

        if (values.TryGetValue("max_retries", out var r))
        {
            settings = settings with { MaxRetries = Integer(r, name, "max_retries", path, 0, 100) };
        }

        if (values.TryGetValue("retry_base_seconds", out var b))
        {
            settings = settings with { RetryBaseDelay = TimeSpan.FromSeconds(Number(b, name, "retry_base_seconds", path, 0, 3600)) };
        }

        if (values.TryGetValue("dimensions", out var d))
        {
            settings = settings with { Dimensions = Integer(d, name, "dimensions", path, 1, 4096) };
        }

        if (values.TryGetValue("seed", out var s))
        {
            settings = settings with { Seed = Integer(s, name, "seed", path, int.MinValue, int.MaxValue) };
        }

        return settings;
    }

    private static ModelReference ParseReference(YamlScalarNode node, string path, string folder)
    {
        ModelReference reference;
        try
        {
            reference = ModelReference.Parse(node.Value ?? string.Empty);
        }
        catch (PlumblineException e)
        {
            throw PlumblineException.BadInput($"{path}:{node.Start.Line}: {e.Message}");
        }

        return reference.Path is { } p && !System.IO.Path.IsPathRooted(p)
            ? reference with { Path = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, p)) }
            : reference;
    }

    private static int Integer(YamlScalarNode node, string name, string key, string path, int min, int max)
    {
        if (!int.TryParse(node.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw PlumblineException.BadInput($"{path}:{node.Start.Line}: model '{name}': {key} must be an integer from {min} to {max} (was '{node.Value}')");
        }

        return value;
    }

    private static double Number(YamlScalarNode node, string name, string key, string path, double min, double max)
    {
        if (!double.TryParse(node.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw PlumblineException.BadInput($"{path}:{node.Start.Line}: model '{name}': {key} must be a number from {min} to {max} (was '{node.Value}')");
        }

        return value;
    }
}
