using Plumbline.Core.Capture;

namespace Plumbline.Storage;

/// <summary>A withdrawal: whose events were removed (of one source, or all when <see cref="Source"/> is null), when, and what it removed.</summary>
public sealed record WithdrawalRecord(
    long Id,
    long ContributorId,
    SourceKind? Source,
    long WithdrawnAt,
    string RecordedBy,
    long Events,
    int DocumentsDeleted,
    int DocumentsMasked);

public partial interface IStoreSession
{
    Task<long> RecordWithdrawalAsync(WithdrawalRecord withdrawal, CancellationToken cancellationToken);

    /// <summary>Every withdrawal, oldest first.</summary>
    Task<IReadOnlyList<WithdrawalRecord>> WithdrawalsAsync(CancellationToken cancellationToken);

    /// <summary>The documents with at least one revision by <paramref name="contributorId"/>.</summary>
    Task<IReadOnlyList<long>> DocumentsEditedByAsync(long contributorId, CancellationToken cancellationToken);

    /// <summary>The row events (comments, resolutions, cues, notes, commits, gaps) of one contributor, in order.</summary>
    Task<IReadOnlyList<StoredEvent>> EventsOfContributorAsync(long contributorId, CancellationToken cancellationToken);

    Task DeleteEventsAsync(IReadOnlyList<long> seqs, CancellationToken cancellationToken);

    /// <summary>Removes a document entirely: its chunks, snapshots, row events, batches and the document row.</summary>
    Task DeleteDocumentAsync(long documentId, CancellationToken cancellationToken);
}
