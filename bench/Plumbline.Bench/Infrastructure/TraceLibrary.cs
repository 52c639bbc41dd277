using Plumbline.Core.Capture.Traces;

namespace Plumbline.Bench.Infrastructure;

/// <summary>A real editing trace, parsed once per run.</summary>
internal sealed record TraceFile(string Name, string Path, EditingTrace Trace)
{
    public string EndContent => Trace.EndContent ?? throw new InvalidOperationException($"{Name} has no endContent");

    public int PatchCount => Trace.PatchCount;

    /// <summary>The final text's size in UTF-8 bytes (what "bytes on disk ÷ text size" divides by).</summary>
    public long EndBytes => System.Text.Encoding.UTF8.GetByteCount(EndContent);
}

/// <summary>The josephg/editing-traces files under <c>../shared/realdata/editing-traces</c>.</summary>
internal sealed class TraceLibrary(string folder)
{
    public static readonly string[] All = ["automerge-paper", "seph-blog1", "rustcode", "sveltecomponent"];

    private readonly Dictionary<string, TraceFile> _loaded = [];

    public string Folder => folder;

    public TraceFile Get(string name)
    {
        if (_loaded.TryGetValue(name, out var loaded))
        {
            return loaded;
        }

        var path = System.IO.Path.Combine(folder, name + ".json.gz");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: the benchmark needs the real traces in ../shared/realdata/editing-traces");
        }

        var trace = EditingTraceReader.Parse(File.ReadAllBytes(path), System.IO.Path.GetFileName(path), 0);
        return _loaded[name] = new TraceFile(name, path, trace);
    }
}
