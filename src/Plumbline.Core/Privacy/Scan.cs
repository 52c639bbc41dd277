using System.Collections.Frozen;

namespace Plumbline.Core.Privacy;

/// <summary>The rules switched on, and the contributor's terms.</summary>
internal sealed class RuleSet
{
    private readonly FrozenSet<string> _disabled;

    public RuleSet(SecretDetectorOptions options)
    {
        _disabled = DetectorRules.All
            .Where(r => options.DisabledRules.Contains(r.Name) || options.DisabledKinds.Contains(r.Kind))
            .Select(r => r.Name)
            .ToFrozenSet(StringComparer.Ordinal);
        Terms = TermMatcher.Create(options.Terms);
    }

    public TermMatcher? Terms { get; }

    public bool IsEnabled(string rule) => !_disabled.Contains(rule);
}

/// <summary>
/// One pass of the rules over <see cref="Text"/>[<see cref="Start"/>..<see cref="End"/>) (UTF-16 indices), collecting
/// findings with UTF-16 positions. <see cref="Depth"/> &gt; 0 is text decoded from a base64 blob: secrets only.
/// </summary>
internal sealed class Scan(string text, int start, int end, RuleSet rules, int depth)
{
    public const int MaxDepth = 2;

    public string Text { get; } = text;

    public int Start { get; } = start;

    public int End { get; } = end;

    public int Depth { get; } = depth;

    public RuleSet Rules { get; } = rules;

    public List<Finding> Found { get; } = [];

    public ReadOnlySpan<char> Region => Text.AsSpan(Start, End - Start);

    public int Length => End - Start;

    public void Add(FindingKind kind, int start, int end, string rule)
    {
        if (end > start && Rules.IsEnabled(rule))
        {
            Found.Add(new Finding(kind, start, end, rule));
        }
    }

    public bool FoundSecret() => Found.Exists(f => f.Kind == FindingKind.Secret);
}
