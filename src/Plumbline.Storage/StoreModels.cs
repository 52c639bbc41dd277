using Plumbline.Core.Capture;
using Plumbline.Core.Text;

namespace Plumbline.Storage;

public sealed record Contributor(long Id, string Name, long CreatedAt);

public sealed record DocumentInfo(
    long Id,
    string Name,
    SourceKind Source,
    int Revisions,
    int Length,
    long Patches,
    long CreatedAt,
    long? LastTime);

/// <summary>Whether a revision holds content or stands for withheld edits (a gap: paused, unconsented or unmapped author).</summary>
public enum RevisionKind
{
    Edit = 0,
    Gap = 1,
}

/// <summary>A revision to append: one source transaction after the consent gate.</summary>
public sealed record NewRevision(long Time, long? ContributorId, int ConsentVersion, RevisionKind Kind, Patch[] Patches);

/// <summary>A stored revision. <see cref="FirstSeq"/> is the event id of its first patch; the others follow in order.</summary>
public sealed record StoredRevision(
    int Revision,
    long Time,
    long? ContributorId,
    int ConsentVersion,
    RevisionKind Kind,
    Patch[] Patches,
    long FirstSeq);

/// <summary>An event kept as its own row (everything but edit patches): comments, gaps, notes, cues, commits.</summary>
public sealed record StoredEvent(
    long Seq,
    long? ContributorId,
    SourceKind Source,
    EventKind Kind,
    long? DocumentId,
    int? Revision,
    long Time,
    int ConsentVersion,
    string Payload);

/// <summary>A row event to append; its sequence number is given by the store.</summary>
public sealed record NewEvent(
    long? ContributorId,
    SourceKind Source,
    EventKind Kind,
    long? DocumentId,
    int? Revision,
    long Time,
    int ConsentVersion,
    string Payload);

/// <summary>A batch that was stored, so that storing it again is a no-op.</summary>
public sealed record BatchRecord(string Id, long? DocumentId, long CreatedAt, string Summary);
