namespace Plumbline.Core.Privacy;

/// <summary>
/// Something to redact: <see cref="Kind"/> at [<see cref="Start"/>, <see cref="End"/>) in Unicode code points,
/// found by the rule named <see cref="Rule"/> (see <see cref="SecretDetector.Rules"/>).
/// </summary>
public readonly record struct Finding(FindingKind Kind, int Start, int End, string Rule)
{
    /// <summary>The length in code points.</summary>
    public int Length => End - Start;

    /// <summary>The placeholder that replaces this finding.</summary>
    public string Placeholder => Kind.Placeholder();
}
