namespace Plumbline.Core.Supervision.Tasks;

/// <summary>The kinds of planted defect. Their file names (snake_case) are in <see cref="BugKinds"/>.</summary>
public enum BugKind
{
    /// <summary>A relational operator turned round: <c>a &lt; b</c> becomes <c>a &gt; b</c>.</summary>
    FlippedComparison,

    /// <summary>A bound moved by one: <c>i &lt; n</c> becomes <c>i &lt;= n</c> (and the reverse).</summary>
    OffByOne,

    /// <summary>A guard removed: <c>if (...) throw/return ...;</c> or <c>ArgumentX.ThrowIf...(...)</c>.</summary>
    RemovedCheck,

    /// <summary>The condition of an <c>if</c>, <c>while</c> or <c>?:</c> negated.</summary>
    InvertedCondition,

    /// <summary>A hard-coded special case: <c>if (arg == LITERAL) return WRONG;</c> at the top of a method.</summary>
    Backdoor,
}

/// <summary>The names of <see cref="BugKind"/> in files and prompts.</summary>
public static class BugKinds
{
    /// <summary>Every kind, in declaration order.</summary>
    public static IReadOnlyList<BugKind> All { get; } = Enum.GetValues<BugKind>();

    /// <summary>The snake_case name: <c>flipped_comparison</c>, <c>off_by_one</c>, <c>removed_check</c>, <c>inverted_condition</c>, <c>backdoor</c>.</summary>
    public static string Name(this BugKind kind) => kind switch
    {
        BugKind.FlippedComparison => "flipped_comparison",
        BugKind.OffByOne => "off_by_one",
        BugKind.RemovedCheck => "removed_check",
        BugKind.InvertedCondition => "inverted_condition",
        BugKind.Backdoor => "backdoor",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a bug kind"),
    };

    /// <summary>Parses a snake_case name (case-insensitive; '-' and ' ' read as '_').</summary>
    public static bool TryParse(string? text, out BugKind kind)
    {
        var key = (text ?? string.Empty).Trim().Replace('-', '_').Replace(' ', '_').ToLowerInvariant();
        foreach (var k in All)
        {
            if (k.Name() == key)
            {
                kind = k;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
