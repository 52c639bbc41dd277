using System.Globalization;

namespace Plumbline.Core.Capture.Transcripts;

/// <summary>
/// WebVTT cue settings and region settings, step by step as the W3C spec gives them
/// (https://www.w3.org/TR/webvtt1/#cue-timings-and-settings-parsing, #region-settings-parsing).
/// </summary>
internal static class WebVttSettingsParser
{
    /// <summary>"Parse the WebVTT cue settings" from the rest of a timing line.</summary>
    public static WebVttCueSettings ParseSettings(string input, IReadOnlyList<WebVttRegion> regions)
    {
        var settings = WebVttCueSettings.Default;
        foreach (var (name, value) in NameValuePairs(input))
        {
            settings = name switch
            {
                "region" => settings with { Region = regions.Any(r => r.Id == value) ? value : null },
                "vertical" => Vertical(settings, value),
                "line" => Line(settings, value),
                "position" => Position(settings, value),
                "size" when TryParsePercentage(value, out var size) => settings with { Size = size, Region = size == 100 ? settings.Region : null },
                "align" => settings with { Align = value switch
                {
                    "start" => WebVttTextAlign.Start,
                    "center" => WebVttTextAlign.Center,
                    "end" => WebVttTextAlign.End,
                    "left" => WebVttTextAlign.Left,
                    "right" => WebVttTextAlign.Right,
                    _ => settings.Align,
                } },
                _ => settings,
            };
        }

        return settings;
    }

    /// <summary>"Collect WebVTT region settings" from a REGION block's text.</summary>
    public static WebVttRegion ParseRegion(string input)
    {
        var region = WebVttRegion.Default;
        foreach (var (name, value) in NameValuePairs(input))
        {
            region = name switch
            {
                "id" => region with { Id = value },
                "width" when TryParsePercentage(value, out var width) => region with { Width = width },
                "lines" when value.All(char.IsAsciiDigit) => region with { Lines = double.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture) },
                "regionanchor" when TryParseAnchor(value, out var x, out var y) => region with { RegionAnchorX = x, RegionAnchorY = y },
                "viewportanchor" when TryParseAnchor(value, out var x, out var y) => region with { ViewportAnchorX = x, ViewportAnchorY = y },
                "scroll" when value == "up" => region with { Scroll = WebVttScroll.Up },
                _ => region,
            };
        }

        return region;
    }

    /// <summary>"Parse a percentage string": digits, optionally '.' and digits, then '%'; the number within 0..100.</summary>
    public static bool TryParsePercentage(string input, out double percentage)
    {
        percentage = 0;
        var number = input.Length > 1 && input[^1] == '%' ? input[..^1] : null;
        var dot = number?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        var wellFormed = number is not null && (dot < 0
            ? IsDigits(number)
            : IsDigits(number[..dot]) && IsDigits(number[(dot + 1)..]));
        if (!wellFormed || !TryParseFloat(number!, out percentage) || percentage is < 0 or > 100)
        {
            return false;
        }

        return true;
    }

    private static WebVttCueSettings Vertical(WebVttCueSettings settings, string value)
    {
        var direction = value switch
        {
            "rl" => WebVttWritingDirection.VerticalGrowingLeft,
            "lr" => WebVttWritingDirection.VerticalGrowingRight,
            _ => settings.Vertical,
        };
        return settings with { Vertical = direction, Region = direction == WebVttWritingDirection.Horizontal ? settings.Region : null };
    }

    /// <summary>
    /// <c>line:</c> a number (snap to lines) or a percentage, then optionally <c>,start|center|end</c>. An unknown
    /// alignment keyword is ignored and the number still applies: the spec text skips the whole setting, but the
    /// web-platform-tests (settings-line: <c>line:100%,middle</c> gives line 100) and browsers keep the number.
    /// </summary>
    private static WebVttCueSettings Line(WebVttCueSettings settings, string value)
    {
        var (linePosition, lineAlign) = SplitAtComma(value);
        if (!linePosition.Any(char.IsAsciiDigit))
        {
            return settings;
        }

        var isPercentage = linePosition[^1] == '%';
        var ok = isPercentage ? TryParsePercentage(linePosition, out var number) : TryParseLineNumber(linePosition, out number);
        if (!ok)
        {
            return settings;
        }

        var align = lineAlign switch
        {
            "start" => WebVttLineAlign.Start,
            "center" => WebVttLineAlign.Center,
            "end" => WebVttLineAlign.End,
            _ => settings.LineAlign,
        };
        return settings with { Line = number, SnapToLines = !isPercentage, LineAlign = align, Region = null };
    }

    /// <summary><c>position:</c> a percentage, then optionally <c>,line-left|center|line-right</c> (an unknown keyword is ignored, as for <c>line</c>).</summary>
    private static WebVttCueSettings Position(WebVttCueSettings settings, string value)
    {
        var (columnPosition, columnAlign) = SplitAtComma(value);
        if (!TryParsePercentage(columnPosition, out var number))
        {
            return settings;
        }

        var align = columnAlign switch
        {
            "line-left" => WebVttPositionAlign.LineLeft,
            "center" => WebVttPositionAlign.Center,
            "line-right" => WebVttPositionAlign.LineRight,
            _ => settings.PositionAlign,
        };
        return settings with { Position = number, PositionAlign = align };
    }

    /// <summary>A line number: only '-', digits and '.'; '-' only first; at most one '.', with digits on both sides.</summary>
    private static bool TryParseLineNumber(string text, out double number)
    {
        number = 0;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var valid = text.All(c => c is '-' or '.' || char.IsAsciiDigit(c))
            && text.LastIndexOf('-') <= 0
            && dot == text.LastIndexOf('.')
            && (dot < 0 || (dot > 0 && dot < text.Length - 1 && char.IsAsciiDigit(text[dot - 1]) && char.IsAsciiDigit(text[dot + 1])));
        return valid && TryParseFloat(text, out number);
    }

    /// <summary>HTML's rules for parsing floating-point numbers on already validated text: rounded to the nearest double, -0 is 0, overflow is an error.</summary>
    private static bool TryParseFloat(string text, out double number)
    {
        number = double.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        if (double.IsInfinity(number))
        {
            return false;
        }

        if (number == 0)
        {
            number = 0; // -0 becomes +0
        }

        return true;
    }

    private static bool TryParseAnchor(string value, out double x, out double y)
    {
        (x, y) = (0, 0);
        var (first, second) = SplitAtComma(value);
        return second is not null && TryParsePercentage(first, out x) && TryParsePercentage(second, out y);
    }

    /// <summary>Splits on ASCII whitespace and keeps the <c>name:value</c> tokens whose first colon is neither first nor last.</summary>
    private static IEnumerable<(string Name, string Value)> NameValuePairs(string input)
    {
        foreach (var token in input.Split([' ', '\t', '\n', '\f', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = token.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && colon < token.Length - 1)
            {
                yield return (token[..colon], token[(colon + 1)..]);
            }
        }
    }

    private static (string Before, string? After) SplitAtComma(string value)
    {
        var comma = value.IndexOf(',', StringComparison.Ordinal);
        return comma < 0 ? (value, null) : (value[..comma], value[(comma + 1)..]);
    }

    private static bool IsDigits(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);
}
