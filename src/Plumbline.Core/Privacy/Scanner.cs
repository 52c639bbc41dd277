namespace Plumbline.Core.Privacy;

/// <summary>
/// Runs the rules over a scan's region, each family only when its cheap pre-filter (a known prefix, a keyword, an
/// '@', a digit, a BEGIN marker) is present, so that a window with nothing in it costs a few vectorised searches.
/// </summary>
internal static class Scanner
{
    public static void Run(Scan scan)
    {
        var region = scan.Region;
        if (region.IndexOfAny(TokenRules.Prefixes) >= 0)
        {
            TokenRules.Run(scan);
        }

        if (region.Contains(PrivateKeyRule.Marker, StringComparison.Ordinal))
        {
            PrivateKeyRule.Run(scan);
        }

        if (region.IndexOfAny(AssignmentRule.Keywords) >= 0)
        {
            AssignmentRule.Run(scan);
            HeaderRules.RunAuthorization(scan);
        }

        var at = region.Contains('@');
        if (at && region.Contains("://", StringComparison.Ordinal))
        {
            HeaderRules.RunUrlPassword(scan);
        }

        if (Prefilter.HasBase64Run(region, EncodedSecretRule.MinLength))
        {
            EncodedSecretRule.Run(scan, Run);
        }

        if (scan.Depth > 0)
        {
            return; // decoded content counts only for secrets
        }

        if (at)
        {
            ContactRules.RunEmail(scan);
        }

        var digits = Prefilter.Scan(region);
        if (digits.HasFlag(Prefilter.Digits.Cluster))
        {
            ContactRules.RunPhone(scan);
            NumberRules.RunCard(scan);
        }

        if (digits.HasFlag(Prefilter.Digits.DottedQuad))
        {
            NumberRules.RunIpv4(scan);
        }

        if (Prefilter.MayHoldIpv6(region))
        {
            NumberRules.RunIpv6(scan);
        }

        scan.Rules.Terms?.Run(scan);
    }
}
