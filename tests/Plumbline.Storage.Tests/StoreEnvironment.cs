using Plumbline.Core.Capture;
using Plumbline.Core.Consent;
using Plumbline.Core.Text;
using Plumbline.Storage.Consent;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Ingest;

namespace Plumbline.Storage.Tests;

/// <summary>A real SQLite store in a fresh folder, a manual clock, and the services on top.</summary>
internal sealed class StoreEnvironment : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();

    public StoreEnvironment(StoreOptions? options = null)
    {
        Options = options ?? StoreOptions.Default;
        Path = _directory.File("plumbline.db");
        Store = TraceStores.Open(Path);
        Contributors = new ContributorService(Store, Clock);
        Edits = new EditIngest(Store, Clock, Options);
        Comments = new CommentIngest(Store, Clock);
    }

    public string Path { get; }

    public ManualClock Clock { get; } = new();

    public StoreOptions Options { get; }

    public ITraceStore Store { get; }

    public ContributorService Contributors { get; }

    public EditIngest Edits { get; }

    public CommentIngest Comments { get; }

    public string Folder => _directory.Path;

    public async Task<Contributor> AddConsentingAsync(string name, string uses = "research,training", string sources = "documents", DateOnly? embargo = null)
    {
        var contributor = await Contributors.AddAsync(name, default);
        await Contributors.SetConsentAsync(
            name,
            new ConsentTerms(ConsentTerms.ParseSources(sources, "sources"), ConsentTerms.ParseUses(uses, "uses"), embargo),
            null,
            "test",
            default);
        return contributor;
    }

    public static EditBatch Batch(string document, string actor, string start, params EditTransaction[] transactions) => new()
    {
        Document = document,
        StartContent = start,
        Transactions = transactions,
        Actor = actor,
        BatchId = Guid.NewGuid().ToString("N"),
    };

    public static EditTransaction Txn(long time, params (int Position, int Delete, string Insert)[] patches) =>
        new(time, patches.Select(p => new Patch(p.Position, p.Delete, p.Insert)).ToArray());

    public async Task<string> ReplayAsync(string document, int? revision = null)
    {
        await using var session = await Store.OpenAsync(write: false, default);
        var info = await DocumentReader.RequireAsync(session, document, default);
        return (await DocumentReader.LoadAsync(session, info, revision ?? info.Revisions, default)).ToString();
    }

    public async Task<DocumentInfo?> DocumentAsync(string name)
    {
        await using var session = await Store.OpenAsync(write: false, default);
        return await session.FindDocumentAsync(name, default);
    }

    public async Task<T> ReadAsync<T>(Func<IStoreSession, Task<T>> read)
    {
        await using var session = await Store.OpenAsync(write: false, default);
        return await read(session);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _directory.Dispose();
    }
}
