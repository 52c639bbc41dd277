using System.Security.Cryptography;

namespace Plumbline.Storage.History;

/// <summary>
/// Who typed each character at some chunk ends, kept in memory so that the authorship at a late revision replays from
/// the nearest checkpoint instead of from revision 1. Content-addressed: the key hashes the start length and every
/// chunk up to the checkpoint (first revision, contributor, stored bytes), so a checkpoint is only ever used for the
/// very history it was computed from (whatever store it is in), and a rewritten history simply misses.
/// </summary>
internal static class AuthorshipCheckpoints
{
    /// <summary>A checkpoint is kept at the first chunk end at least this many revisions after the previous one.</summary>
    public const int Every = 16384;

    /// <summary>At most this many checkpoints are kept (the oldest go first); each holds one char per character of the text.</summary>
    private const int Capacity = 64;

    private static readonly Dictionary<string, Checkpoint> Entries = new(StringComparer.Ordinal);
    private static readonly Queue<string> Order = new();
    private static readonly Lock Gate = new();

    /// <summary>The authorship as one char per code point (see <see cref="HistoryReader"/>'s marks) and the contributor ids the marks index.</summary>
    public sealed record Checkpoint(string Authors, long[] Ids);

    /// <summary>The key of the history up to the end of each chunk.</summary>
    public static string[] PrefixKeys(int startLength, IReadOnlyList<ChunkRow> chunks)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[8];
        BitConverter.TryWriteBytes(number, (long)startLength);
        hash.AppendData(number);
        var keys = new string[chunks.Count];
        for (var c = 0; c < chunks.Count; c++)
        {
            var chunk = chunks[c];
            BitConverter.TryWriteBytes(number, ((long)chunk.FirstRevision << 32) | (uint)chunk.LastRevision);
            hash.AppendData(number);
            BitConverter.TryWriteBytes(number, chunk.ContributorId ?? -1);
            hash.AppendData(number);
            BitConverter.TryWriteBytes(number, (long)chunk.Data.Length);
            hash.AppendData(number);
            hash.AppendData(chunk.Data);
            keys[c] = Convert.ToHexString(hash.GetCurrentHash());
        }

        return keys;
    }

    public static bool TryGet(string key, out Checkpoint? checkpoint)
    {
        lock (Gate)
        {
            return Entries.TryGetValue(key, out checkpoint);
        }
    }

    public static void Add(string key, Checkpoint checkpoint)
    {
        lock (Gate)
        {
            if (!Entries.TryAdd(key, checkpoint))
            {
                return;
            }

            Order.Enqueue(key);
            while (Order.Count > Capacity)
            {
                Entries.Remove(Order.Dequeue());
            }
        }
    }
}
