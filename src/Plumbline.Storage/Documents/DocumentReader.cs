using Plumbline.Core;
using Plumbline.Core.Text;

namespace Plumbline.Storage.Documents;

/// <summary>Replays documents: from the nearest snapshot at or before a revision, through the chunks after it.</summary>
public static class DocumentReader
{
    /// <summary>The document named <paramref name="name"/>, or a not-found failure naming it.</summary>
    public static async Task<DocumentInfo> RequireAsync(IStoreSession session, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return await session.FindDocumentAsync(name, cancellationToken)
            ?? throw PlumblineException.NotFound($"DOC: there is no document named '{name}' (plumb docs lists them)");
    }

    /// <summary>The text of <paramref name="document"/> at <paramref name="revision"/>, as a buffer ready for more edits.</summary>
    public static Task<TextBuffer> LoadAsync(IStoreSession session, DocumentInfo document, int revision, CancellationToken cancellationToken) =>
        LoadAsync(session, document, revision, null, 0, cancellationToken);

    /// <summary>
    /// The text of <paramref name="document"/> at <paramref name="revision"/>: <paramref name="current"/> (the text at
    /// <paramref name="at"/>, changed in place) moved forward when no snapshot lies between, else loaded from the nearest snapshot.
    /// </summary>
    public static async Task<TextBuffer> LoadAsync(IStoreSession session, DocumentInfo document, int revision, TextBuffer? current, int at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(document);
        if (revision < 0 || revision > document.Revisions)
        {
            throw PlumblineException.BadInput(
                $"--rev: document '{document.Name}' has revisions 0 to {document.Revisions} (asked for {revision})");
        }

        if (current is not null && at == revision)
        {
            return current;
        }

        var snapshot = revision == 0 ? null : await session.SnapshotAtOrBeforeAsync(document.Id, revision, cancellationToken);
        int from;
        TextBuffer buffer;
        if (current is not null && at < revision && (snapshot is null || snapshot.Revision <= at))
        {
            (from, buffer) = (at, current);
        }
        else
        {
            from = snapshot?.Revision ?? 0;
            var text = snapshot is null
                ? await session.StartContentAsync(document.Id, cancellationToken)
                : Compression.DecompressText(snapshot.Data);
            buffer = new TextBuffer(text, Math.Max(document.Length, text.Length) + 1024);
        }

        if (revision == from)
        {
            return buffer;
        }

        foreach (var chunk in await session.ChunksAsync(document.Id, from + 1, revision, cancellationToken))
        {
            RevisionChunkCodec.ApplyRange(chunk.Data, chunk.FirstRevision, from + 1, revision, buffer);
        }

        return buffer;
    }

    /// <summary>The stored revisions in [<paramref name="fromRevision"/>, <paramref name="toRevision"/>], in order.</summary>
    public static async IAsyncEnumerable<StoredRevision> RevisionsAsync(
        IStoreSession session,
        DocumentInfo document,
        int fromRevision,
        int toRevision,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(document);
        foreach (var chunk in await session.ChunksAsync(document.Id, fromRevision, toRevision, cancellationToken))
        {
            foreach (var revision in Revisions(chunk, RevisionChunkCodec.Decode(chunk.Data)))
            {
                if (revision.Revision >= fromRevision && revision.Revision <= toRevision)
                {
                    yield return revision;
                }
            }
        }
    }

    /// <summary>Every revision of a chunk, from its decoded entries: numbered from its first revision, seqs counted from its first seq.</summary>
    internal static IReadOnlyList<StoredRevision> Revisions(ChunkRow chunk, IReadOnlyList<RevisionChunkCodec.Entry> entries)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        ArgumentNullException.ThrowIfNull(entries);
        var revisions = new StoredRevision[entries.Count];
        var seq = chunk.FirstSeq;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            revisions[i] = new StoredRevision(chunk.FirstRevision + i, entry.Time, chunk.ContributorId, chunk.ConsentVersion, entry.Kind, entry.Patches, seq);
            seq += entry.Patches.Length;
        }

        return revisions;
    }

    /// <summary>The highest revision whose time is at or before <paramref name="time"/> (0 when none is).</summary>
    public static async Task<int> RevisionAtTimeAsync(IStoreSession session, DocumentInfo document, long time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(document);
        var best = 0;
        var chunks = await session.ChunksStartingByAsync(document.Id, time, cancellationToken);
        for (var c = chunks.Count - 1; c >= 0; c--)
        {
            var chunk = chunks[c];
            if (chunk.LastRevision <= best)
            {
                break;
            }

            if (chunk.MaxTime <= time)
            {
                best = Math.Max(best, chunk.LastRevision);
                continue;
            }

            var entries = RevisionChunkCodec.Decode(chunk.Data);
            for (var i = entries.Count - 1; i >= 0; i--)
            {
                if (entries[i].Time <= time)
                {
                    best = Math.Max(best, chunk.FirstRevision + i);
                    break;
                }
            }
        }

        return best;
    }
}
