namespace Plumbline.Storage.Keys;

/// <summary>
/// What a data key protects. <c>contributor/ID/SOURCE</c>: one contributor's edits and row events of one
/// source, so a per-source withdrawal shreds that source alone; <c>contributor/ID/terms</c>: their own
/// redaction terms; <c>document/ID/start</c>: a document's start content; <c>document/ID/snapshots</c>:
/// its snapshots, replaced by a fresh key whenever its history is rewritten (withdrawal masking, redaction),
/// because snapshots mix every contributor's text; <c>store</c>: data of no contributor (gaps of unmapped authors).
/// </summary>
public readonly record struct KeyScope(string Kind, long? Owner, string? Part)
{
    public const string ContributorKind = "contributor";
    public const string DocumentKind = "document";
    public const string StoreKind = "store";
    public const string TermsPart = "terms";
    public const string StartPart = "start";
    public const string SnapshotsPart = "snapshots";

    public static KeyScope Store => new(StoreKind, null, null);

    public static KeyScope Contributor(long id, string part) => new(ContributorKind, id, part);

    public static KeyScope ContributorOrStore(long? id, string part) => id is { } c ? Contributor(c, part) : Store;

    public static KeyScope DocumentStart(long id) => new(DocumentKind, id, StartPart);

    public static KeyScope DocumentSnapshots(long id) => new(DocumentKind, id, SnapshotsPart);

    public override string ToString() => Owner is null ? Kind : $"{Kind}/{Owner}/{Part}";
}
