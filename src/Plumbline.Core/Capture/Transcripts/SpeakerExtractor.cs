using System.Net;
using System.Text.RegularExpressions;

namespace Plumbline.Core.Capture.Transcripts;

/// <summary>A cue's text split into who speaks (null when nobody is named) and what they say.</summary>
public readonly record struct Utterance(string? Speaker, string Text);

/// <summary>
/// Finds the speaker at the start of a cue's text, for WebVTT and SRT alike:
/// <list type="bullet">
/// <item>a WebVTT voice span, Teams style: <c>&lt;v Jane Doe&gt;text&lt;/v&gt;</c> or <c>&lt;v.loud Jane&gt;text</c>
/// (the annotation with whitespace collapsed and character references decoded; its <c>&lt;/v&gt;</c> removed);</item>
/// <item>a name prefix, Zoom style: <c>Jane Doe: text</c>, where the name is 1 to 4 words of letters, digits and
/// <c>.'-</c> separated by single spaces, starts with a letter, is at most <see cref="MaxNameLength"/> characters,
/// and is followed by a colon and a space.</item>
/// </list>
/// The spoken text is trimmed. A prefix such as <c>Note: </c> reads as a speaker too; that is the price of the Zoom form.
/// </summary>
public static partial class SpeakerExtractor
{
    /// <summary>The longest name a <c>Name: </c> prefix may carry.</summary>
    public const int MaxNameLength = 40;

    /// <summary>Splits <paramref name="cueText"/> into speaker and spoken text.</summary>
    public static Utterance Extract(string cueText)
    {
        ArgumentNullException.ThrowIfNull(cueText);
        return FromVoiceSpan(cueText) ?? FromNamePrefix(cueText) ?? new Utterance(null, cueText.Trim());
    }

    /// <summary><c>&lt;v[.classes][ annotation]&gt;</c> at the start, as the WebVTT cue text tokenizer reads a start tag.</summary>
    private static Utterance? FromVoiceSpan(string text)
    {
        var start = 0;
        while (start < text.Length && TranscriptText.IsAsciiWhitespace(text[start]))
        {
            start++;
        }

        if (!text.AsSpan(start).StartsWith("<v", StringComparison.Ordinal)
            || start + 2 >= text.Length
            || !(text[start + 2] is '.' or '>' || TranscriptText.IsAsciiWhitespace(text[start + 2])))
        {
            return null;
        }

        var close = text.IndexOf('>', start);
        if (close < 0)
        {
            return null;
        }

        // After "<v": classes up to the first whitespace, then the annotation up to '>'.
        var tag = text.AsSpan(start + 2, close - start - 2);
        var space = tag.IndexOfAny(" \t\n\f\r");
        var annotation = space < 0 ? "" : CollapseWhitespace(WebUtility.HtmlDecode(tag[space..].ToString()));

        // Drop the span's own end tag: the first "</v>" unless another voice span opens before it.
        var rest = text[(close + 1)..];
        var end = rest.IndexOf("</v>", StringComparison.Ordinal);
        if (end >= 0 && rest.IndexOf("<v", 0, end, StringComparison.Ordinal) < 0)
        {
            rest = rest.Remove(end, 4);
        }

        return new Utterance(annotation.Length == 0 ? null : annotation, rest.Trim());
    }

    private static Utterance? FromNamePrefix(string text)
    {
        var match = NamePrefix().Match(text);
        if (!match.Success || match.Groups["name"].Length > MaxNameLength)
        {
            return null;
        }

        return new Utterance(match.Groups["name"].Value, text[match.Length..].Trim());
    }

    private static string CollapseWhitespace(string text) =>
        string.Join(' ', text.Split([' ', '\t', '\n', '\f', '\r'], StringSplitOptions.RemoveEmptyEntries));

    [GeneratedRegex(@"\A(?<name>\p{L}[\p{L}\p{M}\p{N}.'\-]*(?: [\p{L}\p{M}\p{N}.'\-]+){0,3}): ", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NamePrefix();
}
