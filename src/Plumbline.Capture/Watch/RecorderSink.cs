using Plumbline.Core.Capture;
using Plumbline.Core.Consent;
using Plumbline.Storage;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Ingest;

namespace Plumbline.Capture.Watch;

/// <summary>Where a <see cref="FolderRecorder"/>'s saves go: a local store's ingest pipeline, or (team mode) the server's.</summary>
public interface IRecorderSink
{
    /// <summary>The current text of every documents-source document named <c>PREFIX/…</c> that the actor has (checks the actor may record).</summary>
    Task<IReadOnlyDictionary<string, string>> DocumentsAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Stores the batches (whole-text transactions), in order.</summary>
    Task<IReadOnlyList<IngestResult>> IngestAsync(IReadOnlyList<EditBatch> batches, CancellationToken cancellationToken);
}

/// <summary>The local store: every flush is one transaction of the ingest pipeline.</summary>
internal sealed class StoreRecorderSink(ITraceStore store, TimeProvider time, string actor) : IRecorderSink
{
    public async Task<IReadOnlyDictionary<string, string>> DocumentsAsync(string prefix, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        ConsentGate.RequireActor(await ContributorLookup.RequireAsync(session, actor, "--as", cancellationToken), SourceKind.Documents);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var document in await session.ListDocumentsAsync(cancellationToken))
        {
            if (document.Source == SourceKind.Documents && document.Name.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                texts[document.Name] = (await DocumentReader.LoadAsync(session, document, document.Revisions, cancellationToken)).ToString();
            }
        }

        return texts;
    }

    public Task<IReadOnlyList<IngestResult>> IngestAsync(IReadOnlyList<EditBatch> batches, CancellationToken cancellationToken) =>
        new EditIngest(store, time).IngestAsync(batches, null, null, cancellationToken);
}
