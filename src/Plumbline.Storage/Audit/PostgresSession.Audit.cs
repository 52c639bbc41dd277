using Plumbline.Storage.Sqlite;

namespace Plumbline.Storage.Postgres;

internal sealed partial class PostgresSession
{
    /// <summary>The advisory lock key that serialises audit appenders across server processes ("audit" in ASCII).</summary>
    private const long AuditLock = 0x6175646974;

    private const string AuditColumns = "seq, time, actor, action, contributor, subject, detail, mac";

    public async Task<AuditEntry?> LastAuditEntryAsync(bool forAppend, CancellationToken cancellationToken)
    {
        if (forAppend)
        {
            RequireWrite();
            // Held until this transaction commits or rolls back, so the next appender reads this one's entry.
            await QueryAsync($"SELECT pg_advisory_xact_lock({AuditLock})", static _ => 0, cancellationToken);
        }

        return await QuerySingleAsync($"SELECT {AuditColumns} FROM audit_log ORDER BY seq DESC LIMIT 1", SqliteSession.ReadAuditEntry, cancellationToken);
    }

    public async Task InsertAuditEntryAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await QueueAsync(
            "INSERT INTO audit_log (seq, time, actor, action, contributor, subject, detail, mac) VALUES (@seq, @time, @actor, @action, @c, @subject, @detail, @mac)",
            cancellationToken,
            ("seq", entry.Seq),
            ("time", entry.Time),
            ("actor", entry.Actor),
            ("action", entry.Action),
            ("c", entry.Contributor),
            ("subject", entry.Subject),
            ("detail", entry.Detail),
            ("mac", entry.Mac));
    }

    public async Task<IReadOnlyList<AuditEntry>> AuditEntriesAsync(long afterSeq, int limit, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {AuditColumns} FROM audit_log WHERE seq > @after ORDER BY seq LIMIT @limit", SqliteSession.ReadAuditEntry, cancellationToken, ("after", afterSeq), ("limit", limit));

    public async Task<IReadOnlyList<AuditEntry>> AuditEntriesAboutAsync(string contributor, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {AuditColumns} FROM audit_log WHERE contributor = @c ORDER BY seq", SqliteSession.ReadAuditEntry, cancellationToken, ("c", contributor));
}
