using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Plumbline.Bench.Models;

/// <summary>Real text for the benchmark, from ../shared/realdata (see its MANIFEST.md).</summary>
internal static class Corpus
{
    /// <summary>Every question/statement of anthropic-evals (one text each, newlines kept as spaces) and the final text of each editing trace, split into paragraphs.</summary>
    public static (List<string> Texts, string Sources) Texts(string realdata)
    {
        var texts = new List<string>();
        var evals = Path.Combine(realdata, "anthropic-evals");
        if (!Directory.Exists(evals))
        {
            throw new InvalidOperationException($"{evals} is absent: the benchmark needs ../shared/realdata");
        }

        foreach (var file in Directory.GetFiles(evals, "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(file))
            {
                using var doc = JsonDocument.Parse(line);
                foreach (var key in new[] { "question", "statement" })
                {
                    if (doc.RootElement.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String)
                    {
                        texts.Add(Flatten(v.GetString()!));
                    }
                }
            }
        }

        var traces = Path.Combine(realdata, "editing-traces");
        foreach (var file in Directory.Exists(traces) ? Directory.GetFiles(traces, "*.json.gz").Order(StringComparer.Ordinal).ToArray() : [])
        {
            using var gz = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
            using var doc = JsonDocument.Parse(gz);
            if (doc.RootElement.TryGetProperty("endContent", out var end))
            {
                texts.AddRange(end.GetString()!.Split("\n\n").Select(Flatten).Where(p => p.Length > 0));
            }
        }

        return (texts, "anthropic-evals *.jsonl questions and statements; editing-traces endContent paragraphs");
    }

    /// <summary>The texts in order, repeated until the total reaches <paramref name="bytes"/>.</summary>
    public static List<string> ToSize(List<string> texts, long bytes)
    {
        var result = new List<string>();
        long total = 0;
        for (var i = 0; total < bytes; i++)
        {
            var t = texts[i % texts.Count];
            result.Add(t);
            total += Encoding.UTF8.GetByteCount(t) + 1;
        }

        return result;
    }

    /// <summary>Distinct non-blank lines of the original texts (short texts, like samples).</summary>
    public static List<string> Lines(List<string> texts)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return texts.SelectMany(t => t.Split(" ¶ ")).Select(l => l.Trim()).Where(l => l.Length > 0 && seen.Add(l)).ToList();
    }

    private static string Flatten(string text) => string.Join(" ¶ ", text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
}
