using System.Text;

namespace Plumbline.Core.Text;

/// <summary>Conversions between code point positions and .NET's UTF-16 strings.</summary>
public static class CodePoints
{
    /// <summary>The number of code points in <paramref name="text"/> (a lone surrogate counts as one).</summary>
    public static int Count(ReadOnlySpan<char> text)
    {
        var count = text.Length;
        for (var i = 0; i < text.Length - 1; i++)
        {
            if (char.IsHighSurrogate(text[i]) && char.IsLowSurrogate(text[i + 1]))
            {
                count--;
                i++;
            }
        }

        return count;
    }

    /// <summary>Whether <paramref name="text"/> holds a surrogate that is not half of a pair (text that is not valid Unicode).</summary>
    public static bool HasLoneSurrogate(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i]))
            {
                continue;
            }

            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            return true;
        }

        return false;
    }

    /// <summary>The UTF-16 index of code point <paramref name="codePointIndex"/> (may equal the length).</summary>
    public static int ToUtf16Index(ReadOnlySpan<char> text, int codePointIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(codePointIndex);
        var cp = 0;
        var i = 0;
        while (i < text.Length && cp < codePointIndex)
        {
            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            cp++;
        }

        if (cp != codePointIndex)
        {
            throw new ArgumentOutOfRangeException(nameof(codePointIndex), codePointIndex, $"the text has only {cp} code points");
        }

        return i;
    }

    /// <summary>The code point index of UTF-16 index <paramref name="utf16Index"/>.</summary>
    public static int FromUtf16Index(ReadOnlySpan<char> text, int utf16Index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(utf16Index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(utf16Index, text.Length);
        return Count(text[..utf16Index]);
    }

    /// <summary>Decodes <paramref name="text"/> into code points; lone surrogates are kept as their own value.</summary>
    public static int Decode(ReadOnlySpan<char> text, Span<int> destination)
    {
        var n = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                destination[n++] = char.ConvertToUtf32(c, text[i + 1]);
                i++;
            }
            else
            {
                destination[n++] = c;
            }
        }

        return n;
    }

    /// <summary>Encodes code points as a string; values in the surrogate range are written as single units.</summary>
    public static string Encode(ReadOnlySpan<int> codePoints)
    {
        var length = 0;
        foreach (var cp in codePoints)
        {
            length += cp > 0xFFFF ? 2 : 1;
        }

        if (length == codePoints.Length)
        {
            return string.Create(length, codePoints.ToArray(), static (span, cps) =>
            {
                for (var i = 0; i < cps.Length; i++)
                {
                    span[i] = (char)cps[i];
                }
            });
        }

        var builder = new StringBuilder(length);
        foreach (var cp in codePoints)
        {
            if (cp > 0xFFFF)
            {
                builder.Append(char.ConvertFromUtf32(cp));
            }
            else
            {
                builder.Append((char)cp);
            }
        }

        return builder.ToString();
    }
}
