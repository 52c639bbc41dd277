using static Plumbline.Storage.StoreRows;

namespace Plumbline.Storage.Sqlite;

internal sealed partial class SqliteSession
{
    public async Task<IReadOnlyList<StoredEvent>> EventsAfterAsync(long? documentId, long afterSeq, int limit, CancellationToken cancellationToken) =>
        documentId is { } doc
            ? await QueryAsync($"SELECT {EventColumns} FROM events WHERE document_id = $doc AND seq > $after ORDER BY seq LIMIT $limit", ReadEvent, cancellationToken, ("$doc", doc), ("$after", afterSeq), ("$limit", limit))
            : await QueryAsync($"SELECT {EventColumns} FROM events WHERE seq > $after ORDER BY seq LIMIT $limit", ReadEvent, cancellationToken, ("$after", afterSeq), ("$limit", limit));

    public async Task<int> ChunkRevisionAtSeqAsync(long documentId, long afterSeq, CancellationToken cancellationToken) =>
        (await QueryAsync(
            "SELECT first_rev FROM edit_chunks WHERE document_id = $doc AND first_seq <= $after ORDER BY first_seq DESC LIMIT 1",
            r => r.GetInt32(0),
            cancellationToken,
            ("$doc", documentId),
            ("$after", afterSeq))) is [var first, ..] ? first : 1;
}
