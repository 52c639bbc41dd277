namespace Plumbline.Core.Datasets;

/// <summary>
/// Near-duplicate removal with MinHash and locality-sensitive hashing. An example is two texts: its
/// <em>context</em> (for next-edit, the editable region) and its <em>change</em> (the target). Each gets
/// <see cref="HashesPerPart"/> MinHash values over character shingles; bands of
/// <see cref="RowsPerPart"/> context rows plus <see cref="RowsPerPart"/> change rows find candidates, and a
/// candidate is a duplicate only when the estimated Jaccard similarity of both parts reaches the threshold.
/// So consecutive examples of one document — the same region, a different next edit — are kept, while the
/// same edit in the same context (a document imported twice, a paste repeated) is removed.
/// Memory grows with the kept examples only: their signatures (2 × 16 × 4 bytes each) and a bucket chain of
/// 4 band keys (a dictionary entry and an int each), about 250 bytes per example.
/// </summary>
public sealed class NearDuplicateIndex
{
    public const int HashesPerPart = 16;
    public const int RowsPerPart = 4;
    private const int Bands = HashesPerPart / RowsPerPart;
    private static readonly ulong[] Seeds = CreateSeeds();

    private readonly double _threshold;
    private readonly Dictionary<ulong, int> _heads = [];
    private readonly List<int> _next = [];
    private readonly List<uint> _signatures = [];

    public NearDuplicateIndex(double threshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(threshold, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, 1);
        _threshold = threshold;
    }

    /// <summary>How many examples were removed as near-duplicates.</summary>
    public int Removed { get; private set; }

    /// <summary>Adds the example unless it is a near-duplicate of one added before; true when added.</summary>
    public bool TryAdd(string context, string change)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(change);
        var signature = new uint[2 * HashesPerPart];
        Sign(context, 5, signature.AsSpan(0, HashesPerPart));
        Sign(change, 3, signature.AsSpan(HashesPerPart, HashesPerPart));
        Span<ulong> keys = stackalloc ulong[Bands];
        for (var band = 0; band < Bands; band++)
        {
            var key = unchecked(0x9E3779B97F4A7C15UL * (ulong)(band + 1));
            for (var row = 0; row < RowsPerPart; row++)
            {
                key = Mix(key ^ signature[(band * RowsPerPart) + row]);
                key = Mix(key ^ signature[HashesPerPart + (band * RowsPerPart) + row]);
            }

            keys[band] = key;
            for (var node = _heads.GetValueOrDefault(key, -1); node >= 0; node = _next[node])
            {
                if (Similar(signature, node / Bands))
                {
                    Removed++;
                    return false;
                }
            }
        }

        var index = _signatures.Count / signature.Length;
        _signatures.AddRange(signature);
        for (var band = 0; band < Bands; band++)
        {
            _next.Add(_heads.GetValueOrDefault(keys[band], -1));
            _heads[keys[band]] = (index * Bands) + band;
        }

        return true;
    }

    /// <summary>The estimated Jaccard similarity of two texts' shingle sets (for tests and the card).</summary>
    public static double Similarity(string a, string b, int shingle)
    {
        var x = new uint[HashesPerPart];
        var y = new uint[HashesPerPart];
        Sign(a, shingle, x);
        Sign(b, shingle, y);
        return Agreement(x, y);
    }

    private bool Similar(uint[] a, int other)
    {
        var b = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_signatures).Slice(other * 2 * HashesPerPart, 2 * HashesPerPart);
        return Agreement(a.AsSpan(0, HashesPerPart), b[..HashesPerPart]) >= _threshold &&
            Agreement(a.AsSpan(HashesPerPart), b[HashesPerPart..]) >= _threshold;
    }

    private static double Agreement(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        var same = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i])
            {
                same++;
            }
        }

        return (double)same / a.Length;
    }

    /// <summary>MinHash of the set of <paramref name="shingle"/>-character shingles (the whole text when shorter).</summary>
    private static void Sign(string text, int shingle, Span<uint> signature)
    {
        signature.Fill(uint.MaxValue);
        var count = Math.Max(1, text.Length - shingle + 1);
        for (var i = 0; i < count; i++)
        {
            var length = Math.Min(shingle, text.Length - i);
            var h = 0xCBF29CE484222325UL;
            for (var j = 0; j < length; j++)
            {
                h = unchecked((h ^ text[i + j]) * 0x100000001B3UL);
            }

            for (var k = 0; k < signature.Length; k++)
            {
                var v = (uint)(Mix(h ^ Seeds[k]) >> 32);
                if (v < signature[k])
                {
                    signature[k] = v;
                }
            }
        }
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    private static ulong[] CreateSeeds()
    {
        var seeds = new ulong[HashesPerPart];
        var state = 0x5EEDUL;
        for (var i = 0; i < seeds.Length; i++)
        {
            unchecked
            {
                state += 0x9E3779B97F4A7C15UL;
            }

            seeds[i] = Mix(state);
        }

        return seeds;
    }
}
