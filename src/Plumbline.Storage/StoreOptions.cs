namespace Plumbline.Storage;

/// <summary>How edits are laid out on disk. Defaults were chosen by the storage benchmark (see README).</summary>
public sealed record StoreOptions
{
    /// <summary>At most this many revisions go into one compressed chunk (default 8192).</summary>
    public int ChunkRevisions { get; init; } = 8192;

    /// <summary>A chunk is closed once its uncompressed encoding passes this many bytes (default 256 KiB).</summary>
    public int ChunkBytes { get; init; } = 256 * 1024;

    /// <summary>A snapshot of the full text is kept once this many patches follow the previous one (default 65536).</summary>
    public int SnapshotEveryPatches { get; init; } = 65536;

    /// <summary>Brotli quality for chunks and snapshots, 0–11 (default 9).</summary>
    public int CompressionQuality { get; init; } = 9;

    /// <summary>
    /// Whether edits go through redaction (default true). Turning it off is for measuring its cost in the
    /// benchmarks; nothing in the product turns it off.
    /// </summary>
    public bool Redact { get; init; } = true;

    public static StoreOptions Default { get; } = new();

    /// <summary>Every problem at once, or an empty list.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (ChunkRevisions is < 1 or > 1_000_000)
        {
            errors.Add($"ChunkRevisions must be in 1..1000000 (was {ChunkRevisions})");
        }

        if (ChunkBytes is < 1024 or > 64 * 1024 * 1024)
        {
            errors.Add($"ChunkBytes must be in 1024..67108864 (was {ChunkBytes})");
        }

        if (SnapshotEveryPatches < 1)
        {
            errors.Add($"SnapshotEveryPatches must be at least 1 (was {SnapshotEveryPatches})");
        }

        if (CompressionQuality is < 0 or > 11)
        {
            errors.Add($"CompressionQuality must be in 0..11 (was {CompressionQuality})");
        }

        return errors;
    }
}
