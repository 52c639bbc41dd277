using System.Text;
using System.Threading.Channels;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Capture.Watch;
using Plumbline.Storage;

namespace Plumbline.Capture.Watch;

public sealed record FolderRecorderOptions
{
    public required string Actor { get; init; }

    /// <summary>Document names are <c>PREFIX/relative/path</c> (default: the folder's name).</summary>
    public string? Prefix { get; init; }

    /// <summary>Patterns excluded on top of <see cref="PathFilter.Defaults"/>.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Files larger than this are not recorded (default 1 MiB).</summary>
    public long MaxFileBytes { get; init; } = 1024 * 1024;

    /// <summary>How long the folder must be quiet before changes are stored (default 100 ms).</summary>
    public TimeSpan Quiet { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Changes are stored at the latest this long after the first one, however busy the folder (default 1 s).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>What one flush stored.</summary>
public sealed record RecorderFlush(int Files, long Patches, IReadOnlyList<string> Documents, TimeSpan Lag);

/// <summary>
/// Records a folder: every save of a text file becomes one revision whose patches are the minimal diff
/// from the previous save, through the one ingest pipeline. Editors that save by writing a temporary
/// file and renaming it over the original are handled by looking at paths, not events: whatever the
/// events, a changed path is read and diffed against what it held before. A rename starts the new
/// document from the old text; a deletion empties the document.
/// </summary>
public sealed class FolderRecorder : IAsyncDisposable
{
    private readonly IRecorderSink _sink;
    private readonly TimeProvider _time;
    private readonly FolderRecorderOptions _options;
    private readonly PathFilter _filter;
    private readonly string _root;
    private readonly string _prefix;
    private readonly Dictionary<string, string> _known = new(StringComparer.Ordinal);
    private readonly Channel<(string Path, string? RenamedFrom)> _changes = Channel.CreateUnbounded<(string, string?)>();
    private FileSystemWatcher? _watcher;

    public FolderRecorder(ITraceStore store, TimeProvider time, string folder, FolderRecorderOptions options)
        : this(new StoreRecorderSink(store, time, options?.Actor ?? throw new ArgumentNullException(nameof(options))), time, folder, options)
    {
    }

    /// <summary>A recorder whose saves go to <paramref name="sink"/> (team mode: the server's API).</summary>
    public FolderRecorder(IRecorderSink sink, TimeProvider time, string folder, FolderRecorderOptions options)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(options);
        _sink = sink;
        _time = time;
        _options = options;
        _root = Path.GetFullPath(folder);
        if (!Directory.Exists(_root))
        {
            throw PlumblineException.BadInput($"DIR: {_root}: no such folder");
        }

        _prefix = options.Prefix ?? Path.GetFileName(_root.TrimEnd('/'));
        _filter = new PathFilter(options.Exclude);
    }

    /// <summary>Raised after every flush that stored something.</summary>
    public event Action<RecorderFlush>? Flushed;

    public IReadOnlyList<string> ExcludePatterns => _filter.Patterns;

    /// <summary>Stores the files as they are now (new documents, or a revision where a file changed since it was last recorded), then starts watching.</summary>
    public async Task<RecorderFlush> StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (name, text) in await _sink.DocumentsAsync(_prefix, cancellationToken))
        {
            _known[name[(_prefix.Length + 1)..]] = text;
        }

        _watcher = new FileSystemWatcher(_root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            InternalBufferSize = 64 * 1024,
        };
        _watcher.Changed += (_, e) => Mark(e.FullPath);
        _watcher.Created += (_, e) => Mark(e.FullPath);
        _watcher.Deleted += (_, e) => Mark(e.FullPath);
        _watcher.Renamed += (_, e) => Mark(e.FullPath, e.OldFullPath);
        _watcher.Error += (_, _) => MarkEverything();
        _watcher.EnableRaisingEvents = true;

        var paths = Directory.EnumerateFiles(_root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Select(Relative)
            .Concat(_known.Keys)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return await FlushAsync(paths.Select(p => (p, (string?)null)).ToList(), initial: true, _time.GetTimestamp(), cancellationToken);
    }

    /// <summary>Records until <paramref name="cancellationToken"/> fires, then stores what was seen and returns.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var pending = new List<(string Path, string? RenamedFrom)>();
        long first = 0;
        try
        {
            while (true)
            {
                if (pending.Count == 0)
                {
                    pending.Add(await _changes.Reader.ReadAsync(cancellationToken));
                    first = _time.GetTimestamp();
                }

                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var wait = Min(_options.Quiet, _options.MaxDelay - _time.GetElapsedTime(first));
                quiet.CancelAfter(wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
                try
                {
                    pending.Add(await _changes.Reader.ReadAsync(quiet.Token));
                    while (_changes.Reader.TryRead(out var more))
                    {
                        pending.Add(more);
                    }

                    if (_time.GetElapsedTime(first) < _options.MaxDelay)
                    {
                        continue;
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // quiet long enough
                }

                await FlushAsync(pending, initial: false, first, cancellationToken);
                pending.Clear();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            while (_changes.Reader.TryRead(out var more))
            {
                pending.Add(more);
            }

            if (pending.Count > 0)
            {
                await FlushAsync(pending, initial: false, first, CancellationToken.None);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _watcher?.Dispose();
        return ValueTask.CompletedTask;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private void Mark(string fullPath, string? oldFullPath = null)
    {
        if (Directory.Exists(fullPath))
        {
            // A folder appeared or moved: everything under it is new to us.
            foreach (var file in Directory.EnumerateFiles(fullPath, "*", SearchOption.AllDirectories))
            {
                _changes.Writer.TryWrite((Relative(file), null));
            }

            return;
        }

        if (oldFullPath is not null)
        {
            _changes.Writer.TryWrite((Relative(oldFullPath), null));
        }

        _changes.Writer.TryWrite((Relative(fullPath), oldFullPath is null ? null : Relative(oldFullPath)));
    }

    private void MarkEverything()
    {
        foreach (var file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
        {
            _changes.Writer.TryWrite((Relative(file), null));
        }

        foreach (var known in _known.Keys.ToList())
        {
            _changes.Writer.TryWrite((known, null));
        }
    }

    private string Relative(string fullPath) => Path.GetRelativePath(_root, fullPath).Replace('\\', '/');

    private async Task<RecorderFlush> FlushAsync(List<(string Path, string? RenamedFrom)> changes, bool initial, long since, CancellationToken cancellationToken)
    {
        var renamedFrom = changes.Where(c => c.RenamedFrom is not null).GroupBy(c => c.Path).ToDictionary(g => g.Key, g => g.Last().RenamedFrom!, StringComparer.Ordinal);
        var paths = changes.Select(c => c.Path).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var batches = new List<EditBatch>();
        var after = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (_filter.ExcludedBy(path) is not null)
            {
                continue;
            }

            var content = ReadText(Path.Combine(_root, path));
            var had = _known.TryGetValue(path, out var before);
            if (content is null)
            {
                if (had && !File.Exists(Path.Combine(_root, path)) && before!.Length > 0)
                {
                    batches.Add(Batch(path, null, before, EditTransaction.ToText(now, "")));
                    after[path] = "";
                }

                continue;
            }

            if (!had)
            {
                var start = initial ? content
                    : renamedFrom.TryGetValue(path, out var old) && (_known.GetValueOrDefault(old) ?? after.GetValueOrDefault(old)) is { } oldText ? oldText
                    : "";
                batches.Add(Batch(path, start, null, start == content ? null : EditTransaction.ToText(now, content)));
                after[path] = content;
            }
            else if (content != before)
            {
                batches.Add(Batch(path, null, before, EditTransaction.ToText(now, content)));
                after[path] = content;
            }
        }

        if (batches.Count == 0)
        {
            return new RecorderFlush(0, 0, [], TimeSpan.Zero);
        }

        var results = await _sink.IngestAsync(batches, cancellationToken);
        foreach (var (path, text) in after)
        {
            _known[path] = text!;
        }

        var flush = new RecorderFlush(batches.Count, results.Sum(r => r.Patches), batches.Select(b => b.Document).ToList(), _time.GetElapsedTime(since));
        Flushed?.Invoke(flush);
        return flush;
    }

    private EditBatch Batch(string path, string? start, string? sourceBefore, EditTransaction? transaction) => new()
    {
        Document = $"{_prefix}/{path}",
        StartContent = start,
        SourceStartContent = sourceBefore,
        Transactions = transaction is null ? [] : [transaction],
        Actor = _options.Actor,
        BatchId = $"watch:{_prefix}/{path}:{Guid.NewGuid():N}",
        Locate = (_, _) => Path.Combine(_root, path),
    };

    /// <summary>The file's text, or null when it is gone, unreadable, too large, a link, or binary (a NUL byte or invalid UTF-8).</summary>
    private string? ReadText(string fullPath)
    {
        try
        {
            var info = new FileInfo(fullPath);
            if (!info.Exists || info.Length > _options.MaxFileBytes || info.LinkTarget is not null)
            {
                return null;
            }

            var bytes = File.ReadAllBytes(fullPath);
            if (bytes.AsSpan().Contains((byte)0))
            {
                return null;
            }

            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            return null;
        }
    }
}
