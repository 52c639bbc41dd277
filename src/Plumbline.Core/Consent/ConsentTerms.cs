using Plumbline.Core.Capture;

namespace Plumbline.Core.Consent;

/// <summary>What a contributor's data may be used for once stored.</summary>
public enum DataUse
{
    Research,
    Training,
    Public,
}

/// <summary>Which sources may be recorded, for which uses, and from when it may be released.</summary>
public sealed record ConsentTerms(IReadOnlySet<SourceKind> Sources, IReadOnlySet<DataUse> Uses, DateOnly? Embargo)
{
    public static ConsentTerms None { get; } = new(new HashSet<SourceKind>(), new HashSet<DataUse>(), null);

    public bool Covers(SourceKind source) => Sources.Contains(source);

    public static string Name(DataUse use) => use switch
    {
        DataUse.Research => "research",
        DataUse.Training => "training",
        DataUse.Public => "public",
        _ => throw new ArgumentOutOfRangeException(nameof(use), use, "unknown use"),
    };

    public static bool TryParseUse(string text, out DataUse use)
    {
        foreach (var candidate in Enum.GetValues<DataUse>())
        {
            if (string.Equals(Name(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                use = candidate;
                return true;
            }
        }

        use = default;
        return false;
    }

    /// <summary>Parses a comma list of source names, <c>all</c> or <c>none</c>; <paramref name="field"/> names the option in errors.</summary>
    public static HashSet<SourceKind> ParseSources(string text, string field) =>
        ParseList(text, field, Enum.GetValues<SourceKind>(), s => s.Name());

    /// <summary>Parses a comma list of uses, <c>all</c> or <c>none</c>.</summary>
    public static HashSet<DataUse> ParseUses(string text, string field) =>
        ParseList(text, field, Enum.GetValues<DataUse>(), Name);

    private static HashSet<T> ParseList<T>(string text, string field, T[] all, Func<T, string> name)
    {
        var result = new HashSet<T>();
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw.Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                result.UnionWith(all);
                continue;
            }

            if (raw.Equals("none", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var match = all.Where(v => string.Equals(name(v), raw, StringComparison.OrdinalIgnoreCase)).ToList();
            if (match.Count == 0)
            {
                throw PlumblineException.BadInput(
                    $"{field}: '{raw}' is not one of {string.Join(", ", all.Select(name))} (or all, none)");
            }

            result.Add(match[0]);
        }

        return result;
    }
}

/// <summary>One version of a contributor's consent, with what they were shown and who recorded it.</summary>
public sealed record ConsentRecord(
    long ContributorId,
    int Version,
    ConsentTerms Terms,
    string Statement,
    string StatementSha256,
    string RecordedBy,
    long RecordedAt);

/// <summary>A pause in recording; <see cref="End"/> is null while it lasts. Times in Unix milliseconds.</summary>
public sealed record PauseInterval(long Id, long ContributorId, long Start, long? End)
{
    public bool Contains(long time) => time >= Start && (End is null || time < End);
}
