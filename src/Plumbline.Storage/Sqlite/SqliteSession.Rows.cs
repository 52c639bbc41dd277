using System.Data.Common;
using Plumbline.Core.Capture;
using Plumbline.Core.Consent;
using Plumbline.Storage.Keys;

using static Plumbline.Storage.StoreRows;

namespace Plumbline.Storage.Sqlite;

internal sealed partial class SqliteSession
{

    public Task<Contributor?> FindContributorAsync(string nameOrId, CancellationToken cancellationToken) =>
        QuerySingleAsync(
            $"SELECT {ContributorColumns} FROM contributors WHERE name = $name OR CAST(id AS TEXT) = $name ORDER BY name = $name DESC LIMIT 1",
            ReadContributor,
            cancellationToken,
            ("$name", nameOrId));

    public Task<Contributor?> GetContributorAsync(long id, CancellationToken cancellationToken) =>
        QuerySingleAsync($"SELECT {ContributorColumns} FROM contributors WHERE id = $id", ReadContributor, cancellationToken, ("$id", id));

    public async Task<IReadOnlyList<Contributor>> ListContributorsAsync(CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {ContributorColumns} FROM contributors ORDER BY id", ReadContributor, cancellationToken);

    public async Task<IReadOnlyList<ConsentRecord>> ConsentHistoryAsync(long contributorId, CancellationToken cancellationToken) =>
        await QueryAsync(
            $"SELECT {ConsentColumns} FROM consent_records WHERE contributor_id = $id ORDER BY version",
            ReadConsent,
            cancellationToken,
            ("$id", contributorId));

    public async Task<IReadOnlyList<PauseInterval>> PausesAsync(long contributorId, CancellationToken cancellationToken) =>
        await QueryAsync(
            "SELECT id, contributor_id, started_at, ended_at FROM pauses WHERE contributor_id = $id ORDER BY started_at",
            ReadPause,
            cancellationToken,
            ("$id", contributorId));

    public async Task<IReadOnlyList<string>> TermsAsync(long contributorId, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT term FROM contributor_terms WHERE contributor_id = $id", r => SealedRows.OpenTerm(_keys, contributorId, (byte[])r.GetValue(0)), cancellationToken, ("$id", contributorId)))
            .Order(StringComparer.Ordinal)
            .ToList();

    public Task<DocumentInfo?> FindDocumentAsync(string name, CancellationToken cancellationToken) =>
        QuerySingleAsync($"SELECT {DocumentColumns} FROM documents WHERE name = $name", ReadDocument, cancellationToken, ("$name", name));

    public Task<DocumentInfo?> GetDocumentAsync(long id, CancellationToken cancellationToken) =>
        QuerySingleAsync($"SELECT {DocumentColumns} FROM documents WHERE id = $id", ReadDocument, cancellationToken, ("$id", id));

    public async Task<IReadOnlyList<DocumentInfo>> ListDocumentsAsync(CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {DocumentColumns} FROM documents ORDER BY name", ReadDocument, cancellationToken);

    public async Task<string> StartContentAsync(long documentId, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            "SELECT start_content FROM documents WHERE id = $id",
            r => (byte[])r.GetValue(0),
            cancellationToken,
            ("$id", documentId));
        return rows.Count == 0 ? throw new InvalidOperationException($"no document {documentId}") : SealedRows.OpenStart(_keys, documentId, rows[0]);
    }

    public Task<BatchRecord?> FindBatchAsync(string id, CancellationToken cancellationToken) =>
        QuerySingleAsync(
            "SELECT id, document_id, created_at, summary FROM batches WHERE id = $id",
            r => new BatchRecord(r.GetString(0), NullableInt64(r, 1), r.GetInt64(2), r.GetString(3)),
            cancellationToken,
            ("$id", id));

    public async Task<IReadOnlyList<ChunkRow>> ChunksAsync(long documentId, int fromRevision, int toRevision, CancellationToken cancellationToken) =>
        await QueryAsync(
            $"SELECT {ChunkColumns} FROM edit_chunks WHERE document_id = $doc AND last_rev >= $from AND first_rev <= $to ORDER BY first_rev",
            ReadChunk,
            cancellationToken,
            ("$doc", documentId),
            ("$from", fromRevision),
            ("$to", toRevision));

    public async Task<IReadOnlyList<ChunkRow>> ChunksStartingByAsync(long documentId, long time, CancellationToken cancellationToken) =>
        await QueryAsync(
            $"SELECT {ChunkColumns} FROM edit_chunks WHERE document_id = $doc AND min_time <= $time ORDER BY first_rev",
            ReadChunk,
            cancellationToken,
            ("$doc", documentId),
            ("$time", time));

    public Task<SnapshotRow?> SnapshotAtOrBeforeAsync(long documentId, int revision, CancellationToken cancellationToken) =>
        QuerySingleAsync(
            "SELECT document_id, revision, patches, data FROM snapshots WHERE document_id = $doc AND revision <= $rev ORDER BY revision DESC LIMIT 1",
            ReadSnapshot,
            cancellationToken,
            ("$doc", documentId),
            ("$rev", revision));

    public Task<SnapshotRow?> LastSnapshotAsync(long documentId, CancellationToken cancellationToken) =>
        SnapshotAtOrBeforeAsync(documentId, int.MaxValue, cancellationToken);

    public async Task<IReadOnlyList<StoredEvent>> EventsAsync(long? documentId, CancellationToken cancellationToken) =>
        documentId is { } doc
            ? await QueryAsync($"SELECT {EventColumns} FROM events WHERE document_id = $doc ORDER BY seq", ReadEvent, cancellationToken, ("$doc", doc))
            : await QueryAsync($"SELECT {EventColumns} FROM events ORDER BY seq", ReadEvent, cancellationToken);

    public Task<StoredEvent?> FindEventAsync(long seq, CancellationToken cancellationToken) =>
        QuerySingleAsync($"SELECT {EventColumns} FROM events WHERE seq = $seq", ReadEvent, cancellationToken, ("$seq", seq));
}
