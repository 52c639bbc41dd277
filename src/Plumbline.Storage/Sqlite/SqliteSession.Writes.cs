using Plumbline.Core.Capture;
using Plumbline.Core.Consent;
using Plumbline.Storage.Keys;

using static Plumbline.Storage.StoreRows;

namespace Plumbline.Storage.Sqlite;

internal sealed partial class SqliteSession
{
    public async Task<Contributor> AddContributorAsync(string name, long now, CancellationToken cancellationToken)
    {
        await ExecuteAsync(
            "INSERT INTO contributors (name, created_at) VALUES ($name, $now)",
            cancellationToken,
            ("$name", name),
            ("$now", now));
        return (await FindContributorAsync(name, cancellationToken))!;
    }

    public Task AddConsentAsync(ConsentRecord record, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            INSERT INTO consent_records (contributor_id, version, sources, uses, embargo, statement, statement_sha256, recorded_by, recorded_at)
            VALUES ($c, $v, $sources, $uses, $embargo, $statement, $sha, $by, $at)
            """,
            cancellationToken,
            ("$c", record.ContributorId),
            ("$v", record.Version),
            ("$sources", string.Join(',', record.Terms.Sources.Order().Select(s => s.Name()))),
            ("$uses", string.Join(',', record.Terms.Uses.Order().Select(ConsentTerms.Name))),
            ("$embargo", record.Terms.Embargo?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            ("$statement", record.Statement),
            ("$sha", record.StatementSha256),
            ("$by", record.RecordedBy),
            ("$at", record.RecordedAt));

    public async Task<PauseInterval> StartPauseAsync(long contributorId, long now, CancellationToken cancellationToken)
    {
        await ExecuteAsync(
            "INSERT INTO pauses (contributor_id, started_at) VALUES ($c, $now)",
            cancellationToken,
            ("$c", contributorId),
            ("$now", now));
        var pauses = await PausesAsync(contributorId, cancellationToken);
        return pauses.Single(p => p.End is null);
    }

    public Task EndPauseAsync(long pauseId, long now, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE pauses SET ended_at = $now WHERE id = $id", cancellationToken, ("$id", pauseId), ("$now", now));

    public async Task<DocumentInfo> CreateDocumentAsync(string name, SourceKind source, string startContent, long now, CancellationToken cancellationToken)
    {
        await ExecuteAsync(
            """
            INSERT INTO documents (name, source, created_at, start_content, revisions, length, patches, last_time)
            VALUES ($name, $source, $now, $start, 0, $length, 0, NULL)
            """,
            cancellationToken,
            ("$name", name),
            ("$source", source.Name()),
            ("$now", now),
            ("$start", Array.Empty<byte>()),
            ("$length", Core.Text.CodePoints.Count(startContent)));
        var document = (await FindDocumentAsync(name, cancellationToken))!;
        await ReplaceStartContentAsync(document.Id, startContent, cancellationToken);
        return document;
    }

    public Task UpdateDocumentAsync(DocumentInfo document, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE documents SET revisions = $revs, length = $length, patches = $patches, last_time = $last WHERE id = $id",
            cancellationToken,
            ("$id", document.Id),
            ("$revs", document.Revisions),
            ("$length", document.Length),
            ("$patches", document.Patches),
            ("$last", document.LastTime));

    public async Task<long> AllocateSeqAsync(long count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        await using var command = WriteCommand(
            "UPDATE meta SET value = value + $n WHERE key = 'next_seq' RETURNING value - $n",
            ("$n", count));
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task InsertChunkAsync(ChunkRow chunk, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            $"INSERT INTO edit_chunks ({ChunkColumns}) VALUES ($doc, $first, $last, $c, $cv, $seq, $n, $min, $max, $data)",
            cancellationToken,
            ChunkParameters(SealedRows.SealChunk(_keys, chunk, await DocumentSourceAsync(chunk.DocumentId, cancellationToken))));

    public async Task ReplaceChunkAsync(ChunkRow chunk, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            """
            UPDATE edit_chunks SET last_rev = $last, contributor_id = $c, consent_version = $cv, first_seq = $seq,
                patch_count = $n, min_time = $min, max_time = $max, data = $data
            WHERE document_id = $doc AND first_rev = $first
            """,
            cancellationToken,
            ChunkParameters(SealedRows.SealChunk(_keys, chunk, await DocumentSourceAsync(chunk.DocumentId, cancellationToken))));

    public Task InsertSnapshotAsync(SnapshotRow snapshot, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "INSERT OR REPLACE INTO snapshots (document_id, revision, patches, data) VALUES ($doc, $rev, $patches, $data)",
            cancellationToken,
            ("$doc", snapshot.DocumentId),
            ("$rev", snapshot.Revision),
            ("$patches", snapshot.Patches),
            ("$data", SealedRows.SealSnapshot(_keys, snapshot).Data));

    public Task<long> AppendEventAsync(NewEvent newEvent, CancellationToken cancellationToken) =>
        AppendEventsAsync([newEvent], cancellationToken);

    public async Task<long> AppendEventsAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var first = await AllocateSeqAsync(events.Count, cancellationToken);
        await using var command = WriteCommand(
            $"INSERT INTO events ({EventColumns}) VALUES ($seq, $c, $source, $kind, $doc, $rev, $time, $cv, $payload)",
            ("$seq", null),
            ("$c", null),
            ("$source", null),
            ("$kind", null),
            ("$doc", null),
            ("$rev", null),
            ("$time", null),
            ("$cv", null),
            ("$payload", null));
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            object?[] values =
            [
                first + i, e.ContributorId, e.Source.Name(), e.Kind.Name(), e.DocumentId, e.Revision, e.Time, e.ConsentVersion,
                SealedRows.SealPayload(_keys, first + i, e.ContributorId, e.Source, e.Payload),
            ];
            for (var v = 0; v < values.Length; v++)
            {
                command.Parameters[v].Value = values[v] ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return first;
    }

    public Task RecordBatchAsync(BatchRecord batch, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "INSERT INTO batches (id, document_id, created_at, summary) VALUES ($id, $doc, $at, $summary)",
            cancellationToken,
            ("$id", batch.Id),
            ("$doc", batch.DocumentId),
            ("$at", batch.CreatedAt),
            ("$summary", batch.Summary));

    /// <summary>Terms are sealed with a fresh nonce each time, so a duplicate is found by opening the stored ones.</summary>
    public async Task AddTermAsync(long contributorId, string term, long now, CancellationToken cancellationToken)
    {
        if ((await TermsAsync(contributorId, cancellationToken)).Contains(term, StringComparer.Ordinal))
        {
            return;
        }

        await ExecuteAsync(
            "INSERT INTO contributor_terms (contributor_id, term, added_at) VALUES ($id, $term, $now)",
            cancellationToken,
            ("$id", contributorId),
            ("$term", SealedRows.SealTerm(_keys, contributorId, term)),
            ("$now", now));
    }

    public async Task RemoveTermAsync(long contributorId, string term, CancellationToken cancellationToken)
    {
        var stored = await QueryAsync("SELECT term FROM contributor_terms WHERE contributor_id = $id", r => (byte[])r.GetValue(0), cancellationToken, ("$id", contributorId));
        foreach (var sealedTerm in stored.Where(t => SealedRows.OpenTerm(_keys, contributorId, t) == term))
        {
            await DeleteSealedTermAsync(contributorId, sealedTerm, cancellationToken);
        }
    }

    /// <summary>Also retires the document's snapshot key now (new snapshots get a fresh one) and destroys it after commit.</summary>
    public async Task DeleteDocumentHistoryAsync(long documentId, CancellationToken cancellationToken)
    {
        await ExecuteAsync("DELETE FROM edit_chunks WHERE document_id = $doc", cancellationToken, ("$doc", documentId));
        await ExecuteAsync("DELETE FROM snapshots WHERE document_id = $doc", cancellationToken, ("$doc", documentId));
        _keys.Retire(KeyScope.DocumentSnapshots(documentId));
        _afterCommit.Add(() => _keys.Destroy(KeyScope.DocumentKind, documentId, KeyScope.SnapshotsPart, retiredOnly: true, "history rewritten"));
    }

    public Task ReplaceStartContentAsync(long documentId, string startContent, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE documents SET start_content = $start WHERE id = $doc",
            cancellationToken,
            ("$doc", documentId),
            ("$start", SealedRows.SealStart(_keys, documentId, startContent)));

    public async Task UpdateEventPayloadAsync(long seq, string payload, CancellationToken cancellationToken)
    {
        var stored = await FindEventAsync(seq, cancellationToken) ?? throw new InvalidOperationException($"no event {seq}");
        await ExecuteAsync(
            "UPDATE events SET payload = $payload WHERE seq = $seq",
            cancellationToken,
            ("$seq", seq),
            ("$payload", SealedRows.SealPayload(_keys, seq, stored.ContributorId, stored.Source, payload)));
    }

    private static (string, object?)[] ChunkParameters(ChunkRow chunk) =>
    [
        ("$doc", chunk.DocumentId),
        ("$first", chunk.FirstRevision),
        ("$last", chunk.LastRevision),
        ("$c", chunk.ContributorId),
        ("$cv", chunk.ConsentVersion),
        ("$seq", chunk.FirstSeq),
        ("$n", chunk.PatchCount),
        ("$min", chunk.MinTime),
        ("$max", chunk.MaxTime),
        ("$data", chunk.Data),
    ];
}
