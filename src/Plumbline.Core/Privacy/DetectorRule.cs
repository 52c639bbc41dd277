namespace Plumbline.Core.Privacy;

/// <summary>One documented detection rule: its name (used in findings and to switch it off), kind and what it matches.</summary>
public sealed record DetectorRule(string Name, FindingKind Kind, string Description);

/// <summary>The rule names, one constant per rule, and the catalog <see cref="All"/>.</summary>
public static class DetectorRules
{
    public const string AwsAccessKeyId = "aws-access-key-id";
    public const string AwsSecretAccessKey = "aws-secret-access-key";
    public const string GitHubToken = "github-token";
    public const string NpmToken = "npm-token";
    public const string NpmrcAuthToken = "npmrc-auth-token";
    public const string SlackToken = "slack-token";
    public const string SlackWebhook = "slack-webhook";
    public const string GoogleApiKey = "google-api-key";
    public const string OpenAiKey = "openai-key";
    public const string Jwt = "jwt";
    public const string AuthorizationHeader = "authorization-header";
    public const string UrlPassword = "url-password";
    public const string PrivateKey = "private-key";
    public const string PasswordAssignment = "password-assignment";
    public const string SecretAssignment = "secret-assignment";
    public const string ContainerRegistryAuth = "container-registry-auth";
    public const string EncodedSecret = "encoded-secret";
    public const string Email = "email";
    public const string Phone = "phone";
    public const string Card = "card";
    public const string Ipv4 = "ipv4";
    public const string Ipv6 = "ipv6";
    public const string Term = "term";

    /// <summary>Every rule, in the order of the README table.</summary>
    public static IReadOnlyList<DetectorRule> All { get; } =
    [
        new(AwsAccessKeyId, FindingKind.Secret, "AWS access key id: AKIA/ASIA/ABIA/ACCA + 16 upper-case letters or digits"),
        new(AwsSecretAccessKey, FindingKind.Secret, "AWS secret access key: 40 base64 characters assigned to a key naming aws and secret"),
        new(GitHubToken, FindingKind.Secret, "GitHub token: ghp_/gho_/ghu_/ghs_/ghr_ + 36 letters or digits, or github_pat_ + 22 or more"),
        new(NpmToken, FindingKind.Secret, "npm token: npm_ + 36 letters or digits"),
        new(NpmrcAuthToken, FindingKind.Secret, ".npmrc credentials: the value of :_authToken=, :_auth= or :_password="),
        new(SlackToken, FindingKind.Secret, "Slack token: xoxa-/xoxb-/xoxp-/xoxo-/xoxs-/xoxr- + 10 or more"),
        new(SlackWebhook, FindingKind.Secret, "Slack webhook URL: https://hooks.slack.com/services/… or /workflows/…"),
        new(GoogleApiKey, FindingKind.Secret, "Google API key: AIza + 35 letters, digits, - or _"),
        new(OpenAiKey, FindingKind.Secret, "OpenAI-style key: sk-, sk-proj-, sk-svcacct-, sk-admin-, sk-ant- + 20 or more, with letters and digits"),
        new(Jwt, FindingKind.Secret, "JSON Web Token: three base64url parts, the first two starting eyJ"),
        new(AuthorizationHeader, FindingKind.Secret, "The credentials of an Authorization header (Bearer, Basic, Token, Digest), and a bare 'Bearer <token>'"),
        new(UrlPassword, FindingKind.Secret, "The password in scheme://user:password@host"),
        new(PrivateKey, FindingKind.Secret, "A private key block, -----BEGIN … PRIVATE KEY----- through its END line, or to the end of the text while the END line is missing"),
        new(PasswordAssignment, FindingKind.Secret, "The value assigned to a key named like password/passwd/pwd/pass/passphrase (k=v, k: v, \"k\": \"v\", env, YAML, JSON)"),
        new(SecretAssignment, FindingKind.Secret, "A high-entropy value assigned to a key named like key/secret/token/auth/credential/api_key/access_key/client_secret"),
        new(ContainerRegistryAuth, FindingKind.Secret, "Container registry credentials: \"auth\": \"<base64>\" in docker/podman auths JSON"),
        new(EncodedSecret, FindingKind.Secret, "A base64 blob (40 or more characters) whose decoded text holds a secret (decoded recursively, depth 2)"),
        new(Email, FindingKind.Email, "An e-mail address local@domain.tld"),
        new(Phone, FindingKind.Phone, "A phone number: +CC with 10-15 digits, or a national number with separators"),
        new(Card, FindingKind.Card, "A payment card number: 13-19 digits (optionally grouped by spaces or dashes) of a card network prefix, passing the Luhn check"),
        new(Ipv4, FindingKind.Ip, "An IPv4 address: four decimal octets 0-255, not part of a longer dotted sequence or a version string; not 127.x.x.x, 0.0.0.0 or 255.255.255.255"),
        new(Ipv6, FindingKind.Ip, "An IPv6 address: eight hex groups, or a compressed form with :: and at least two groups"),
        new(Term, FindingKind.Term, "One of the contributor's own terms, case-insensitive, as a whole word"),
    ];
}
