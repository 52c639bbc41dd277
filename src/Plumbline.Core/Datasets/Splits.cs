using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Plumbline.Core.Datasets;

/// <summary>What keeps examples together in one split.</summary>
public enum SplitBy
{
    Contributor,
    Document,
}

/// <summary>
/// Deterministic seeded splits: a key (a contributor or a document) goes to a split by the SHA-256 of
/// <c>SEED:KEY</c> read as a fraction in [0, 1), so one key is never in two splits and the same seed and
/// key always land in the same split, whatever else is in the store.
/// </summary>
public sealed class SplitAssigner
{
    private readonly double[] _bounds;

    public SplitAssigner(IReadOnlyList<double> fractions, long seed)
    {
        ArgumentNullException.ThrowIfNull(fractions);
        Names = NamesFor(fractions.Count);
        Seed = seed;
        _bounds = new double[fractions.Count];
        var sum = 0.0;
        for (var i = 0; i < fractions.Count; i++)
        {
            sum += fractions[i];
            _bounds[i] = sum;
        }

        _bounds[^1] = 1.0;
    }

    public IReadOnlyList<string> Names { get; }

    public long Seed { get; }

    /// <summary>Parses <c>0.9,0.05,0.05</c>: 1 to 3 non-negative fractions summing to 1 (train, validation, test).</summary>
    public static double[] Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length is < 1 or > 3)
        {
            throw PlumblineException.BadInput($"--split: expected 1 to 3 fractions (train,validation,test), got '{text}'");
        }

        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || values[i] < 0 || values[i] > 1)
            {
                throw PlumblineException.BadInput($"--split: '{parts[i]}' is not a fraction between 0 and 1");
            }
        }

        if (Math.Abs(values.Sum() - 1.0) > 1e-9)
        {
            throw PlumblineException.BadInput($"--split: the fractions must add up to 1 (they add up to {values.Sum().ToString(CultureInfo.InvariantCulture)})");
        }

        return values;
    }

    public static IReadOnlyList<string> NamesFor(int count) => count switch
    {
        1 => ["train"],
        2 => ["train", "test"],
        3 => ["train", "validation", "test"],
        _ => throw new ArgumentOutOfRangeException(nameof(count), count, "1 to 3 splits"),
    };

    /// <summary>The split of <paramref name="key"/>.</summary>
    public string Assign(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Seed}:{key}")));
        var fraction = (BitConverter.ToUInt64(hash, 0) >> 11) * (1.0 / (1UL << 53));
        for (var i = 0; i < _bounds.Length; i++)
        {
            if (fraction < _bounds[i])
            {
                return Names[i];
            }
        }

        return Names[^1];
    }
}
