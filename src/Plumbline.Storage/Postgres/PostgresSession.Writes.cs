using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Consent;
using Plumbline.Storage.Keys;

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
            ("start", Array.Empty<byte>()),
            ("length", Core.Text.CodePoints.Count(startContent)));
        if (rows.Count == 1)
        {
            await ReplaceStartContentAsync(rows[0].Id, startContent, cancellationToken);
            return rows[0];
        }

        throw new PlumblineException(FailureKind.Runtime, $"{_store.Description}: document '{name}' was created by a concurrent writer; retry", isTransient: true);
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

    public async Task InsertChunkAsync(ChunkRow chunk, CancellationToken cancellationToken) =>
        await QueueAsync(
            $"INSERT INTO edit_chunks ({ChunkColumns}) VALUES (@doc, @first, @last, @c, @cv, @seq, @n, @min, @max, @data)",
            cancellationToken,
            ChunkParameters(SealedRows.SealChunk(_keys, chunk, await DocumentSourceAsync(chunk.DocumentId, cancellationToken))));

    public async Task ReplaceChunkAsync(ChunkRow chunk, CancellationToken cancellationToken) =>
        await QueueAsync(
            """
            UPDATE edit_chunks SET last_rev = @last, contributor_id = @c, consent_version = @cv, first_seq = @seq,
                patch_count = @n, min_time = @min, max_time = @max, data = @data
            WHERE document_id = @doc AND first_rev = @first
            """,
            cancellationToken,
            ChunkParameters(SealedRows.SealChunk(_keys, chunk, await DocumentSourceAsync(chunk.DocumentId, cancellationToken))));

    /// <summary>Terms are sealed with a fresh nonce each time, so a duplicate is found by opening the stored ones.</summary>
    public async Task AddTermAsync(long contributorId, string term, long now, CancellationToken cancellationToken)
    {
        if ((await TermsAsync(contributorId, cancellationToken)).Contains(term, StringComparer.Ordinal))
        {
            return;
        }

        await QueueAsync(
            "INSERT INTO contributor_terms (contributor_id, term, added_at) VALUES (@id, @term, @now)",
            cancellationToken,
            ("id", contributorId),
            ("term", SealedRows.SealTerm(_keys, contributorId, term)),
            ("now", now));
    }

    public async Task RemoveTermAsync(long contributorId, string term, CancellationToken cancellationToken)
    {
        var stored = await QueryAsync("SELECT term FROM contributor_terms WHERE contributor_id = @id", r => (byte[])r.GetValue(0), cancellationToken, ("id", contributorId));
        foreach (var sealedTerm in stored.Where(t => SealedRows.OpenTerm(_keys, contributorId, t) == term))
        {
            await DeleteSealedTermAsync(contributorId, sealedTerm, cancellationToken);
        }
    }

    /// <summary>Also retires the document's snapshot key now (new snapshots get a fresh one) and destroys it after commit.</summary>
    public async Task DeleteDocumentHistoryAsync(long documentId, CancellationToken cancellationToken)
    {
        await QueueAsync("DELETE FROM edit_chunks WHERE document_id = @doc", cancellationToken, ("doc", documentId));
        await QueueAsync("DELETE FROM snapshots WHERE document_id = @doc", cancellationToken, ("doc", documentId));
        _keys.Retire(KeyScope.DocumentSnapshots(documentId));
        _afterCommit.Add(() => _keys.Destroy(KeyScope.DocumentKind, documentId, KeyScope.SnapshotsPart, retiredOnly: true, "history rewritten"));
    }

    public Task ReplaceStartContentAsync(long documentId, string startContent, CancellationToken cancellationToken) =>
        QueueAsync(
            "UPDATE documents SET start_content = @start WHERE id = @doc",
            cancellationToken,
            ("doc", documentId),
            ("start", SealedRows.SealStart(_keys, documentId, startContent)));

    public async Task UpdateEventPayloadAsync(long seq, string payload, CancellationToken cancellationToken)
    {
        var stored = await FindEventAsync(seq, cancellationToken) ?? throw new InvalidOperationException($"no event {seq}");
        await QueueAsync(
            "UPDATE events SET payload = @payload WHERE seq = @seq",
            cancellationToken,
            ("seq", seq),
            ("payload", SealedRows.SealPayload(_keys, seq, stored.ContributorId, stored.Source, payload)));
    }

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
            ("data", SealedRows.SealSnapshot(_keys, snapshot).Data));

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
                ("payload", events.Select((e, i) => SealedRows.SealPayload(_keys, first + i, e.ContributorId, e.Source, e.Payload)).ToArray()));
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
