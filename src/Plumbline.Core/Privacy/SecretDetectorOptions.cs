namespace Plumbline.Core.Privacy;

/// <summary>How a <see cref="SecretDetector"/> is set up. Every rule is on by default.</summary>
public sealed class SecretDetectorOptions
{
    /// <summary>The contributor's own terms (names, project code words, …), found case-insensitively as whole words. Default: none.</summary>
    public IReadOnlyCollection<string> Terms { get; init; } = [];

    /// <summary>Rules to switch off, by name (<see cref="DetectorRules"/>). Default: none.</summary>
    public IReadOnlyCollection<string> DisabledRules { get; init; } = [];

    /// <summary>Kinds to switch off entirely (every rule of that kind). Default: none.</summary>
    public IReadOnlyCollection<FindingKind> DisabledKinds { get; init; } = [];

    /// <summary>Every problem with these options (empty when they are valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Terms is null || DisabledRules is null || DisabledKinds is null)
        {
            errors.Add("Terms, DisabledRules and DisabledKinds must not be null");
            return errors;
        }

        foreach (var term in Terms)
        {
            if (string.IsNullOrWhiteSpace(term))
            {
                errors.Add("Terms: a term must have at least one character other than white space");
            }
        }

        foreach (var rule in DisabledRules)
        {
            if (!DetectorRules.All.Any(r => r.Name == rule))
            {
                errors.Add($"DisabledRules: '{rule}' is not a rule (known: {string.Join(", ", DetectorRules.All.Select(r => r.Name))})");
            }
        }

        foreach (var kind in DisabledKinds)
        {
            if (!Enum.IsDefined(kind))
            {
                errors.Add($"DisabledKinds: {(int)kind} is not a finding kind");
            }
        }

        return errors;
    }
}
