using Microsoft.Data.Sqlite;

namespace Plumbline.Storage.Sqlite;

/// <summary>
/// Versioned schema (<c>PRAGMA user_version</c>); migrations run on open, each in its own transaction.
/// Version 2 adds the chunk-by-time index and allows one open pause per contributor (as on PostgreSQL).
/// </summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO meta (key, value) VALUES ('next_seq', 1);
        CREATE TABLE contributors (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL);
        CREATE TABLE consent_records (
            contributor_id INTEGER NOT NULL REFERENCES contributors(id),
            version INTEGER NOT NULL,
            sources TEXT NOT NULL,
            uses TEXT NOT NULL,
            embargo TEXT,
            statement TEXT NOT NULL,
            statement_sha256 TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at INTEGER NOT NULL,
            PRIMARY KEY (contributor_id, version));
        CREATE TABLE pauses (
            id INTEGER PRIMARY KEY,
            contributor_id INTEGER NOT NULL REFERENCES contributors(id),
            started_at INTEGER NOT NULL,
            ended_at INTEGER);
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            source TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            start_content BLOB NOT NULL,
            revisions INTEGER NOT NULL,
            length INTEGER NOT NULL,
            patches INTEGER NOT NULL,
            last_time INTEGER);
        CREATE TABLE edit_chunks (
            document_id INTEGER NOT NULL REFERENCES documents(id),
            first_rev INTEGER NOT NULL,
            last_rev INTEGER NOT NULL,
            contributor_id INTEGER REFERENCES contributors(id),
            consent_version INTEGER NOT NULL,
            first_seq INTEGER NOT NULL,
            patch_count INTEGER NOT NULL,
            min_time INTEGER NOT NULL,
            max_time INTEGER NOT NULL,
            data BLOB NOT NULL);
        CREATE UNIQUE INDEX edit_chunks_by_revision ON edit_chunks (document_id, first_rev);
        CREATE TABLE snapshots (
            document_id INTEGER NOT NULL REFERENCES documents(id),
            revision INTEGER NOT NULL,
            patches INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (document_id, revision));
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY,
            contributor_id INTEGER REFERENCES contributors(id),
            source TEXT NOT NULL,
            kind TEXT NOT NULL,
            document_id INTEGER REFERENCES documents(id),
            revision INTEGER,
            time INTEGER NOT NULL,
            consent_version INTEGER NOT NULL,
            payload TEXT NOT NULL);
        CREATE INDEX events_by_document ON events (document_id, seq) WHERE document_id IS NOT NULL;
        CREATE TABLE batches (
            id TEXT PRIMARY KEY,
            document_id INTEGER REFERENCES documents(id),
            created_at INTEGER NOT NULL,
            summary TEXT NOT NULL);
        """,
        """
        CREATE INDEX edit_chunks_by_time ON edit_chunks (document_id, min_time);
        CREATE UNIQUE INDEX pauses_one_open ON pauses (contributor_id) WHERE ended_at IS NULL;
        """,
        """
        CREATE TABLE contributor_terms (
            contributor_id INTEGER NOT NULL REFERENCES contributors(id),
            term TEXT NOT NULL,
            added_at INTEGER NOT NULL,
            PRIMARY KEY (contributor_id, term));
        """,
        """
        CREATE TABLE label_campaigns (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            created_at INTEGER NOT NULL);
        CREATE TABLE label_guidelines (
            campaign_id INTEGER NOT NULL REFERENCES label_campaigns(id),
            version TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            content TEXT NOT NULL,
            added_at INTEGER NOT NULL,
            PRIMARY KEY (campaign_id, version));
        CREATE TABLE label_items (
            campaign_id INTEGER NOT NULL REFERENCES label_campaigns(id),
            task TEXT NOT NULL,
            gold TEXT,
            honeypot INTEGER NOT NULL,
            item_group TEXT,
            PRIMARY KEY (campaign_id, task));
        CREATE TABLE label_assignments (
            campaign_id INTEGER NOT NULL REFERENCES label_campaigns(id),
            task TEXT NOT NULL,
            worker TEXT NOT NULL,
            assigned_at INTEGER NOT NULL,
            PRIMARY KEY (campaign_id, task, worker));
        CREATE TABLE label_answers (
            campaign_id INTEGER NOT NULL REFERENCES label_campaigns(id),
            seq INTEGER NOT NULL,
            task TEXT NOT NULL,
            worker TEXT NOT NULL,
            label TEXT NOT NULL,
            left_item TEXT,
            right_item TEXT,
            guideline_version TEXT,
            added_at INTEGER NOT NULL,
            PRIMARY KEY (campaign_id, seq));
        """,
        """
        CREATE TABLE exports (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            use TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            path TEXT NOT NULL,
            examples INTEGER NOT NULL,
            manifest_sha256 TEXT NOT NULL,
            provenance_sha256 TEXT NOT NULL,
            parameters TEXT NOT NULL);
        CREATE TABLE export_contributors (
            export_id INTEGER NOT NULL REFERENCES exports(id),
            contributor_id INTEGER NOT NULL REFERENCES contributors(id),
            source TEXT NOT NULL,
            examples INTEGER NOT NULL,
            PRIMARY KEY (export_id, contributor_id, source));
        CREATE INDEX export_contributors_by_contributor ON export_contributors (contributor_id);
        CREATE TABLE withdrawals (
            id INTEGER PRIMARY KEY,
            contributor_id INTEGER NOT NULL REFERENCES contributors(id),
            source TEXT,
            withdrawn_at INTEGER NOT NULL,
            recorded_by TEXT NOT NULL,
            events INTEGER NOT NULL,
            documents_deleted INTEGER NOT NULL,
            documents_masked INTEGER NOT NULL);
        """,
        """
        CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            role TEXT NOT NULL,
            contributor_id INTEGER REFERENCES contributors(id),
            secret_sha256 BLOB NOT NULL,
            label TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            revoked_at INTEGER);
        CREATE INDEX edit_chunks_by_contributor ON edit_chunks (contributor_id, document_id);
        CREATE INDEX events_by_contributor ON events (contributor_id, document_id);
        """,
        // The event log read in keyset pages (plumb log, GET /api/events?after=): the chunk holding a seq.
        """
        CREATE INDEX edit_chunks_by_seq ON edit_chunks (document_id, first_seq);
        """,
        """
        CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY,
            time INTEGER NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            contributor TEXT,
            subject TEXT,
            detail TEXT NOT NULL,
            mac TEXT NOT NULL);
        CREATE INDEX audit_log_by_contributor ON audit_log (contributor, seq);
        """,
        // Encryption at rest: payload columns now hold sealed values (see Keys/SealedRows). A store that
        // already has rows is sealed in place on first open (meta.sealed = 0 until then).
        """
        INSERT INTO meta (key, value) VALUES ('sealed',
            CASE WHEN EXISTS (SELECT 1 FROM documents) OR EXISTS (SELECT 1 FROM events) OR EXISTS (SELECT 1 FROM contributor_terms) THEN 0 ELSE 1 END);
        """,
        """
        CREATE TABLE review_redactions (
            id INTEGER PRIMARY KEY,
            contributor_id INTEGER NOT NULL REFERENCES contributors(id),
            kind TEXT NOT NULL,
            document TEXT,
            revision INTEGER,
            span_start INTEGER,
            span_end INTEGER,
            from_time INTEGER,
            to_time INTEGER,
            source TEXT,
            recorded_by TEXT NOT NULL,
            recorded_at INTEGER NOT NULL,
            events_rewritten INTEGER NOT NULL,
            revisions_affected INTEGER NOT NULL);
        CREATE INDEX review_redactions_by_contributor ON review_redactions (contributor_id, id);
        """,
        // PostgreSQL's step for the event log paged by committing transaction (events.txid, edit_ranges). Nothing
        // here: SQLite lets one writer in at a time and it takes its seqs inside its transaction, so seq order is
        // commit order. The step keeps both backends' version numbers in step.
        """
        SELECT 1;
        """,
        // Sharing a document with a reviewer or editor (Sharing/DocumentSharing).
        """
        CREATE TABLE document_shares (
            document_id INTEGER NOT NULL REFERENCES documents(id),
            grantee_id INTEGER NOT NULL REFERENCES contributors(id),
            role TEXT NOT NULL,
            owner_id INTEGER NOT NULL REFERENCES contributors(id),
            granted_by TEXT NOT NULL,
            granted_at INTEGER NOT NULL,
            revoked_by TEXT,
            revoked_at INTEGER,
            PRIMARY KEY (document_id, grantee_id));
        CREATE INDEX document_shares_by_grantee ON document_shares (grantee_id, document_id);
        CREATE INDEX document_shares_by_owner ON document_shares (owner_id);
        """,
        // The log epoch every event-log cursor carries (Documents/LogEpoch): random per store, renewed by restore.
        """
        INSERT INTO meta (key, value) VALUES ('log_epoch', (random() & 4611686018427387903) + 1);
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    /// <summary>
    /// Brings the schema to <paramref name="target"/> (default: the latest). A step takes the write lock
    /// and reads the version again under it, so processes opening a store at once migrate it once; an
    /// up-to-date store is opened without taking the lock.
    /// </summary>
    public static void Migrate(SqliteConnection connection, int? target = null)
    {
        var to = target ?? Migrations.Length;
        while (Version(connection, null) < to)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var version = Version(connection, transaction);
            if (version < to)
            {
                Scalar(connection, transaction, Migrations[version] + $"\nPRAGMA user_version = {version + 1};");
            }

            transaction.Commit();
        }
    }

    private static int Version(SqliteConnection connection, SqliteTransaction? transaction)
    {
        var version = Convert.ToInt32(Scalar(connection, transaction, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
        return version <= Migrations.Length
            ? version
            : throw new Core.PlumblineException(
                Core.FailureKind.Runtime,
                $"the store was written by a newer Plumbline (schema version {version}; this one knows up to {Migrations.Length})");
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
