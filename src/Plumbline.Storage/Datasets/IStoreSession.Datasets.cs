using Plumbline.Core.Capture;

namespace Plumbline.Storage;

/// <summary>
/// A dataset build recorded in the store: what was built, for which use, where, and the hashes of its
/// manifest and provenance, so that a later withdrawal can find the datasets it touches.
/// </summary>
public sealed record ExportRecord(
    long Id,
    string Kind,
    string Use,
    long CreatedAt,
    string Path,
    long Examples,
    string ManifestSha256,
    string ProvenanceSha256,
    string Parameters);

/// <summary>How many examples of an export came from one contributor's events of one source.</summary>
public sealed record ExportContributor(long ContributorId, SourceKind Source, long Examples);

public partial interface IStoreSession
{
    /// <summary>Records a dataset build and the contributors whose events it used; returns the export's id.</summary>
    Task<long> RecordExportAsync(ExportRecord export, IReadOnlyList<ExportContributor> contributors, CancellationToken cancellationToken);

    /// <summary>Every recorded export, oldest first; with <paramref name="contributorId"/>, only those that used that contributor's events.</summary>
    Task<IReadOnlyList<ExportRecord>> ExportsAsync(long? contributorId, CancellationToken cancellationToken);

    /// <summary>The contributors with content (not gap) revisions in a document.</summary>
    Task<IReadOnlyList<long>> ContentContributorsAsync(long documentId, CancellationToken cancellationToken);

    /// <summary>Row events of one kind, in sequence order (commits for the commits dataset).</summary>
    Task<IReadOnlyList<StoredEvent>> EventsOfKindAsync(EventKind kind, CancellationToken cancellationToken);

    /// <summary>The contributors (and sources) an export used.</summary>
    Task<IReadOnlyList<ExportContributor>> ExportContributorsAsync(long exportId, CancellationToken cancellationToken);
}
