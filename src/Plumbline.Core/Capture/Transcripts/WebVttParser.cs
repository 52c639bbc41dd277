using System.Text;

namespace Plumbline.Core.Capture.Transcripts;

/// <summary>
/// Reads WebVTT with the W3C WebVTT file parsing algorithm (https://www.w3.org/TR/webvtt1/#file-parsing). The only
/// fatal error is a missing <c>WEBVTT</c> signature; every block the algorithm drops (a malformed timing line, text
/// with no timing line, a STYLE or REGION block after the first cue) is reported in
/// <see cref="WebVttDocument.Skipped"/>. Comments (<c>NOTE</c> blocks) are dropped silently, as intended.
/// </summary>
public static class WebVttParser
{
    /// <summary>The message (after <c>FILE: line 1: </c>) for a file without the signature.</summary>
    public const string NotWebVttMessage =
        "not a WebVTT file (the first line must be WEBVTT, optionally followed by a space or tab and text)";

    /// <summary>Parses a WebVTT file. <paramref name="fileName"/> names the input in messages.</summary>
    public static WebVttDocument Parse(byte[] bytes, string fileName)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(fileName);
        var input = TranscriptText.Decode(bytes);

        // Signature: at least "WEBVTT", and then nothing, a space, a tab or a line feed.
        if (!input.StartsWith("WEBVTT", StringComparison.Ordinal) || (input.Length > 6 && input[6] is not (' ' or '\t' or '\n')))
        {
            throw PlumblineException.BadInput($"{fileName}: line 1: {NotWebVttMessage}");
        }

        return new BlockReader(input).ReadFile();
    }

    /// <summary>The file parsing algorithm over the normalised input; position and line number move together.</summary>
    private sealed class BlockReader(string input)
    {
        private readonly List<WebVttCue> _cues = [];
        private readonly List<WebVttRegion> _regions = [];
        private readonly List<string> _stylesheets = [];
        private readonly List<SkippedBlock> _skipped = [];
        private int _position;
        private int _line = 1;
        private bool _seenCue;

        private bool AtEnd => _position >= input.Length;

        public WebVttDocument ReadFile()
        {
            var header = "";
            CollectLine(); // the signature line
            if (!AtEnd)
            {
                PassLineFeed();
                if (!AtEnd)
                {
                    if (input[_position] != '\n')
                    {
                        header = CollectBlock(inHeader: true);
                    }
                    else
                    {
                        PassLineFeed();
                    }

                    SkipLineFeeds();
                    while (!AtEnd)
                    {
                        CollectBlock(inHeader: false);
                        SkipLineFeeds();
                    }
                }
            }

            return new WebVttDocument(header, _cues, _regions, _stylesheets, _skipped);
        }

        /// <summary>"Collect a WebVTT block": adds what it finds to the outputs and returns its buffer (the header's text).</summary>
        private string CollectBlock(bool inHeader)
        {
            var blockLine = _line;
            var lineCount = 0;
            var previous = (_position, _line);
            var buffer = new StringBuilder();
            var seenArrow = false;
            CueTiming? cue = null;
            var cueId = "";
            SkippedBlock? failure = null;
            var isStylesheet = false;
            var isRegion = false;
            while (true)
            {
                var lineNumber = _line;
                var line = CollectLine();
                lineCount++;
                var seenEof = AtEnd;
                if (!seenEof)
                {
                    PassLineFeed();
                }

                if (line.Contains("-->", StringComparison.Ordinal))
                {
                    if (inHeader || !(lineCount == 1 || (lineCount == 2 && !seenArrow)))
                    {
                        (_position, _line) = previous;
                        break;
                    }

                    seenArrow = true;
                    previous = (_position, _line);
                    if (WebVttTimingParser.TryParseTimingLine(line, _regions, out var timing, out var reason))
                    {
                        cue = timing;
                        cueId = buffer.ToString();
                        buffer.Clear();
                        _seenCue = true;
                    }
                    else
                    {
                        cue = null;
                        failure = new SkippedBlock(lineNumber, $"timing line malformed: {reason} in {TranscriptText.Quote(line)}");
                    }
                }
                else if (line.Length == 0)
                {
                    break;
                }
                else
                {
                    if (!inHeader && lineCount == 2 && !_seenCue)
                    {
                        if (IsKeywordOnly(buffer, "STYLE"))
                        {
                            isStylesheet = true;
                            buffer.Clear();
                        }
                        else if (IsKeywordOnly(buffer, "REGION"))
                        {
                            isRegion = true;
                            buffer.Clear();
                        }
                    }

                    if (buffer.Length > 0)
                    {
                        buffer.Append('\n');
                    }

                    buffer.Append(line);
                    previous = (_position, _line);
                }

                if (seenEof)
                {
                    break;
                }
            }

            var text = buffer.ToString();
            if (cue is { } c)
            {
                var spoken = SpeakerExtractor.Extract(text);
                _cues.Add(new WebVttCue(cueId, c.Start, c.End, text, c.Settings, blockLine, spoken.Speaker, spoken.Text));
            }
            else if (isStylesheet)
            {
                _stylesheets.Add(text);
            }
            else if (isRegion)
            {
                _regions.Add(WebVttSettingsParser.ParseRegion(text));
            }
            else if (!inHeader)
            {
                ReportDropped(blockLine, text, failure);
            }

            return text;
        }

        private void ReportDropped(int blockLine, string text, SkippedBlock? failure)
        {
            if (failure is { } f)
            {
                _skipped.Add(f);
            }
            else if (text.Length == 0 || IsComment(text))
            {
                // nothing, or a comment: dropped by design
            }
            else if (IsKeywordLine(text, "STYLE") || IsKeywordLine(text, "REGION"))
            {
                var keyword = text.StartsWith('S') ? "STYLE" : "REGION";
                _skipped.Add(new SkippedBlock(
                    blockLine,
                    _seenCue ? $"{keyword} block after the first cue is ignored (allowed only before it)" : $"{keyword} block with nothing in it is ignored"));
            }
            else
            {
                _skipped.Add(new SkippedBlock(
                    blockLine,
                    $"no timing line: a cue needs 'START --> END' on its first or second line, found {TranscriptText.Quote(text.Split('\n')[0])}"));
            }
        }

        /// <summary>"STYLE" or "REGION" followed only by ASCII whitespace (the whole buffer so far).</summary>
        private static bool IsKeywordOnly(StringBuilder buffer, string keyword)
        {
            if (buffer.Length < keyword.Length)
            {
                return false;
            }

            for (var i = 0; i < buffer.Length; i++)
            {
                var ok = i < keyword.Length ? buffer[i] == keyword[i] : TranscriptText.IsAsciiWhitespace(buffer[i]);
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>A block whose first line is the keyword with only whitespace after it.</summary>
        private static bool IsKeywordLine(string text, string keyword)
        {
            var firstLine = text.Split('\n')[0];
            return firstLine.StartsWith(keyword, StringComparison.Ordinal) && firstLine.AsSpan(keyword.Length).Trim(" \t\f").IsEmpty;
        }

        /// <summary>A WebVTT comment: "NOTE" followed by a space, tab or line break, or nothing.</summary>
        private static bool IsComment(string text) =>
            text.StartsWith("NOTE", StringComparison.Ordinal) && (text.Length == 4 || text[4] is ' ' or '\t' or '\n');

        /// <summary>Collects code points up to (not including) the next LF or the end.</summary>
        private string CollectLine()
        {
            var start = _position;
            var end = input.IndexOf('\n', start);
            _position = end < 0 ? input.Length : end;
            return input[start.._position];
        }

        private void PassLineFeed()
        {
            _position++;
            _line++;
        }

        private void SkipLineFeeds()
        {
            while (!AtEnd && input[_position] == '\n')
            {
                PassLineFeed();
            }
        }
    }
}
