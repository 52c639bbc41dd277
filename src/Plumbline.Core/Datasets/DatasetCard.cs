using System.Globalization;
using System.Text;

namespace Plumbline.Core.Datasets;

/// <summary>What a dataset card says (the numbers come from the build).</summary>
public sealed record DatasetCardData
{
    public required string Kind { get; init; }

    public required string Format { get; init; }

    public required string Use { get; init; }

    public required string CreatedAt { get; init; }

    public required string Store { get; init; }

    public required IReadOnlyList<string> Sources { get; init; }

    public required IReadOnlyDictionary<string, long> Splits { get; init; }

    public required string SplitRule { get; init; }

    public required int Contributors { get; init; }

    public required int Documents { get; init; }

    public required long Examples { get; init; }

    public required long DuplicatesRemoved { get; init; }

    public required long ExamplesRedacted { get; init; }

    public required long RedactionFindings { get; init; }

    /// <summary>Edge cases met and what happened to them: name → count.</summary>
    public required IReadOnlyDictionary<string, long> Counters { get; init; }

    /// <summary>Left-out documents (or meetings, repositories) and why.</summary>
    public required IReadOnlyList<(string Name, string Reason)> Excluded { get; init; }

    public required string Method { get; init; }

    public required string ExampleLine { get; init; }
}

/// <summary>Writes the README.md dataset card.</summary>
public static class DatasetCard
{
    public static string Render(DatasetCardData card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');
        Line(string.Create(CultureInfo.InvariantCulture, $"# Plumbline dataset: {card.Kind} ({card.Format})"));
        Line();
        Line(string.Create(CultureInfo.InvariantCulture, $"Built {card.CreatedAt} from `{card.Store}` for the use **{card.Use}**: {card.Examples} examples from {card.Documents} document(s) by {card.Contributors} contributor(s)."));
        Line();
        Line("## Sources and consent");
        Line();
        Line(string.Create(CultureInfo.InvariantCulture, $"- Sources: {string.Join(", ", card.Sources)}."));
        Line(string.Create(CultureInfo.InvariantCulture, $"- Consent scope: every contributor whose events an example uses consented, at build time (current consent, not the consent at capture), to the source and to the use '{card.Use}', with any embargo passed. Documents with a contributor who did not are left out whole."));
        Line("- Every example's source events are listed in `provenance.jsonl` (event ids, revisions, contributors, a SHA-256 of the events); `plumb dataset verify DIR` re-checks them against the store.");
        Line();
        Line("## Method");
        Line();
        Line(card.Method);
        Line();
        Line("## Counts");
        Line();
        Line("| split | examples |");
        Line("|---|---|");
        foreach (var (split, count) in card.Splits)
        {
            Line(string.Create(CultureInfo.InvariantCulture, $"| {split} | {count} |"));
        }

        Line();
        Line(string.Create(CultureInfo.InvariantCulture, $"Splits: {card.SplitRule}."));
        Line();
        Line(string.Create(CultureInfo.InvariantCulture, $"- Near-duplicates removed (MinHash/LSH): {card.DuplicatesRemoved}"));
        Line(string.Create(CultureInfo.InvariantCulture, $"- Redaction re-applied at build time with the current rules: {card.ExamplesRedacted} example(s) changed, {card.RedactionFindings} finding(s) replaced by placeholders"));
        foreach (var (name, count) in card.Counters)
        {
            Line(string.Create(CultureInfo.InvariantCulture, $"- {name}: {count}"));
        }

        if (card.Excluded.Count > 0)
        {
            Line();
            Line("Left out:");
            Line();
            foreach (var (name, reason) in card.Excluded)
            {
                Line($"- `{name}`: {reason}");
            }
        }

        Line();
        Line("## Example");
        Line();
        Line("```json");
        Line(card.ExampleLine.Length > 1500 ? card.ExampleLine[..1500] + " …" : card.ExampleLine);
        Line("```");
        Line();
        Line("## Intended use and limitations");
        Line();
        Line("- Intended for research on models that imitate how researchers refine ideas, within the consented use above. Do not use it for anything that use does not cover, and do not try to re-identify contributors.");
        Line("- Contributors can withdraw: run `plumb dataset verify` before every training run and use `--prune` to drop withdrawn examples. A copy made before a withdrawal is not changed by it.");
        Line("- Redaction is pattern-based (secrets, e-mail addresses, phone numbers, card numbers, IP addresses, contributors' own terms); it can miss personal data written in prose.");
        Line("- Withheld text (pauses, unconsented or unmapped authors, withdrawals) appears as U+2591 (░) runs or `[withheld]` markers.");
        return text.ToString();
    }
}
