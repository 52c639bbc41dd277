using System.Data.Common;
using System.Text;
using Plumbline.Core.Capture;
using Plumbline.Storage.Keys;

namespace Plumbline.Storage.Sqlite;

/// <summary>Sealing: the row readers that open sealed columns (they hide <see cref="StoreRows"/>' raw ones), and key actions run after commit.</summary>
internal sealed partial class SqliteSession
{
    private readonly Dictionary<long, SourceKind> _documentSources = [];
    private readonly List<Action> _afterCommit = [];

    public void ShredContributorAfterCommit(long contributorId, SourceKind? source) =>
        _afterCommit.Add(() =>
        {
            var destroyed = _keys.Destroy(KeyScope.ContributorKind, contributorId, source?.Name(), retiredOnly: false, "withdrawal");
            _keys.KeyStore().AddTombstone(contributorId, source?.Name(), destroyed);
        });

    public async Task<IReadOnlyList<SealedRef>> SealedRefsAsync(CancellationToken cancellationToken)
    {
        var refs = new List<SealedRef>();
        foreach (var (table, sql) in new[]
        {
            ("edit_chunks", "SELECT document_id, first_rev, substr(data, 1, 9) FROM edit_chunks ORDER BY document_id, first_rev"),
            ("snapshots", "SELECT document_id, revision, substr(data, 1, 9) FROM snapshots ORDER BY document_id, revision"),
            ("documents", "SELECT id, 0, substr(start_content, 1, 9) FROM documents ORDER BY id"),
            ("events", "SELECT seq, 0, substr(payload, 1, 9) FROM events ORDER BY seq"),
        })
        {
            refs.AddRange(await QueryAsync(sql, r => new SealedRef(table, r.GetInt64(0), r.GetInt64(1), HeaderKeyId(r, 2)), cancellationToken));
        }

        refs.AddRange(await QueryAsync(
            "SELECT contributor_id, term FROM contributor_terms ORDER BY contributor_id",
            r => new SealedRef("contributor_terms", r.GetInt64(0), 0, HeaderKeyId(r, 1), (byte[])r.GetValue(1)),
            cancellationToken));
        return refs;
    }

    public Task DeleteChunksFromAsync(long documentId, int firstRevision, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM edit_chunks WHERE document_id = $doc AND first_rev >= $rev", cancellationToken, ("$doc", documentId), ("$rev", firstRevision));

    public Task DeleteSnapshotsAsync(long documentId, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM snapshots WHERE document_id = $doc", cancellationToken, ("$doc", documentId));

    public async Task<int> DeleteEventsAfterRevisionAsync(long documentId, int revision, CancellationToken cancellationToken)
    {
        await using var command = WriteCommand("DELETE FROM events WHERE document_id = $doc AND revision > $rev", ("$doc", documentId), ("$rev", revision));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task DeleteSealedTermAsync(long contributorId, byte[] sealedTerm, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM contributor_terms WHERE contributor_id = $c AND term = $t", cancellationToken, ("$c", contributorId), ("$t", sealedTerm));

    /// <summary>
    /// Seals, in this write session, every value a store from before encryption at rest holds in clear
    /// (documents' start content, chunks, snapshots, row event payloads, terms).
    /// </summary>
    internal async Task SealPlaintextRowsAsync(CancellationToken cancellationToken)
    {
        foreach (var (id, start) in await QueryAsync("SELECT id, start_content FROM documents", r => (r.GetInt64(0), (byte[])r.GetValue(1)), cancellationToken))
        {
            await ExecuteAsync(
                "UPDATE documents SET start_content = $v WHERE id = $id",
                cancellationToken,
                ("$id", id),
                ("$v", _keys.Seal(KeyScope.DocumentStart(id), start, SealedRows.StartContext(id))));
        }

        foreach (var chunk in await QueryAsync($"SELECT {StoreRows.ChunkColumns} FROM edit_chunks", StoreRows.ReadSealedChunk, cancellationToken))
        {
            var sealedChunk = SealedRows.SealChunk(_keys, chunk, await DocumentSourceAsync(chunk.DocumentId, cancellationToken));
            await ExecuteAsync(
                "UPDATE edit_chunks SET data = $v WHERE document_id = $doc AND first_rev = $first",
                cancellationToken,
                ("$doc", chunk.DocumentId),
                ("$first", chunk.FirstRevision),
                ("$v", sealedChunk.Data));
        }

        foreach (var snapshot in await QueryAsync($"SELECT {StoreRows.SnapshotColumns} FROM snapshots", StoreRows.ReadSealedSnapshot, cancellationToken))
        {
            await ExecuteAsync(
                "UPDATE snapshots SET data = $v WHERE document_id = $doc AND revision = $rev",
                cancellationToken,
                ("$doc", snapshot.DocumentId),
                ("$rev", snapshot.Revision),
                ("$v", SealedRows.SealSnapshot(_keys, snapshot).Data));
        }

        var events = await QueryAsync($"SELECT {StoreRows.EventColumns} FROM events", r => StoreRows.ReadEvent(r, (_, bytes) => Encoding.UTF8.GetString(bytes)), cancellationToken);
        foreach (var e in events)
        {
            await ExecuteAsync(
                "UPDATE events SET payload = $v WHERE seq = $seq",
                cancellationToken,
                ("$seq", e.Seq),
                ("$v", SealedRows.SealPayload(_keys, e.Seq, e.ContributorId, e.Source, e.Payload)));
        }

        foreach (var (contributor, term) in await QueryAsync("SELECT contributor_id, term FROM contributor_terms", r => (r.GetInt64(0), PlainBytes(r, 1)), cancellationToken))
        {
            await ExecuteAsync(
                "UPDATE contributor_terms SET term = $v WHERE contributor_id = $c AND term = $t",
                cancellationToken,
                ("$c", contributor),
                ("$t", Encoding.UTF8.GetString(term)),
                ("$v", SealedRows.SealTerm(_keys, contributor, Encoding.UTF8.GetString(term))));
        }
    }

    internal async Task<long?> MetaAsync(string key, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync("SELECT value FROM meta WHERE key = $key", r => (long?)r.GetInt64(0), cancellationToken, ("$key", key));
        return rows.Count == 0 ? null : rows[0];
    }

    internal Task SetMetaAsync(string key, long value, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT OR REPLACE INTO meta (key, value) VALUES ($key, $value)", cancellationToken, ("$key", key), ("$value", value));

    private ChunkRow ReadChunk(DbDataReader r) => SealedRows.OpenChunk(_keys, StoreRows.ReadSealedChunk(r));

    private SnapshotRow ReadSnapshot(DbDataReader r) => SealedRows.OpenSnapshot(_keys, StoreRows.ReadSealedSnapshot(r));

    private StoredEvent ReadEvent(DbDataReader r) => StoreRows.ReadEvent(r, (seq, bytes) => SealedRows.OpenPayload(_keys, seq, bytes));

    private async Task<SourceKind> DocumentSourceAsync(long documentId, CancellationToken cancellationToken)
    {
        if (!_documentSources.TryGetValue(documentId, out var source))
        {
            source = (await GetDocumentAsync(documentId, cancellationToken) ?? throw new InvalidOperationException($"no document {documentId}")).Source;
            _documentSources[documentId] = source;
        }

        return source;
    }

    private void RunAfterCommit()
    {
        foreach (var action in _afterCommit)
        {
            action();
        }

        _afterCommit.Clear();
    }

    /// <summary>The key id in a sealed value's header (read with <c>substr(…, 1, 9)</c>), or null when the value is not sealed.</summary>
    private static long? HeaderKeyId(DbDataReader r, int ordinal) => SealedEnvelope.HeaderKeyId(r.GetValue(ordinal) as byte[]);

    private static byte[] PlainBytes(DbDataReader r, int ordinal) =>
        r.GetValue(ordinal) is byte[] bytes ? bytes : Encoding.UTF8.GetBytes(r.GetString(ordinal));
}
