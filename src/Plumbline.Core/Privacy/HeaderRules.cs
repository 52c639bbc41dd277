using System.Text.RegularExpressions;

namespace Plumbline.Core.Privacy;

/// <summary>Credentials in HTTP: Authorization headers, bare bearer tokens, and passwords in URLs.</summary>
internal static partial class HeaderRules
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    public static void RunAuthorization(Scan scan)
    {
        if (scan.Region.Contains("earer", StringComparison.OrdinalIgnoreCase) || scan.Region.Contains("uthorization", StringComparison.OrdinalIgnoreCase))
        {
            Run(scan);
        }
    }

    private static void Run(Scan scan)
    {
        for (var m = AuthorizationHeader().Match(scan.Text, scan.Start, scan.Length); m.Success; m = m.NextMatch())
        {
            var value = m.Groups["value"];
            var hasScheme = m.Groups["scheme"].Success;
            if (!Values.IsPlaceholder(value.ValueSpan)
                && (hasScheme ? value.Length >= 8 : Values.IsHighEntropy(value.ValueSpan)))
            {
                scan.Add(FindingKind.Secret, value.Index, value.Index + value.Length, DetectorRules.AuthorizationHeader);
            }
        }

        for (var m = BareBearer().Match(scan.Text, scan.Start, scan.Length); m.Success; m = m.NextMatch())
        {
            var value = m.Groups["value"];
            if (!Values.IsPlaceholder(value.ValueSpan) && Values.HasDigitAndLetter(value.ValueSpan))
            {
                scan.Add(FindingKind.Secret, value.Index, value.Index + value.Length, DetectorRules.AuthorizationHeader);
            }
        }
    }

    public static void RunUrlPassword(Scan scan)
    {
        for (var m = UrlPassword().Match(scan.Text, scan.Start, scan.Length); m.Success; m = m.NextMatch())
        {
            var password = m.Groups["password"];
            if (password.Length >= 3 && !Values.IsPlaceholder(password.ValueSpan) && !Values.IsReservedWord(password.ValueSpan))
            {
                scan.Add(FindingKind.Secret, password.Index, password.Index + password.Length, DetectorRules.UrlPassword);
            }
        }
    }

    /// <summary><c>Authorization: Bearer TOKEN</c>, <c>"authorization": "Basic B64"</c>, <c>Proxy-Authorization=token T</c>.</summary>
    [GeneratedRegex(@"(?i)(?<![A-Za-z0-9_-])(?:proxy-)?authorization[""']?[ \t]*[:=][ \t]*[""']?(?:(?<scheme>bearer|basic|token|digest)[ \t]+)?(?<value>[A-Za-z0-9._~+/=:-]{8,4096})", Options)]
    private static partial Regex AuthorizationHeader();

    /// <summary><c>Bearer TOKEN</c> anywhere, with a token of 16 or more characters.</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9_-])[Bb]earer[ \t]+(?<value>[A-Za-z0-9._~+/-]{16,4096}=*)(?![A-Za-z0-9._~+/=-])", Options)]
    private static partial Regex BareBearer();

    /// <summary><c>scheme://user:PASSWORD@host</c>.</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,15}://[^\s:/@'""<>]{1,256}:(?<password>[^\s/@'""<>]{1,256})@(?=[A-Za-z0-9\[])", Options)]
    private static partial Regex UrlPassword();
}
