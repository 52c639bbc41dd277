using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Consent;
using Plumbline.Storage.Documents;

using static Plumbline.Storage.StoreRows;

namespace Plumbline.Storage.Postgres;

internal sealed partial class PostgresSession
{
    public async Task<Contributor> AddContributorAsync(string name, long now, CancellationToken cancellationToken)
    {
        RequireWrite();
        var rows = await QueryAsync(
            $"INSERT INTO contributors (name, created_at) VALUES (@name, @now) RETURNING {ContributorColumns}",
            ReadContributor,
            cancellationToken,
            ("name", name),
            ("now", now));
        return rows[0];
    }

    public Task AddConsentAsync(ConsentRecord record, CancellationToken cancellationToken) =>
        QueueAsync(
            """
            INSERT INTO consent_records (contributor_id, version, sources, uses, embargo, statement, statement_sha256, recorded_by, recorded_at)
            VALUES (@c, @v, @sources, @uses, @embargo, @statement, @sha, @by, @at)
            """,
            cancellationToken,
            ("c", record.ContributorId),
            ("v", record.Version),
            ("sources", string.Join(',', record.Terms.Sources.Order().Select(s => s.Name()))),
            ("uses", string.Join(',', record.Terms.Uses.Order().Select(ConsentTerms.Name))),
            ("embargo", record.Terms.Embargo?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            ("statement", record.Statement),
            ("sha", record.StatementSha256),
            ("by", record.RecordedBy),
            ("at", record.RecordedAt));

    public async Task<PauseInterval> StartPauseAsync(long contributorId, long now, CancellationToken cancellationToken)
    {
        RequireWrite();
        var rows = await QueryAsync(
            "INSERT INTO pauses (contributor_id, started_at) VALUES (@c, @now) RETURNING id, contributor_id, started_at, ended_at",
            ReadPause,
            cancellationToken,
            ("c", contributorId),
            ("now", now));
        return rows[0];
    }

    /// <summary>Ends an open pause; when a concurrent writer ended it first, the session must start again.</summary>
    public async Task EndPauseAsync(long pauseId, long now, CancellationToken cancellationToken)
    {
        RequireWrite();
        var ended = await QueryAsync(
            "UPDATE pauses SET ended_at = @now WHERE id = @id AND ended_at IS NULL RETURNING id",
            r => r.GetInt64(0),
            cancellationToken,
            ("id", pauseId),
            ("now", now));
        if (ended.Count == 0)
        {
            throw new PlumblineException(FailureKind.Runtime, $"{_store.Description}: pause {pauseId} was ended by a concurrent writer; retry", isTransient: true);
        }
    }

    /// <summary>
    /// Creates the document, locked by this transaction until commit. When a concurrent writer created
    /// the same name first, the whole session must start again (a transient failure).
    /// </summary>
    public async Task<DocumentInfo> CreateDocumentAsync(string name, SourceKind source, string startContent, long now, CancellationToken cancellationToken)
    {
        RequireWrite();
        var rows = await QueryAsync(
            $"""
            INSERT INTO documents (name, source, created_at, start_content, revisions, length, patches, last_time)
            VALUES (@name, @source, @now, @start, 0, @length, 0, NULL)
            ON CONFLICT (name) DO NOTHING
            RETURNING {DocumentColumns}
            """,
            ReadDocument,
            cancellationToken,
            ("name", name),
            ("source", source.Name()),
            ("now", now),
            ("start", Compression.CompressText(startContent, 9)),
            ("length", Core.Text.CodePoints.Count(startContent)));
        return rows.Count == 1
            ? rows[0]
            : throw new PlumblineException(FailureKind.Runtime, $"{_store.Description}: document '{name}' was created by a concurrent writer; retry", isTransient: true);
    }

    public Task UpdateDocumentAsync(DocumentInfo document, CancellationToken cancellationToken) =>
        QueueAsync(
            "UPDATE documents SET revisions = @revs, length = @length, patches = @patches, last_time = @last WHERE id = @id",
            cancellationToken,
            ("id", document.Id),
            ("revs", document.Revisions),
            ("length", document.Length),
            ("patches", document.Patches),
            ("last", document.LastTime));

    public Task<long> AllocateSeqAsync(long count, CancellationToken cancellationToken)
    {
        RequireWrite();
        return _store.AllocateSeqAsync(count, cancellationToken);
    }

    public Task InsertChunkAsync(ChunkRow chunk, CancellationToken cancellationToken) =>
        QueueAsync($"INSERT INTO edit_chunks ({ChunkColumns}) VALUES (@doc, @first, @last, @c, @cv, @seq, @n, @min, @max, @data)", cancellationToken, ChunkParameters(chunk));

    public Task ReplaceChunkAsync(ChunkRow chunk, CancellationToken cancellationToken) =>
        QueueAsync(
            """
            UPDATE edit_chunks SET last_rev = @last, contributor_id = @c, consent_version = @cv, first_seq = @seq,
                patch_count = @n, min_time = @min, max_time = @max, data = @data
            WHERE document_id = @doc AND first_rev = @first
            """,
            cancellationToken,
            ChunkParameters(chunk));

    public Task AddTermAsync(long contributorId, string term, long now, CancellationToken cancellationToken) =>
        QueueAsync(
            "INSERT INTO contributor_terms (contributor_id, term, added_at) VALUES (@id, @term, @now) ON CONFLICT DO NOTHING",
            cancellationToken,
            ("id", contributorId),
            ("term", term),
            ("now", now));

    public Task RemoveTermAsync(long contributorId, string term, CancellationToken cancellationToken) =>
        QueueAsync("DELETE FROM contributor_terms WHERE contributor_id = @id AND term = @term", cancellationToken, ("id", contributorId), ("term", term));

    public async Task DeleteDocumentHistoryAsync(long documentId, CancellationToken cancellationToken)
    {
        await QueueAsync("DELETE FROM edit_chunks WHERE document_id = @doc", cancellationToken, ("doc", documentId));
        await QueueAsync("DELETE FROM snapshots WHERE document_id = @doc", cancellationToken, ("doc", documentId));
    }

    public Task ReplaceStartContentAsync(long documentId, string startContent, CancellationToken cancellationToken) =>
        QueueAsync(
            "UPDATE documents SET start_content = @start WHERE id = @doc",
            cancellationToken,
            ("doc", documentId),
            ("start", Documents.Compression.CompressText(startContent, 9)));

    public Task UpdateEventPayloadAsync(long seq, string payload, CancellationToken cancellationToken) =>
        QueueAsync("UPDATE events SET payload = @payload WHERE seq = @seq", cancellationToken, ("seq", seq), ("payload", payload));

    public Task InsertSnapshotAsync(SnapshotRow snapshot, CancellationToken cancellationToken) =>
        QueueAsync(
            """
            INSERT INTO snapshots (document_id, revision, patches, data) VALUES (@doc, @rev, @patches, @data)
            ON CONFLICT (document_id, revision) DO UPDATE SET patches = EXCLUDED.patches, data = EXCLUDED.data
            """,
            cancellationToken,
            ("doc", snapshot.DocumentId),
            ("rev", snapshot.Revision),
            ("patches", snapshot.Patches),
            ("data", snapshot.Data));

    public Task<long> AppendEventAsync(NewEvent newEvent, CancellationToken cancellationToken) =>
        AppendEventsAsync([newEvent], cancellationToken);

    /// <summary>All rows in one statement (arrays unnested server-side), queued with the other writes.</summary>
    public async Task<long> AppendEventsAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var first = await AllocateSeqAsync(events.Count, cancellationToken);
        if (events.Count > 0)
        {
            await QueueAsync(
                $"""
                INSERT INTO events ({EventColumns})
                SELECT * FROM unnest(@seq, @c, @source, @kind, @doc, @rev, @time, @cv, @payload)
                """,
                cancellationToken,
                ("seq", events.Select((_, i) => first + i).ToArray()),
                ("c", events.Select(e => e.ContributorId).ToArray()),
                ("source", events.Select(e => e.Source.Name()).ToArray()),
                ("kind", events.Select(e => e.Kind.Name()).ToArray()),
                ("doc", events.Select(e => e.DocumentId).ToArray()),
                ("rev", events.Select(e => e.Revision).ToArray()),
                ("time", events.Select(e => e.Time).ToArray()),
                ("cv", events.Select(e => e.ConsentVersion).ToArray()),
                ("payload", events.Select(e => e.Payload).ToArray()));
        }

        return first;
    }

    public Task RecordBatchAsync(BatchRecord batch, CancellationToken cancellationToken) =>
        QueueAsync(
            "INSERT INTO batches (id, document_id, created_at, summary) VALUES (@id, @doc, @at, @summary)",
            cancellationToken,
            ("id", batch.Id),
            ("doc", batch.DocumentId),
            ("at", batch.CreatedAt),
            ("summary", batch.Summary));

    private static (string, object?)[] ChunkParameters(ChunkRow chunk) =>
    [
        ("doc", chunk.DocumentId),
        ("first", chunk.FirstRevision),
        ("last", chunk.LastRevision),
        ("c", chunk.ContributorId),
        ("cv", chunk.ConsentVersion),
        ("seq", chunk.FirstSeq),
        ("n", chunk.PatchCount),
        ("min", chunk.MinTime),
        ("max", chunk.MaxTime),
        ("data", chunk.Data),
    ];
}
