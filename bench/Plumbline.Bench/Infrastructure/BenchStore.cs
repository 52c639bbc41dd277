using Plumbline.Core.Capture;
using Plumbline.Core.Consent;
using Plumbline.Storage;
using Plumbline.Storage.Consent;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Ingest;

namespace Plumbline.Bench.Infrastructure;

/// <summary>An in-process SQLite store on disk holding one trace, ingested through the real pipeline.</summary>
internal sealed class BenchStore : IAsyncDisposable
{
    private BenchStore(string path, ITraceStore store, DocumentInfo document, double ingestMilliseconds, GcDelta ingestGc)
    {
        IngestGc = ingestGc;
        Path = path;
        Store = store;
        Document = document;
        IngestMilliseconds = ingestMilliseconds;
    }

    public string Path { get; }

    public ITraceStore Store { get; }

    public DocumentInfo Document { get; }

    /// <summary>Wall time of <see cref="EditIngest.IngestAsync"/> (validate, encode, compress, write, commit).</summary>
    public double IngestMilliseconds { get; }

    /// <summary>Collections and GC pause time during the ingest.</summary>
    public GcDelta IngestGc { get; }

    /// <summary>A fresh store in <paramref name="folder"/> holding <paramref name="trace"/> as document <c>trace.Name</c>.</summary>
    public static async Task<BenchStore> CreateAsync(string folder, TraceFile trace, StoreOptions options, CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Combine(folder, "store.db");
        var store = await OpenWithContributorAsync(path, cancellationToken);

        var batch = new EditBatch
        {
            Document = trace.Name,
            StartContent = trace.Trace.StartContent,
            Transactions = trace.Trace.Transactions,
            Actor = PlumbCli.Contributor,
            BatchId = $"bench:{trace.Name}",
            ExpectedEnd = trace.Trace.EndContent,
        };
        var gc = GcDelta.Start();
        var start = Clock.Now();
        // This benchmark measures the store, so the stored text must be the trace's; redaction's own cost
        // is measured in bench/Plumbline.Bench.Capture (`redaction`).
        var result = await new EditIngest(store, TimeProvider.System, options with { Redact = false }).IngestAsync(batch, null, cancellationToken);
        var elapsed = Clock.MillisecondsSince(start);
        var ingestGc = gc.Stop();
        if (result.Patches != trace.PatchCount)
        {
            throw new InvalidOperationException($"{trace.Name}: ingest stored {result.Patches} patches, the trace has {trace.PatchCount}");
        }

        await using var session = await store.OpenAsync(write: false, cancellationToken);
        var document = await DocumentReader.RequireAsync(session, trace.Name, cancellationToken);
        return new BenchStore(path, store, document, elapsed, ingestGc);
    }

    /// <summary>A fresh store file at <paramref name="path"/> with one contributor who consented to documents, for <c>plumb import</c>.</summary>
    public static async Task<string> CreateEmptyAsync(string path, CancellationToken cancellationToken)
    {
        await using var store = await OpenWithContributorAsync(path, cancellationToken);
        return path;
    }

    /// <summary>Opens a read session, replays <paramref name="revision"/> and returns its text: what one reader request costs.</summary>
    public async Task<string> LoadTextAsync(int revision, CancellationToken cancellationToken)
    {
        await using var session = await Store.OpenAsync(write: false, cancellationToken);
        var buffer = await DocumentReader.LoadAsync(session, Document, revision, cancellationToken);
        return buffer.ToString();
    }

    /// <summary>The same as <see cref="LoadTextAsync"/> through the bench's streaming-decode prototype.</summary>
    public async Task<string> LoadTextStreamingAsync(int revision, CancellationToken cancellationToken)
    {
        await using var session = await Store.OpenAsync(write: false, cancellationToken);
        return await Experiments.StreamingReplay.LoadTextAsync(session, Document, revision, cancellationToken);
    }

    /// <summary>Bytes on disk after the WAL was folded in: db + wal, split into chunk payloads, snapshot payloads and the rest.</summary>
    public async Task<DiskSize> MeasureAsync(CancellationToken cancellationToken)
    {
        var footprint = await Store.FootprintAsync(cancellationToken);
        var name = System.IO.Path.GetFileName(Path);
        var db = footprint.Files.GetValueOrDefault(name);
        var wal = footprint.Files.GetValueOrDefault(name + "-wal");
        var shm = footprint.Files.GetValueOrDefault(name + "-shm");
        return new DiskSize(
            db,
            wal,
            shm,
            footprint.Objects.GetValueOrDefault("edit_chunks.data"),
            footprint.Objects.GetValueOrDefault("snapshots.data"));
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();

    private static async Task<ITraceStore> OpenWithContributorAsync(string path, CancellationToken cancellationToken)
    {
        var store = TraceStores.Open(path);
        var people = new ContributorService(store, TimeProvider.System);
        await people.AddAsync(PlumbCli.Contributor, cancellationToken);
        var terms = new ConsentTerms(new HashSet<SourceKind> { SourceKind.Documents }, new HashSet<DataUse>(Enum.GetValues<DataUse>()), null);
        await people.SetConsentAsync(PlumbCli.Contributor, terms, null, "bench", cancellationToken);
        return store;
    }
}

/// <summary>Bytes of a store. <see cref="Total"/> is db + wal; the -shm index is shared memory, not data, and is left out.</summary>
internal sealed record DiskSize(long Database, long Wal, long Shm, long Chunks, long Snapshots)
{
    public long Total => Database + Wal;

    public long Other => Total - Chunks - Snapshots;
}
