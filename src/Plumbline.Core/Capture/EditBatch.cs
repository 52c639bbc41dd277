using Plumbline.Core.Text;

namespace Plumbline.Core.Capture;

/// <summary>
/// One source transaction: the patches of one trace transaction, one Etherpad changeset, one saved file.
/// It becomes one revision. <see cref="Author"/> is the source's own author key (null: whoever runs the import).
/// When <see cref="NewText"/> is set (a saved file, a file in a commit), the pipeline computes the
/// patches as a minimal diff from the document's text at that point.
/// </summary>
public sealed record EditTransaction(long Time, Patch[] Patches, string? Author = null)
{
    /// <summary>The whole text after this transaction, when the source gives states rather than edits.</summary>
    public string? NewText { get; init; }

    /// <summary>A transaction given as the text it leaves behind.</summary>
    public static EditTransaction ToText(long time, string newText, string? author = null) => new(time, [], author) { NewText = newText };
}

/// <summary>
/// Edits to one document from one source, offered to the ingest pipeline as a whole: it is stored
/// entirely or not at all.
/// </summary>
public sealed record EditBatch
{
    /// <summary>The document's name.</summary>
    public required string Document { get; init; }

    /// <summary>The source the edits come from (consent is checked for it).</summary>
    public SourceKind Source { get; init; } = SourceKind.Documents;

    /// <summary>
    /// The text before the first transaction; for an existing document it must equal its current text.
    /// Null: continue from the document's current text, or from the empty text for a new document
    /// (for sources that give whole texts, see <see cref="EditTransaction.NewText"/>).
    /// </summary>
    public required string? StartContent { get; init; }

    public required IReadOnlyList<EditTransaction> Transactions { get; init; }

    /// <summary>
    /// For sources that give whole texts: the source's own text before the first transaction, when the
    /// stored text differs from it because withheld parts are masked. Diffs are taken between the
    /// source's texts and carried over to the stored text, so masked or redacted text never comes back
    /// as someone else's edit.
    /// </summary>
    public string? SourceStartContent { get; init; }

    /// <summary>The contributor running the import (<c>--as</c>); vouches only for themselves.</summary>
    public required string Actor { get; init; }

    /// <summary>Source author keys mapped to contributor names; authors not in the map become gaps.</summary>
    public IReadOnlyDictionary<string, string> AuthorMap { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// A stable id for this batch (for a file: its content hash and target); a batch whose id was stored
    /// before is a no-op.
    /// </summary>
    public required string BatchId { get; init; }

    /// <summary>
    /// The revision the source based this batch on (an editor's last known revision); when set and the
    /// document has moved on, the batch is refused as a conflict naming the current revision.
    /// </summary>
    public int? BaseRevision { get; init; }

    /// <summary>The text the source says the transactions end with, checked when nothing was withheld.</summary>
    public string? ExpectedEnd { get; init; }

    /// <summary>Where transaction <c>t</c>, patch <c>p</c> is in the input, for error messages.</summary>
    public Func<int, int, string> Locate { get; init; } = static (t, p) => $"transaction {t}, patch {p}";
}
