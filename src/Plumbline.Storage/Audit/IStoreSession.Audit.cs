namespace Plumbline.Storage;

/// <summary>
/// One entry of the audit log as stored: <see cref="Seq"/> counts from 1 with no holes; <see cref="Mac"/> is
/// HMAC-SHA256(audit key, previous mac ‖ canonical bytes of this entry), lower-case hex.
/// </summary>
/// <param name="Time">Unix milliseconds.</param>
/// <param name="Contributor">Whose data the entry is about (a contributor name), or null.</param>
/// <param name="Subject">What was touched: a document, an export path, an archive…</param>
/// <param name="Detail">A JSON object, stored and hashed exactly as written.</param>
public sealed record AuditEntry(long Seq, long Time, string Actor, string Action, string? Contributor, string? Subject, string Detail, string Mac);

public partial interface IStoreSession
{
    /// <summary>
    /// The last audit entry, or null when the log is empty. With <paramref name="forAppend"/> (write sessions
    /// only) every other appender, in any process, waits until this session ends: SQLite already holds the
    /// write lock; PostgreSQL takes a transaction advisory lock.
    /// </summary>
    Task<AuditEntry?> LastAuditEntryAsync(bool forAppend, CancellationToken cancellationToken);

    Task InsertAuditEntryAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> entries with seq greater than <paramref name="afterSeq"/>, in seq order.</summary>
    Task<IReadOnlyList<AuditEntry>> AuditEntriesAsync(long afterSeq, int limit, CancellationToken cancellationToken);

    /// <summary>The entries about one contributor's data, in seq order.</summary>
    Task<IReadOnlyList<AuditEntry>> AuditEntriesAboutAsync(string contributor, CancellationToken cancellationToken);
}
