using System.Buffers;
using System.Text.RegularExpressions;

namespace Plumbline.Core.Privacy;

/// <summary>Secrets recognised by their own shape: cloud and API keys with a known prefix, JWTs, Slack webhooks.</summary>
internal static partial class TokenRules
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    /// <summary>The pre-filter: no rule here can match a text without one of these.</summary>
    public static readonly SearchValues<string> Prefixes = SearchValues.Create(
        ["AKIA", "ASIA", "ABIA", "ACCA", "gho_", "ghp_", "ghu_", "ghs_", "ghr_", "github_pat_", "npm_", "xox", "hooks.slack.com", "AIza", "sk-", "eyJ"],
        StringComparison.Ordinal);

    private static readonly SearchValues<string> GitHubPrefixes =
        SearchValues.Create(["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"], StringComparison.Ordinal);

    public static void Run(Scan scan)
    {
        var region = scan.Region;
        if (region.Contains("AKIA", StringComparison.Ordinal) || region.Contains("ASIA", StringComparison.Ordinal)
            || region.Contains("ABIA", StringComparison.Ordinal) || region.Contains("ACCA", StringComparison.Ordinal))
        {
            Add(scan, AwsAccessKeyId(), DetectorRules.AwsAccessKeyId, bodyFrom: 4);
        }

        if (region.IndexOfAny(GitHubPrefixes) >= 0)
        {
            Add(scan, GitHubToken(), DetectorRules.GitHubToken, bodyFrom: 4);
        }

        if (region.Contains("npm_", StringComparison.Ordinal))
        {
            Add(scan, NpmToken(), DetectorRules.NpmToken, bodyFrom: 4);
        }

        if (region.Contains("xox", StringComparison.Ordinal))
        {
            Add(scan, SlackToken(), DetectorRules.SlackToken, bodyFrom: 5);
        }

        if (region.Contains("hooks.slack.com", StringComparison.Ordinal))
        {
            Add(scan, SlackWebhook(), DetectorRules.SlackWebhook, bodyFrom: 33);
        }

        if (region.Contains("AIza", StringComparison.Ordinal))
        {
            Add(scan, GoogleApiKey(), DetectorRules.GoogleApiKey, bodyFrom: 4);
        }

        if (region.Contains("sk-", StringComparison.Ordinal))
        {
            AddOpenAi(scan);
        }

        if (region.Contains("eyJ", StringComparison.Ordinal))
        {
            Add(scan, Jwt(), DetectorRules.Jwt, bodyFrom: 0);
        }
    }

    private static void Add(Scan scan, Regex regex, string rule, int bodyFrom)
    {
        for (var m = regex.Match(scan.Text, scan.Start, scan.Length); m.Success; m = m.NextMatch())
        {
            var body = m.ValueSpan[Math.Min(bodyFrom, m.Length)..];
            if (!Values.IsPlaceholder(body))
            {
                scan.Add(FindingKind.Secret, m.Index, m.Index + m.Length, rule);
            }
        }
    }

    private static void AddOpenAi(Scan scan)
    {
        for (var m = OpenAiKey().Match(scan.Text, scan.Start, scan.Length); m.Success; m = m.NextMatch())
        {
            var body = m.Groups["body"].ValueSpan;
            if (!Values.IsPlaceholder(body) && Values.HasDigitAndLetter(body) && Values.CharacterClasses(body) >= 3)
            {
                scan.Add(FindingKind.Secret, m.Index, m.Index + m.Length, DetectorRules.OpenAiKey);
            }
        }
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])", Options)]
    private static partial Regex AwsAccessKeyId();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])", Options)]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])", Options)]
    private static partial Regex NpmToken();

    [GeneratedRegex(@"(?<![A-Za-z0-9_-])xox[abposr]-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9_-])", Options)]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"https://hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9_/-]{20,200}", Options)]
    private static partial Regex SlackWebhook();

    [GeneratedRegex(@"(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])", Options)]
    private static partial Regex GoogleApiKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-|ant-(?:[a-z]{3}[0-9]{2}-)?)?(?<body>[A-Za-z0-9_-]{20,250})(?![A-Za-z0-9_-])", Options)]
    private static partial Regex OpenAiKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*", Options)]
    private static partial Regex Jwt();
}
