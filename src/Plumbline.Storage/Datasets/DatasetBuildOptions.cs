using Plumbline.Core.Consent;
using Plumbline.Core.Datasets;

namespace Plumbline.Storage.Datasets;

/// <summary>Everything a dataset build takes; defaults are the CLI's.</summary>
public sealed record DatasetBuildOptions
{
    public required DatasetKind Kind { get; init; }

    public required DataUse Use { get; init; }

    public required string Output { get; init; }

    public DatasetFormat Format { get; init; } = DatasetFormat.Chat;

    public IReadOnlyList<double> Split { get; init; } = [0.9, 0.05, 0.05];

    public SplitBy SplitBy { get; init; } = SplitBy.Contributor;

    public long Seed { get; init; } = 1;

    public NextEditOptions NextEdit { get; init; } = NextEditOptions.Default;

    public EditUnitOptions Units { get; init; } = EditUnitOptions.Default;

    /// <summary>Jaccard similarity at which an example is a near-duplicate (default 0.8); 0 turns removal off.</summary>
    public double DedupThreshold { get; init; } = 0.8;

    /// <summary>Feedback: how long after a comment its author's edits still count as the answer when it is not resolved (default 7 days).</summary>
    public long FeedbackWindowMs { get; init; } = 7L * 24 * 3600 * 1000;

    /// <summary>Feedback: edits this many code points around the commented range count as in it (default 200).</summary>
    public int FeedbackNearChars { get; init; } = 200;

    /// <summary>Dialogue: a silence longer than this becomes a pause marker (default 10 s).</summary>
    public long DialogueGapMs { get; init; } = 10_000;

    /// <summary>Only these documents (meetings, repositories for commits); empty: all.</summary>
    public IReadOnlyList<string> Documents { get; init; } = [];

    /// <summary>The command line, for the manifest.</summary>
    public string CommandLine { get; init; } = "";

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        errors.AddRange(NextEdit.Validate());
        errors.AddRange(Units.Validate());
        if (Format == DatasetFormat.Zeta && Kind != DatasetKind.NextEdit)
        {
            errors.Add($"--format zeta is for next-edit only (not {Kind.Name()})");
        }

        if (DedupThreshold is < 0 or > 1)
        {
            errors.Add($"--dedup must be in 0..1 (was {DedupThreshold})");
        }

        if (FeedbackWindowMs < 0 || FeedbackNearChars < 0 || DialogueGapMs < 0)
        {
            errors.Add("--feedback-window, --feedback-near and --dialogue-gap must be 0 or more");
        }

        return errors;
    }
}
