namespace Plumbline.Core.Privacy;

/// <summary>
/// Decides whether a candidate is a payment card number: 13-19 digits; grouped consistently (one separator kind, groups
/// of 4 with a shorter last group, or 4-6-5 / 4-6-4) or not at all; a card network's prefix and length (Visa 4: 13, 16,
/// 19; Mastercard 51-55 and 2221-2720: 16; Amex 34/37: 15; Diners 300-305/36/38/39: 14-19; JCB 3528-3589: 16-19;
/// Discover, UnionPay and Maestro 6, Maestro 50/56-59: 13-19); the Luhn check; not one digit repeated.
/// </summary>
internal static class CardNumber
{
    public static bool IsCard(ReadOnlySpan<char> candidate)
    {
        Span<char> digits = stackalloc char[19];
        Span<int> groups = stackalloc int[19];
        var n = 0;
        var count = 0;
        var run = 0;
        var separator = '\0';
        foreach (var c in candidate)
        {
            if (char.IsAsciiDigit(c))
            {
                if (n == digits.Length)
                {
                    return false;
                }

                digits[n++] = c;
                run++;
                continue;
            }

            if (separator != '\0' && c != separator)
            {
                return false;
            }

            separator = c;
            groups[count++] = run;
            run = 0;
        }

        groups[count++] = run;
        var number = digits[..n];
        return n >= 13 && IsGrouped(groups[..count]) && HasNetworkPrefix(number) && Luhn(number) && !Values.AllSame(number);
    }

    /// <summary>The Luhn (mod 10) check.</summary>
    public static bool Luhn(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                d = d * 2 > 9 ? (d * 2) - 9 : d * 2;
            }

            sum += d;
        }

        return sum % 10 == 0;
    }

    private static bool IsGrouped(ReadOnlySpan<int> groups)
    {
        if (groups.Length == 1)
        {
            return true;
        }

        if (groups.SequenceEqual([4, 6, 5]) || groups.SequenceEqual([4, 6, 4]))
        {
            return true;
        }

        return groups.Length >= 3 && !groups[..^1].ContainsAnyExcept(4) && groups[^1] is >= 1 and <= 4;
    }

    private static bool HasNetworkPrefix(ReadOnlySpan<char> number)
    {
        var length = number.Length;
        var two = ((number[0] - '0') * 10) + (number[1] - '0');
        var three = (two * 10) + (number[2] - '0');
        var four = (three * 10) + (number[3] - '0');
        return number[0] switch
        {
            '4' => length is 13 or 16 or 19,
            '2' => four is >= 2221 and <= 2720 && length == 16,
            '5' => two is >= 51 and <= 55 ? length == 16 : two is 50 or (>= 56 and <= 59),
            '3' => two is 34 or 37 ? length == 15
                : (three is >= 300 and <= 305) || two is 36 or 38 or 39 ? length >= 14
                : four is >= 3528 and <= 3589 && length >= 16,
            '6' => true,
            _ => false,
        };
    }
}
