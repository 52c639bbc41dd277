namespace Plumbline.Storage;

/// <summary>A labelling campaign: <see cref="Kind"/> is <c>classification</c> or <c>pairwise</c>.</summary>
public sealed record LabelCampaign(long Id, string Name, string Kind, long CreatedAt);

/// <summary>A version of the rater handbook (Markdown), stored whole with its SHA-256.</summary>
public sealed record GuidelineVersion(string Version, string Sha256, string Content, long AddedAt);

/// <summary>An item of a campaign; <see cref="Gold"/> is its known answer, and a honeypot is a gold item mixed in to check raters.</summary>
public sealed record CampaignItem(string Task, string? Gold, bool Honeypot, string? Group);

public sealed record CampaignAssignment(string Task, string Worker);

/// <summary>One stored label; <see cref="Left"/>/<see cref="Right"/> are set for pairwise campaigns.</summary>
public sealed record CampaignAnswer(string Task, string Worker, string Label, string? Left, string? Right, string? Guideline);

public partial interface IStoreSession
{
    Task<LabelCampaign?> FindCampaignAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<LabelCampaign>> ListCampaignsAsync(CancellationToken cancellationToken);

    Task<LabelCampaign> CreateCampaignAsync(string name, string kind, long now, CancellationToken cancellationToken);

    Task<IReadOnlyList<GuidelineVersion>> GuidelinesAsync(long campaignId, CancellationToken cancellationToken);

    Task AddGuidelineAsync(long campaignId, GuidelineVersion guideline, CancellationToken cancellationToken);

    Task<IReadOnlyList<CampaignItem>> CampaignItemsAsync(long campaignId, CancellationToken cancellationToken);

    /// <summary>Adds the item, or updates its gold answer, honeypot mark and group.</summary>
    Task PutCampaignItemAsync(long campaignId, CampaignItem item, CancellationToken cancellationToken);

    Task<IReadOnlyList<CampaignAssignment>> AssignmentsAsync(long campaignId, CancellationToken cancellationToken);

    Task AddAssignmentAsync(long campaignId, CampaignAssignment assignment, long now, CancellationToken cancellationToken);

    /// <summary>Every label of the campaign in the order it was stored.</summary>
    Task<IReadOnlyList<CampaignAnswer>> AnswersAsync(long campaignId, CancellationToken cancellationToken);

    /// <summary>Appends labels after the ones stored (numbered from <paramref name="firstSeq"/>).</summary>
    Task AddAnswerAsync(long campaignId, long seq, CampaignAnswer answer, long now, CancellationToken cancellationToken);
}
