using System.Text.RegularExpressions;

namespace Plumbline.Core.Privacy;

/// <summary>E-mail addresses and phone numbers.</summary>
internal static partial class ContactRules
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    /// <summary>Top-level "domains" that are file extensions: <c>icon@2x.png</c> is a file, not an address.</summary>
    private static readonly string[] FileExtensions =
        ["png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "css", "js", "mjs", "ts", "json", "html", "htm", "txt", "pdf", "zip", "gz"];

    public static void RunEmail(Scan scan)
    {
        for (var m = Email().Match(scan.Text, scan.Start, scan.Length); m.Success; m = m.NextMatch())
        {
            var local = m.Groups["local"].ValueSpan;
            var tld = m.Groups["tld"].Value;
            if (local is "git" || Array.Exists(FileExtensions, e => tld.Equals(e, StringComparison.OrdinalIgnoreCase)))
            {
                continue; // git@github.com: an SSH service account; icon@2x.png: a file
            }

            if (IsUrlPassword(scan.Text, m.Index, scan.Start))
            {
                continue; // scheme://user:password@host: the url-password rule's
            }

            scan.Add(FindingKind.Email, m.Index, m.Index + m.Length, DetectorRules.Email);
        }
    }

    public static void RunPhone(Scan scan)
    {
        for (var m = PhoneCandidate().Match(scan.Text, scan.Start, scan.Length); m.Success; m = m.NextMatch())
        {
            if (PhoneNumber.LongestPrefix(m.ValueSpan) is > 0 and var length)
            {
                scan.Add(FindingKind.Phone, m.Index, m.Index + length, DetectorRules.Phone);
            }
        }
    }

    /// <summary>Whether the text before <paramref name="index"/> is <c>scheme://user:</c>.</summary>
    private static bool IsUrlPassword(string text, int index, int start)
    {
        if (index == start || text[index - 1] != ':')
        {
            return false;
        }

        var from = Math.Max(start, index - 300);
        var before = text.AsSpan(from, index - from);
        var blank = before.LastIndexOfAny(" \t\r\n\"'<>");
        return before[(blank + 1)..].Contains("://", StringComparison.Ordinal);
    }

    /// <summary>local@label.label.tld: ASCII, a top-level domain of 2-24 letters, not followed by more of an address.</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9._%+-])(?<local>[A-Za-z0-9_][A-Za-z0-9._%+-]{0,63})@(?:[A-Za-z0-9][A-Za-z0-9-]{0,62}\.)+(?<tld>[A-Za-z]{2,24})(?![A-Za-z0-9_-]|\.[A-Za-z0-9])", Options)]
    private static partial Regex Email();

    /// <summary>
    /// A run of digits, spaces, dots, dashes and parentheses that starts with +digit, (digit or a digit and ends with a
    /// digit, outside any word, URL path, number or assignment; <see cref="PhoneNumber.IsPhone"/> decides.
    /// </summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9_.+/:=#@$%&\\-])(?:\+[1-9]|\(\d|\d)[\d ().-]{7,24}\d(?![A-Za-z0-9_@]|[.,:/-]\d)", Options)]
    private static partial Regex PhoneCandidate();
}
