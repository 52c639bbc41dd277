using System.Text.RegularExpressions;

namespace Plumbline.Core.Privacy;

/// <summary>Payment card numbers and IP addresses.</summary>
internal static partial class NumberRules
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    public static void RunCard(Scan scan)
    {
        for (var m = CardCandidate().Match(scan.Text, scan.Start, scan.Length); m.Success; m = m.NextMatch())
        {
            if (CardNumber.IsCard(m.ValueSpan))
            {
                scan.Add(FindingKind.Card, m.Index, m.Index + m.Length, DetectorRules.Card);
            }
        }
    }

    public static void RunIpv4(Scan scan)
    {
        for (var m = Ipv4().Match(scan.Text, scan.Start, scan.Length); m.Success; m = m.NextMatch())
        {
            // Loopback, "any" and broadcast addresses identify no one (a Rust doc example prints 127.0.0.1).
            if (!m.ValueSpan.StartsWith("127.", StringComparison.Ordinal) && m.ValueSpan is not ("0.0.0.0" or "255.255.255.255"))
            {
                scan.Add(FindingKind.Ip, m.Index, m.Index + m.Length, DetectorRules.Ipv4);
            }
        }
    }

    public static void RunIpv6(Scan scan)
    {
        for (var m = Ipv6Candidate().Match(scan.Text, scan.Start, scan.Length); m.Success; m = m.NextMatch())
        {
            if (IsIpv6(m.ValueSpan))
            {
                scan.Add(FindingKind.Ip, m.Index, m.Index + m.Length, DetectorRules.Ipv6);
            }
        }
    }

    /// <summary>
    /// Eight hex groups; or one <c>::</c> with at most seven groups around it, at least two of them, a digit among
    /// them, and either three groups or a hex letter (so <c>fe80::1</c> and <c>2001:db8::1</c>, not <c>a::b</c>,
    /// <c>10::100</c>, <c>::1</c> or <c>12:30:45</c>).
    /// </summary>
    internal static bool IsIpv6(ReadOnlySpan<char> candidate)
    {
        var compressed = candidate.IndexOf("::", StringComparison.Ordinal);
        if (compressed >= 0 && candidate[(compressed + 1)..].Contains("::", StringComparison.Ordinal))
        {
            return false; // two ::, or :::
        }

        var groups = 0;
        var hexLetter = false;
        var digit = false;
        foreach (var range in candidate.Split(':'))
        {
            var group = candidate[range];
            if (group.IsEmpty)
            {
                continue;
            }

            groups++;
            hexLetter |= group.ContainsAnyExcept("0123456789");
            digit |= group.ContainsAny("0123456789");
        }

        if (compressed < 0)
        {
            return groups == 8 && candidate.Count(':') == 7;
        }

        var singleColonEdge = (candidate[0] == ':' && compressed != 0) || (candidate[^1] == ':' && compressed != candidate.Length - 2);
        return !singleColonEdge && groups is >= 2 and <= 7 && digit && (groups >= 3 || hexLetter);
    }

    /// <summary>13-19 digits, optionally grouped by single spaces or dashes, outside any word, number or URL.</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9_.,/:=+$#-])\d(?:[ -]?\d){12,18}(?![A-Za-z0-9_]|[.,-]?\d)", Options)]
    private static partial Regex CardCandidate();

    /// <summary>
    /// Four decimal octets 0-255 without leading zeros, not preceded by a letter, digit, dot, dash or colon (so not
    /// <c>v1.2.3.4</c>) and not followed by a letter, digit, dash or another <c>.digit</c> (so not part of 1.2.3.4.5).
    /// </summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9_.:-])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![A-Za-z0-9_-]|\.\d)", Options)]
    private static partial Regex Ipv4();

    /// <summary>Hex groups joined by colons (two or more), outside any word or longer colon sequence.</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9_:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![A-Za-z0-9_:]|\.\d)", Options)]
    private static partial Regex Ipv6Candidate();
}
