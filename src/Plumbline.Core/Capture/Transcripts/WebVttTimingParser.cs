using System.Globalization;

namespace Plumbline.Core.Capture.Transcripts;

/// <summary>A timing line's start, end and settings.</summary>
internal readonly record struct CueTiming(TimeSpan Start, TimeSpan End, WebVttCueSettings Settings);

/// <summary>
/// WebVTT timing lines and timestamps, step by step as the W3C spec gives them
/// (https://www.w3.org/TR/webvtt1/#cue-timings-and-settings-parsing).
/// </summary>
internal static class WebVttTimingParser
{
    /// <summary>Beyond this many hours a time no longer fits a <see cref="TimeSpan"/>; such a timestamp fails.</summary>
    private const long MaxHours = 99_999_999;

    /// <summary>"Collect WebVTT cue timings and settings"; on failure <paramref name="reason"/> says what was wrong.</summary>
    public static bool TryParseTimingLine(string line, IReadOnlyList<WebVttRegion> regions, out CueTiming timing, out string reason)
    {
        timing = default;
        var position = SkipWhitespace(line, 0);
        if (!TryCollectTimestamp(line, ref position, out var start, out reason))
        {
            reason = "start time: " + reason;
            return false;
        }

        position = SkipWhitespace(line, position);
        if (!line.AsSpan(position).StartsWith("-->", StringComparison.Ordinal))
        {
            reason = "expected '-->' after the start time";
            return false;
        }

        position = SkipWhitespace(line, position + 3);
        if (!TryCollectTimestamp(line, ref position, out var end, out reason))
        {
            reason = "end time: " + reason;
            return false;
        }

        timing = new CueTiming(start, end, WebVttSettingsParser.ParseSettings(line[position..], regions));
        return true;
    }

    /// <summary>"Collect a WebVTT timestamp": <c>[hours:]MM:SS.mmm</c>, hours when the first field is not two digits or is over 59.</summary>
    public static bool TryCollectTimestamp(string input, ref int position, out TimeSpan time, out string reason)
    {
        time = default;
        if (position >= input.Length || !char.IsAsciiDigit(input[position]))
        {
            reason = "expected a timestamp ([hours:]MM:SS.mmm)";
            return false;
        }

        var first = CollectDigits(input, ref position);
        var firstIsHours = first.Length != 2 || int.Parse(first, CultureInfo.InvariantCulture) > 59;
        if (!Expect(input, ref position, ':'))
        {
            reason = $"expected ':' after {first}";
            return false;
        }

        var second = CollectDigits(input, ref position);
        if (second.Length != 2)
        {
            reason = "minutes and seconds need exactly two digits";
            return false;
        }

        string hours = "0", minutes = first, seconds = second;
        if (firstIsHours || (position < input.Length && input[position] == ':'))
        {
            if (!Expect(input, ref position, ':'))
            {
                reason = $"expected ':' and the seconds after {first}:{second} (a first field of {first} is hours)";
                return false;
            }

            (hours, minutes, seconds) = (first, second, CollectDigits(input, ref position));
            if (seconds.Length != 2)
            {
                reason = "minutes and seconds need exactly two digits";
                return false;
            }
        }

        if (!Expect(input, ref position, '.'))
        {
            reason = "expected '.' and three digits of milliseconds after the seconds";
            return false;
        }

        var fraction = CollectDigits(input, ref position);
        if (fraction.Length != 3)
        {
            reason = "the milliseconds need exactly three digits";
            return false;
        }

        var (m, s) = (int.Parse(minutes, CultureInfo.InvariantCulture), int.Parse(seconds, CultureInfo.InvariantCulture));
        if (m > 59 || s > 59)
        {
            reason = "minutes and seconds must be at most 59";
            return false;
        }

        var significantHours = hours.TrimStart('0');
        var h = significantHours.Length > 8 ? long.MaxValue : long.Parse("0" + significantHours, CultureInfo.InvariantCulture);
        if (h > MaxHours)
        {
            reason = $"hours beyond {MaxHours} are not supported";
            return false;
        }

        var milliseconds = (((h * 60) + m) * 60 + s) * 1000 + int.Parse(fraction, CultureInfo.InvariantCulture);
        time = TimeSpan.FromTicks(milliseconds * TimeSpan.TicksPerMillisecond);
        reason = "";
        return true;
    }

    private static string CollectDigits(string input, ref int position)
    {
        var start = position;
        while (position < input.Length && char.IsAsciiDigit(input[position]))
        {
            position++;
        }

        return input[start..position];
    }

    private static bool Expect(string input, ref int position, char expected)
    {
        if (position >= input.Length || input[position] != expected)
        {
            return false;
        }

        position++;
        return true;
    }

    private static int SkipWhitespace(string input, int position)
    {
        while (position < input.Length && TranscriptText.IsAsciiWhitespace(input[position]))
        {
            position++;
        }

        return position;
    }
}
