using Plumbline.Storage.Labels;

namespace Plumbline.Storage.Postgres;

internal sealed partial class PostgresSession
{
    public Task<LabelCampaign?> FindCampaignAsync(string name, CancellationToken cancellationToken) =>
        QuerySingleAsync("SELECT id, name, kind, created_at FROM label_campaigns WHERE name = @name", LabelRows.Campaign, cancellationToken, ("name", name));

    public async Task<IReadOnlyList<LabelCampaign>> ListCampaignsAsync(CancellationToken cancellationToken) =>
        await QueryAsync("SELECT id, name, kind, created_at FROM label_campaigns ORDER BY id", LabelRows.Campaign, cancellationToken);

    public async Task<LabelCampaign> CreateCampaignAsync(string name, string kind, long now, CancellationToken cancellationToken)
    {
        await QueueAsync("INSERT INTO label_campaigns (name, kind, created_at) VALUES (@name, @kind, @now)", cancellationToken, ("name", name), ("kind", kind), ("now", now));
        return (await FindCampaignAsync(name, cancellationToken))!;
    }

    public async Task<IReadOnlyList<GuidelineVersion>> GuidelinesAsync(long campaignId, CancellationToken cancellationToken) =>
        await QueryAsync("SELECT version, sha256, content, added_at FROM label_guidelines WHERE campaign_id = @c ORDER BY added_at, version COLLATE \"C\"", LabelRows.Guideline, cancellationToken, ("c", campaignId));

    public Task AddGuidelineAsync(long campaignId, GuidelineVersion guideline, CancellationToken cancellationToken) =>
        QueueAsync(
            "INSERT INTO label_guidelines (campaign_id, version, sha256, content, added_at) VALUES (@c, @v, @sha, @content, @at)",
            cancellationToken,
            ("c", campaignId),
            ("v", guideline.Version),
            ("sha", guideline.Sha256),
            ("content", guideline.Content),
            ("at", guideline.AddedAt));

    public async Task<IReadOnlyList<CampaignItem>> CampaignItemsAsync(long campaignId, CancellationToken cancellationToken) =>
        await QueryAsync("SELECT task, gold, honeypot, item_group FROM label_items WHERE campaign_id = @c ORDER BY task COLLATE \"C\"", r => new CampaignItem(r.GetString(0), LabelRows.Text(r, 1), r.GetBoolean(2), LabelRows.Text(r, 3)), cancellationToken, ("c", campaignId));

    public Task PutCampaignItemAsync(long campaignId, CampaignItem item, CancellationToken cancellationToken) =>
        QueueAsync(
            """
            INSERT INTO label_items (campaign_id, task, gold, honeypot, item_group) VALUES (@c, @task, @gold, @honeypot, @group)
            ON CONFLICT (campaign_id, task) DO UPDATE SET gold = excluded.gold, honeypot = excluded.honeypot, item_group = excluded.item_group
            """,
            cancellationToken,
            ("c", campaignId),
            ("task", item.Task),
            ("gold", item.Gold),
            ("honeypot", item.Honeypot),
            ("group", item.Group));

    public async Task<IReadOnlyList<CampaignAssignment>> AssignmentsAsync(long campaignId, CancellationToken cancellationToken) =>
        await QueryAsync("SELECT task, worker FROM label_assignments WHERE campaign_id = @c ORDER BY task COLLATE \"C\", worker COLLATE \"C\"", r => new CampaignAssignment(r.GetString(0), r.GetString(1)), cancellationToken, ("c", campaignId));

    public Task AddAssignmentAsync(long campaignId, CampaignAssignment assignment, long now, CancellationToken cancellationToken) =>
        QueueAsync(
            "INSERT INTO label_assignments (campaign_id, task, worker, assigned_at) VALUES (@c, @task, @worker, @now)",
            cancellationToken,
            ("c", campaignId),
            ("task", assignment.Task),
            ("worker", assignment.Worker),
            ("now", now));

    public async Task<IReadOnlyList<CampaignAnswer>> AnswersAsync(long campaignId, CancellationToken cancellationToken) =>
        await QueryAsync("SELECT task, worker, label, left_item, right_item, guideline_version FROM label_answers WHERE campaign_id = @c ORDER BY seq", LabelRows.Answer, cancellationToken, ("c", campaignId));

    public Task AddAnswerAsync(long campaignId, long seq, CampaignAnswer answer, long now, CancellationToken cancellationToken) =>
        QueueAsync(
            """
            INSERT INTO label_answers (campaign_id, seq, task, worker, label, left_item, right_item, guideline_version, added_at)
            VALUES (@c, @seq, @task, @worker, @label, @left, @right, @guideline, @now)
            """,
            cancellationToken,
            ("c", campaignId),
            ("seq", seq),
            ("task", answer.Task),
            ("worker", answer.Worker),
            ("label", answer.Label),
            ("left", answer.Left),
            ("right", answer.Right),
            ("guideline", answer.Guideline),
            ("now", now));
}
