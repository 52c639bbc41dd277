namespace Plumbline.Core.Privacy;

/// <summary>
/// Decides whether a candidate run is a phone number. International: <c>+</c>, a 1-3 digit country code, then groups
/// separated by single spaces, dashes or dots (or none), 10-15 digits in all. National: 10-15 digits in at least two
/// groups with separators, where space-only grouping needs a leading trunk 0 or an area code in parentheses, and
/// two groups need either. Not phones: dates (2024-01-15 …), dotted quads, version numbers and decimals (a group of
/// one digit), lists (a double separator), one digit repeated.
/// </summary>
internal static class PhoneNumber
{
    /// <summary>
    /// The length of the longest phone number at the start of <paramref name="candidate"/> that ends at a digit before a
    /// separator (so that <c>415-555-2671 2 times</c> still yields the number), or 0.
    /// </summary>
    public static int LongestPrefix(ReadOnlySpan<char> candidate)
    {
        var length = candidate.Length;
        while (length >= 10)
        {
            if (IsPhone(candidate[..length]))
            {
                return length;
            }

            var separator = candidate[..length].LastIndexOfAny(" -.()");
            while (separator > 0 && !char.IsAsciiDigit(candidate[separator - 1]))
            {
                separator--;
            }

            length = separator;
        }

        return 0;
    }

    public static bool IsPhone(ReadOnlySpan<char> candidate)
    {
        Span<int> groups = stackalloc int[16];
        var count = 0;
        var digits = 0;
        var international = candidate[0] == '+';
        var parenthesized = false;
        bool space = false, dash = false, dot = false;
        var i = international ? 1 : 0;
        while (i < candidate.Length)
        {
            if (count == groups.Length)
            {
                return false;
            }

            var inParens = candidate[i] == '(';
            if (inParens)
            {
                if (count > 1 || (count == 1 && !international) || parenthesized)
                {
                    return false;
                }

                parenthesized = true;
                i++;
            }

            var start = i;
            while (i < candidate.Length && char.IsAsciiDigit(candidate[i]))
            {
                i++;
            }

            var length = i - start;
            if (length == 0 || (inParens && (i >= candidate.Length || candidate[i++] != ')')))
            {
                return false;
            }

            groups[count++] = length;
            digits += length;
            if (i == candidate.Length)
            {
                break;
            }

            // One separator (after a closing parenthesis: none or one), then the next group.
            switch (candidate[i])
            {
                case ' ': space = true; i++; break;
                case '-': dash = true; i++; break;
                case '.': dot = true; i++; break;
                case '(' when !inParens: break;
                default:
                    if (!inParens)
                    {
                        return false;
                    }

                    break;
            }

            if (i == candidate.Length || !(char.IsAsciiDigit(candidate[i]) || candidate[i] == '('))
            {
                return false;
            }
        }

        if (digits is < 10 or > 15 || Values.AllSame(Digits(candidate)))
        {
            return false;
        }

        var sizes = groups[..count];
        return international ? IsInternational(sizes) : IsNational(candidate, sizes, parenthesized, space, dash, dot);
    }

    private static bool IsInternational(ReadOnlySpan<int> sizes) =>
        sizes.Length == 1 || (sizes[0] <= 3 && !sizes[1..].ContainsAnyExceptInRange(1, 8));

    private static bool IsNational(ReadOnlySpan<char> candidate, ReadOnlySpan<int> sizes, bool parenthesized, bool space, bool dash, bool dot)
    {
        if (sizes.Length < 2 || sizes[0] > 5 || sizes[1..].ContainsAnyExceptInRange(2, 8) || (sizes[0] < 2 && !parenthesized))
        {
            return false;
        }

        var trunk = candidate[0] == '0' || (candidate[0] == '(' && candidate[1] == '0');
        if ((sizes.Length == 2 || (space && !dash && !dot)) && !(trunk || parenthesized))
        {
            return false;
        }

        if (dot && (space || dash || (sizes.Length == 4 && !sizes.ContainsAnyExceptInRange(1, 3))))
        {
            return false; // mixed with dots, or a dotted quad
        }

        return !IsDate(candidate, sizes);
    }

    /// <summary>Starts like YYYY-MM-DD or DD-MM-YYYY.</summary>
    private static bool IsDate(ReadOnlySpan<char> candidate, ReadOnlySpan<int> sizes)
    {
        var digits = Digits(candidate);
        if (sizes.Length >= 3 && sizes[0] == 4 && sizes[1] <= 2 && digits[..2] is "19" or "20")
        {
            return true;
        }

        return sizes.Length >= 3 && sizes[0] <= 2 && sizes[1] <= 2 && sizes[2] == 4 && digits.Slice(sizes[0] + sizes[1], 2) is "19" or "20";
    }

    private static ReadOnlySpan<char> Digits(ReadOnlySpan<char> candidate)
    {
        var digits = new char[candidate.Length];
        var n = 0;
        foreach (var c in candidate)
        {
            if (char.IsAsciiDigit(c))
            {
                digits[n++] = c;
            }
        }

        return digits.AsSpan(0, n);
    }
}
