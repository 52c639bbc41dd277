using System.Buffers;

namespace Plumbline.Core.Privacy;

/// <summary>Cheap (vectorised) tests that decide whether a family of rules can match a region at all.</summary>
internal static class Prefilter
{
    private static readonly SearchValues<char> Base64Characters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-");

    /// <summary>What the digit runs of a region allow: a phone or card number, a dotted quad.</summary>
    [Flags]
    public enum Digits
    {
        None = 0,

        /// <summary>10 or more digits in runs at most 3 characters apart (phone numbers, card numbers).</summary>
        Cluster = 1,

        /// <summary>Four digit runs joined by single dots (IPv4).</summary>
        DottedQuad = 2,
    }

    public static Digits Scan(ReadOnlySpan<char> region)
    {
        var result = Digits.None;
        var cluster = 0;
        var dotted = 0;
        var previousEnd = -100;
        var at = 0;
        while (at < region.Length && result != (Digits.Cluster | Digits.DottedQuad))
        {
            var start = region[at..].IndexOfAnyInRange('0', '9');
            if (start < 0)
            {
                break;
            }

            start += at;
            var length = region[start..].IndexOfAnyExceptInRange('0', '9');
            var end = length < 0 ? region.Length : start + length;
            var gap = start - previousEnd;
            cluster = gap <= 3 ? cluster + (end - start) : end - start;
            dotted = gap == 1 && region[start - 1] == '.' ? dotted + 1 : 1;
            if (cluster >= 10)
            {
                result |= Digits.Cluster;
            }

            if (dotted >= 4)
            {
                result |= Digits.DottedQuad;
            }

            previousEnd = end;
            at = end;
        }

        return result;
    }

    /// <summary>A run of at least <paramref name="length"/> characters of base64 or base64url.</summary>
    public static bool HasBase64Run(ReadOnlySpan<char> region, int length)
    {
        var at = 0;
        while (region.Length - at >= length)
        {
            var start = region[at..].IndexOfAny(Base64Characters);
            if (start < 0)
            {
                return false;
            }

            start += at;
            var run = region[start..].IndexOfAnyExcept(Base64Characters);
            if (run < 0)
            {
                return region.Length - start >= length;
            }

            if (run >= length)
            {
                return true;
            }

            at = start + run;
        }

        return false;
    }

    /// <summary>Enough colons for an IPv6 address: a "::" or seven of them.</summary>
    public static bool MayHoldIpv6(ReadOnlySpan<char> region) =>
        region.Contains("::", StringComparison.Ordinal) || region.Count(':') >= 7;
}
