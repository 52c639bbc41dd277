namespace Plumbline.Core.Privacy;

/// <summary>What a finding is; each kind is replaced by its own placeholder (DESIGN: the core model).</summary>
public enum FindingKind
{
    /// <summary>An e-mail address: <c>[EMAIL]</c>.</summary>
    Email,

    /// <summary>A phone number: <c>[PHONE]</c>.</summary>
    Phone,

    /// <summary>A payment card number (Luhn-checked): <c>[CARD]</c>.</summary>
    Card,

    /// <summary>An IPv4 or IPv6 address: <c>[IP]</c>.</summary>
    Ip,

    /// <summary>A key, token, private key block or password: <c>[SECRET]</c>.</summary>
    Secret,

    /// <summary>One of the contributor's own terms: <c>[TERM]</c>.</summary>
    Term,
}

/// <summary>Placeholders, names and severities of <see cref="FindingKind"/>.</summary>
public static class FindingKinds
{
    /// <summary>The kinds from most to least severe: Secret &gt; Card &gt; Email &gt; Phone &gt; Ip &gt; Term.</summary>
    public static IReadOnlyList<FindingKind> BySeverity { get; } =
        [FindingKind.Secret, FindingKind.Card, FindingKind.Email, FindingKind.Phone, FindingKind.Ip, FindingKind.Term];

    /// <summary>The upper-case name used in placeholders and JSON: <c>EMAIL</c>, <c>PHONE</c>, <c>CARD</c>, <c>IP</c>, <c>SECRET</c>, <c>TERM</c>.</summary>
    public static string Name(this FindingKind kind) => kind switch
    {
        FindingKind.Email => "EMAIL",
        FindingKind.Phone => "PHONE",
        FindingKind.Card => "CARD",
        FindingKind.Ip => "IP",
        FindingKind.Secret => "SECRET",
        FindingKind.Term => "TERM",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a finding kind"),
    };

    /// <summary>The placeholder that replaces a finding of this kind, exactly as in DESIGN: <c>[EMAIL]</c>, …</summary>
    public static string Placeholder(this FindingKind kind) => "[" + kind.Name() + "]";

    /// <summary>Higher is more severe; decides which kind wins when findings overlap.</summary>
    public static int Severity(this FindingKind kind) => kind switch
    {
        FindingKind.Secret => 5,
        FindingKind.Card => 4,
        FindingKind.Email => 3,
        FindingKind.Phone => 2,
        FindingKind.Ip => 1,
        FindingKind.Term => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a finding kind"),
    };
}
