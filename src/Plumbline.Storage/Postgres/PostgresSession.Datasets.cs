using Plumbline.Core.Capture;
using Plumbline.Storage.Sqlite;

using static Plumbline.Storage.StoreRows;

namespace Plumbline.Storage.Postgres;

internal sealed partial class PostgresSession
{
    private const string ExportColumns = "id, kind, use, created_at, path, examples, manifest_sha256, provenance_sha256, parameters";

    public async Task<long> RecordExportAsync(ExportRecord export, IReadOnlyList<ExportContributor> contributors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        ArgumentNullException.ThrowIfNull(contributors);
        RequireWrite();
        var id = (await QueryAsync(
            """
            INSERT INTO exports (kind, use, created_at, path, examples, manifest_sha256, provenance_sha256, parameters)
            VALUES (@kind, @use, @at, @path, @n, @manifest, @provenance, @parameters) RETURNING id
            """,
            r => r.GetInt64(0),
            cancellationToken,
            ("kind", export.Kind),
            ("use", export.Use),
            ("at", export.CreatedAt),
            ("path", export.Path),
            ("n", export.Examples),
            ("manifest", export.ManifestSha256),
            ("provenance", export.ProvenanceSha256),
            ("parameters", export.Parameters)))[0];
        foreach (var contributor in contributors)
        {
            await QueueAsync(
                "INSERT INTO export_contributors (export_id, contributor_id, source, examples) VALUES (@e, @c, @s, @n)",
                cancellationToken,
                ("e", id),
                ("c", contributor.ContributorId),
                ("s", contributor.Source.Name()),
                ("n", contributor.Examples));
        }

        return id;
    }

    public async Task<IReadOnlyList<ExportRecord>> ExportsAsync(long? contributorId, CancellationToken cancellationToken) =>
        contributorId is { } c
            ? await QueryAsync(
                $"SELECT {ExportColumns} FROM exports WHERE id IN (SELECT export_id FROM export_contributors WHERE contributor_id = @c) ORDER BY id",
                SqliteSession.ReadExport,
                cancellationToken,
                ("c", c))
            : await QueryAsync($"SELECT {ExportColumns} FROM exports ORDER BY id", SqliteSession.ReadExport, cancellationToken);

    public async Task<IReadOnlyList<long>> ContentContributorsAsync(long documentId, CancellationToken cancellationToken) =>
        await QueryAsync(
            "SELECT DISTINCT contributor_id FROM edit_chunks WHERE document_id = @doc AND consent_version > 0 AND contributor_id IS NOT NULL ORDER BY contributor_id",
            r => r.GetInt64(0),
            cancellationToken,
            ("doc", documentId));

    public async Task<IReadOnlyList<StoredEvent>> EventsOfKindAsync(EventKind kind, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {EventColumns} FROM events WHERE kind = @kind ORDER BY seq", ReadEvent, cancellationToken, ("kind", kind.Name()));

    public async Task<IReadOnlyList<ExportContributor>> ExportContributorsAsync(long exportId, CancellationToken cancellationToken) =>
        await QueryAsync(
            "SELECT contributor_id, source, examples FROM export_contributors WHERE export_id = @e ORDER BY contributor_id, source",
            r => new ExportContributor(r.GetInt64(0), SqliteSession.ParseSourceName(r.GetString(1)), r.GetInt64(2)),
            cancellationToken,
            ("e", exportId));
}
