using System.Data.Common;

namespace Plumbline.Storage.Sqlite;

internal sealed partial class SqliteSession
{
    private const string AuditColumns = "seq, time, actor, action, contributor, subject, detail, mac";

    public Task<AuditEntry?> LastAuditEntryAsync(bool forAppend, CancellationToken cancellationToken)
    {
        if (forAppend && Transaction is null)
        {
            throw new InvalidOperationException("appending to the audit log needs a write session");
        }

        // A write session is a BEGIN IMMEDIATE transaction: it already excludes every other writer of the file.
        return QuerySingleAsync($"SELECT {AuditColumns} FROM audit_log ORDER BY seq DESC LIMIT 1", ReadAuditEntry, cancellationToken);
    }

    public async Task InsertAuditEntryAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await ExecuteAsync(
            "INSERT INTO audit_log (seq, time, actor, action, contributor, subject, detail, mac) VALUES ($seq, $time, $actor, $action, $c, $subject, $detail, $mac)",
            cancellationToken,
            ("$seq", entry.Seq),
            ("$time", entry.Time),
            ("$actor", entry.Actor),
            ("$action", entry.Action),
            ("$c", entry.Contributor),
            ("$subject", entry.Subject),
            ("$detail", entry.Detail),
            ("$mac", entry.Mac));
    }

    public async Task<IReadOnlyList<AuditEntry>> AuditEntriesAsync(long afterSeq, int limit, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {AuditColumns} FROM audit_log WHERE seq > $after ORDER BY seq LIMIT $limit", ReadAuditEntry, cancellationToken, ("$after", afterSeq), ("$limit", limit));

    public async Task<IReadOnlyList<AuditEntry>> AuditEntriesAboutAsync(string contributor, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {AuditColumns} FROM audit_log WHERE contributor = $c ORDER BY seq", ReadAuditEntry, cancellationToken, ("$c", contributor));

    internal static AuditEntry ReadAuditEntry(DbDataReader r) => new(
        r.GetInt64(0),
        r.GetInt64(1),
        r.GetString(2),
        r.GetString(3),
        r.IsDBNull(4) ? null : r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5),
        r.GetString(6),
        r.GetString(7));
}
