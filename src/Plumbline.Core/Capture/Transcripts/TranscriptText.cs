using System.Text;

namespace Plumbline.Core.Capture.Transcripts;

/// <summary>Turns transcript bytes into the text both parsers read.</summary>
internal static class TranscriptText
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>
    /// UTF-8 decode as the WHATWG Encoding standard does it (a leading BOM removed, each invalid sequence replaced by
    /// U+FFFD), then NULL replaced by U+FFFD, and CRLF and lone CR turned into LF.
    /// </summary>
    public static string Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            span = span[3..];
        }

        var text = Utf8.GetString(span);
        if (text.AsSpan().IndexOfAny('\0', '\r') < 0)
        {
            return text;
        }

        var normalised = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\0':
                    normalised.Append('\uFFFD');
                    break;
                case '\r':
                    normalised.Append('\n');
                    if (i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }

                    break;
                default:
                    normalised.Append(text[i]);
                    break;
            }
        }

        return normalised.ToString();
    }

    /// <summary>ASCII whitespace as HTML defines it: tab, LF, FF, CR, space.</summary>
    public static bool IsAsciiWhitespace(char c) => c is ' ' or '\t' or '\n' or '\f' or '\r';

    /// <summary>A line quoted in a message, cut to <paramref name="max"/> characters.</summary>
    public static string Quote(string line, int max = 60) =>
        "\"" + (line.Length <= max ? line : line[..max] + "…") + "\"";
}
