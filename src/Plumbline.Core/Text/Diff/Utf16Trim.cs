namespace Plumbline.Core.Text.Diff;

/// <summary>
/// Vectorised common prefix and suffix of two UTF-16 strings that never cut a surrogate pair, so that a
/// save which changes a few characters of a large file is found without decoding the file.
/// </summary>
internal static class Utf16Trim
{
    private const int SuffixChunk = 64;

    /// <summary>The common prefix length in UTF-16 units; the cut is never between a high and a low surrogate.</summary>
    public static int CommonPrefix(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var length = a.CommonPrefixLength(b);
        return length > 0 && char.IsHighSurrogate(a[length - 1]) ? length - 1 : length;
    }

    /// <summary>The common suffix length in UTF-16 units; the cut is never between a high and a low surrogate.</summary>
    public static int CommonSuffix(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var max = Math.Min(a.Length, b.Length);
        var length = 0;
        while (length + SuffixChunk <= max
            && a.Slice(a.Length - length - SuffixChunk, SuffixChunk).SequenceEqual(b.Slice(b.Length - length - SuffixChunk, SuffixChunk)))
        {
            length += SuffixChunk;
        }

        while (length < max && a[a.Length - 1 - length] == b[b.Length - 1 - length])
        {
            length++;
        }

        return length > 0 && char.IsLowSurrogate(a[a.Length - length]) ? length - 1 : length;
    }

    /// <summary>The number of code points, as <see cref="CodePoints.Count"/>, skipping surrogate-free runs vectorised.</summary>
    public static int CountCodePoints(ReadOnlySpan<char> text)
    {
        var count = text.Length;
        var i = 0;
        while (i < text.Length)
        {
            var next = text[i..].IndexOfAnyInRange('\uD800', '\uDBFF');
            if (next < 0)
            {
                break;
            }

            i += next;
            if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                count--;
                i += 2;
            }
            else
            {
                i++;
            }
        }

        return count;
    }

    /// <summary>The code points of <paramref name="text"/>, exactly as many as it has.</summary>
    public static int[] Decode(ReadOnlySpan<char> text)
    {
        var codePoints = new int[CountCodePoints(text)];
        CodePoints.Decode(text, codePoints);
        return codePoints;
    }
}
