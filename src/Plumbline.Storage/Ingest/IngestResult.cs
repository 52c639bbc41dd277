namespace Plumbline.Storage.Ingest;

/// <summary>What an ingest stored. <see cref="AlreadyStored"/>: the same batch was stored before; nothing changed.</summary>
public sealed record IngestResult(
    string Document,
    int Transactions,
    long Patches,
    int StoredRevisions,
    int GapRevisions,
    int WithheldTransactions,
    int FirstRevision,
    int LastRevision,
    bool AlreadyStored)
{
    /// <summary>The revision each transaction of the batch ended up in (a withheld one: its gap's revision). Not kept after the batch.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<int> TransactionRevisions { get; init; } = [];

    /// <summary>How many secrets redaction replaced with placeholders in this batch (and, with <see cref="RewroteHistory"/>, before it).</summary>
    public int Redacted { get; init; }

    /// <summary>Whether a secret reached back into stored revisions, so the document's history was rewritten.</summary>
    public bool RewroteHistory { get; init; }
}
