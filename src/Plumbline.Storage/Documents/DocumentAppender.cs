using Plumbline.Core.Text;

namespace Plumbline.Storage.Documents;

/// <summary>
/// Appends revisions to a document inside a write session: fills the last chunk when it can be
/// extended, cuts new chunks by author, consent version and size, and keeps snapshots.
/// </summary>
public sealed class DocumentAppender
{
    private readonly IStoreSession _session;
    private readonly StoreOptions _options;
    private readonly TextBuffer _text;
    private readonly List<RevisionChunkCodec.Entry> _pending = [];
    private DocumentInfo _document;
    private long _patchesAtSnapshot;
    private ChunkRow? _open;
    private long _nextSeq;
    private long _pendingBytes;
    private int _pendingPatches;
    private long? _pendingContributor;
    private int _pendingConsent;

    private DocumentAppender(IStoreSession session, StoreOptions options, DocumentInfo document, TextBuffer text, long patchesAtSnapshot)
    {
        _session = session;
        _options = options;
        _document = document;
        _text = text;
        _patchesAtSnapshot = patchesAtSnapshot;
    }

    public DocumentInfo Document => _document;

    /// <summary>Starts appending to <paramref name="document"/>, whose current text is <paramref name="head"/>.</summary>
    public static async Task<DocumentAppender> StartAsync(
        IStoreSession session,
        StoreOptions options,
        DocumentInfo document,
        string head,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(document);
        var snapshot = await session.LastSnapshotAsync(document.Id, cancellationToken);
        var appender = new DocumentAppender(session, options, document, new TextBuffer(head), snapshot?.Patches ?? 0);
        if (document.Revisions > 0)
        {
            var last = (await session.ChunksAsync(document.Id, document.Revisions, document.Revisions, cancellationToken)).SingleOrDefault();
            if (last is not null && last.LastRevision - last.FirstRevision + 1 < options.ChunkRevisions)
            {
                appender._open = last;
            }
        }

        return appender;
    }

    /// <summary>Adds revisions whose patches take the event ids from <paramref name="firstSeq"/> on, in order.</summary>
    public async Task AppendAsync(IReadOnlyList<NewRevision> revisions, long firstSeq, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revisions);
        _nextSeq = firstSeq;
        if (_open is not null && !CanExtend(_open, revisions))
        {
            _open = null;
        }

        if (_open is not null)
        {
            _pending.AddRange(RevisionChunkCodec.Decode(_open.Data));
            _pendingPatches = _open.PatchCount;
            _pendingContributor = _open.ContributorId;
            _pendingConsent = _open.ConsentVersion;
            _nextSeq = _open.FirstSeq;
        }

        foreach (var revision in revisions)
        {
            if (_pending.Count > 0 &&
                (revision.ContributorId != _pendingContributor || revision.ConsentVersion != _pendingConsent ||
                 _pending.Count >= _options.ChunkRevisions || _pendingBytes >= _options.ChunkBytes))
            {
                await FlushAsync(cancellationToken);
            }

            if (_pending.Count == 0)
            {
                _pendingContributor = revision.ContributorId;
                _pendingConsent = revision.ConsentVersion;
            }

            foreach (var patch in revision.Patches)
            {
                _text.Apply(patch);
                _pendingBytes += 3 + patch.Insert.Length;
            }

            _pending.Add(new RevisionChunkCodec.Entry(revision.Time, revision.Kind, revision.Patches));
            _pendingPatches += revision.Patches.Length;
            _document = _document with
            {
                Revisions = _document.Revisions + 1,
                Patches = _document.Patches + revision.Patches.Length,
                LastTime = revision.Time,
            };
        }

        await FlushAsync(cancellationToken);
        _document = _document with { Length = _text.Length };
        await _session.UpdateDocumentAsync(_document, cancellationToken);
    }

    private bool CanExtend(ChunkRow open, IReadOnlyList<NewRevision> revisions) =>
        revisions.Count > 0 &&
        open.ContributorId == revisions[0].ContributorId &&
        open.ConsentVersion == revisions[0].ConsentVersion &&
        open.FirstSeq + open.PatchCount == _nextSeq;

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var last = _document.Revisions;
        var first = last - _pending.Count + 1;
        var chunk = new ChunkRow(
            _document.Id,
            first,
            last,
            _pendingContributor,
            _pendingConsent,
            _nextSeq,
            _pendingPatches,
            _pending.Min(e => e.Time),
            _pending.Max(e => e.Time),
            RevisionChunkCodec.Encode(_pending, _options.CompressionQuality));
        if (_open is not null)
        {
            await _session.ReplaceChunkAsync(chunk, cancellationToken);
            _open = null;
        }
        else
        {
            await _session.InsertChunkAsync(chunk, cancellationToken);
        }

        _nextSeq += _pendingPatches;
        _pending.Clear();
        _pendingBytes = 0;
        _pendingPatches = 0;

        if (_document.Patches - _patchesAtSnapshot >= _options.SnapshotEveryPatches)
        {
            var text = _text.ToString();
            await _session.InsertSnapshotAsync(
                new SnapshotRow(_document.Id, last, _document.Patches, Compression.CompressText(text, _options.CompressionQuality)),
                cancellationToken);
            _patchesAtSnapshot = _document.Patches;
        }
    }
}
