using System.Security.Cryptography;
using System.Text;
using Plumbline.Core;
using Plumbline.Core.Curation;

namespace Plumbline.Storage.Labels;

/// <summary>A guideline (rater handbook) version given at import: the version name and the Markdown text.</summary>
public sealed record GuidelineFile(string Version, string Content);

public sealed record CampaignImport(string Campaign, string Kind, bool Created, int Labels, int Items, int GoldItems, IReadOnlyList<GuidelineVersion> Guidelines);

/// <summary>A campaign read back whole: labels in the crowd-kit row shapes, gold answers, honeypots, guideline versions.</summary>
public sealed record CampaignData(
    LabelCampaign Campaign,
    IReadOnlyList<LabelRow> Labels,
    IReadOnlyList<PairwiseRow> Comparisons,
    IReadOnlyDictionary<string, string> Gold,
    IReadOnlySet<string> Honeypots,
    IReadOnlyList<GuidelineVersion> Guidelines,
    IReadOnlyList<CampaignAssignment> Assignments);

/// <summary>
/// Labelling campaigns in the store: items (with gold answers, honeypot marks and groups), assignments with
/// overlap, labels, and the guideline version each label was made under (the handbook text is stored and
/// hashed; a version name cannot be reused for a different text). Every call is one transaction.
/// </summary>
public sealed class LabelCampaignService(ITraceStore store, TimeProvider time)
{
    public const string Classification = "classification";
    public const string Pairwise = "pairwise";

    public static string Sha256(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    /// <summary>
    /// Imports labels (either <paramref name="labels"/> or <paramref name="comparisons"/>) into the campaign, creating it
    /// when new. When exactly one guideline is given, labels without a guideline column are made under it.
    /// </summary>
    public async Task<CampaignImport> ImportAsync(
        string campaign,
        string source,
        IReadOnlyList<LabelRow>? labels,
        IReadOnlyList<PairwiseRow>? comparisons,
        IReadOnlyList<GuidelineFile> guidelines,
        IReadOnlyList<GoldRow>? gold,
        bool honeypots,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(campaign);
        ArgumentNullException.ThrowIfNull(guidelines);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var session = await store.OpenAsync(write: true, cancellationToken);
        var existing = await session.FindCampaignAsync(campaign, cancellationToken);
        var kind = comparisons is not null ? Pairwise : labels is null && existing is not null ? existing.Kind : Classification;
        if (existing is not null && existing.Kind != kind)
        {
            throw PlumblineException.BadInput($"campaign '{campaign}' holds {existing.Kind} labels; these are {kind}");
        }

        var row = existing ?? await session.CreateCampaignAsync(campaign, kind, now, cancellationToken);
        var stored = (await session.GuidelinesAsync(row.Id, cancellationToken)).ToDictionary(g => g.Version, StringComparer.Ordinal);
        foreach (var file in guidelines)
        {
            var sha = Sha256(file.Content);
            if (stored.TryGetValue(file.Version, out var known))
            {
                if (known.Sha256 != sha)
                {
                    throw PlumblineException.BadInput(
                        $"--guideline {file.Version}: campaign '{campaign}' already has a version '{file.Version}' with another text (sha256 {known.Sha256[..12]}…, this one {sha[..12]}…); give the new text a new version name");
                }

                continue;
            }

            var version = new GuidelineVersion(file.Version, sha, file.Content, now);
            await session.AddGuidelineAsync(row.Id, version, cancellationToken);
            stored[file.Version] = version;
        }

        var fallback = guidelines.Count == 1 ? guidelines[0].Version : null;
        var items = (await session.CampaignItemsAsync(row.Id, cancellationToken)).ToDictionary(i => i.Task, StringComparer.Ordinal);
        var answers = await session.AnswersAsync(row.Id, cancellationToken);
        var seq = (long)answers.Count;
        var seen = answers.Select(a => Key(a.Task, a.Worker, a.Left, a.Right)).ToHashSet();
        var count = 0;
        async Task AddAsync(CampaignAnswer answer, string? group, int line)
        {
            if (answer.Guideline is { } version && !stored.ContainsKey(version))
            {
                throw PlumblineException.BadInput(
                    $"{source}:{line}: column 'guideline': version '{version}' is not stored for campaign '{campaign}' (add it with --guideline {version}=FILE.md)");
            }

            if (!seen.Add(Key(answer.Task, answer.Worker, answer.Left, answer.Right)))
            {
                throw PlumblineException.BadInput($"{source}:{line}: worker '{answer.Worker}' already has a label for task '{answer.Task}' in campaign '{campaign}'");
            }

            if (!items.TryGetValue(answer.Task, out var item) || (group is not null && item.Group != group))
            {
                item = new CampaignItem(answer.Task, item?.Gold, item?.Honeypot ?? false, group ?? item?.Group);
                items[answer.Task] = item;
                await session.PutCampaignItemAsync(row.Id, item, cancellationToken);
            }

            await session.AddAnswerAsync(row.Id, seq++, answer, now, cancellationToken);
            count++;
        }

        foreach (var label in labels ?? [])
        {
            await AddAsync(new CampaignAnswer(label.Task, label.Worker, label.Label, null, null, label.Guideline ?? fallback), label.Group, label.Line);
        }

        foreach (var pair in comparisons ?? [])
        {
            await AddAsync(new CampaignAnswer(pair.Task, pair.Worker, pair.Label, pair.Left, pair.Right, pair.Guideline ?? fallback), null, pair.Line);
        }

        foreach (var answer in gold ?? [])
        {
            var item = items.GetValueOrDefault(answer.Task);
            var updated = new CampaignItem(answer.Task, answer.Label, honeypots || (item?.Honeypot ?? false), item?.Group);
            items[answer.Task] = updated;
            await session.PutCampaignItemAsync(row.Id, updated, cancellationToken);
        }

        await session.CommitAsync(cancellationToken);
        return new CampaignImport(campaign, kind, existing is null, count, items.Count, items.Values.Count(i => i.Gold is not null), [.. stored.Values.OrderBy(g => g.AddedAt).ThenBy(g => g.Version, StringComparer.Ordinal)]);
    }

    public async Task<CampaignData> LoadAsync(string campaign, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        var row = await session.FindCampaignAsync(campaign, cancellationToken)
            ?? throw PlumblineException.NotFound($"--campaign: no campaign named '{campaign}' (import labels into it first: plumb labels import FILE --campaign {campaign})");
        var items = (await session.CampaignItemsAsync(row.Id, cancellationToken)).ToDictionary(i => i.Task, StringComparer.Ordinal);
        var answers = await session.AnswersAsync(row.Id, cancellationToken);
        var labels = new List<LabelRow>();
        var comparisons = new List<PairwiseRow>();
        var line = 0;
        foreach (var a in answers)
        {
            line++;
            if (row.Kind == Pairwise)
            {
                comparisons.Add(new PairwiseRow(a.Worker, a.Task, a.Left!, a.Right!, a.Label, a.Guideline, line));
            }
            else
            {
                labels.Add(new LabelRow(a.Task, a.Worker, a.Label, a.Guideline, items.GetValueOrDefault(a.Task)?.Group, line));
            }
        }

        return new CampaignData(
            row,
            labels,
            comparisons,
            items.Values.Where(i => i.Gold is not null).ToDictionary(i => i.Task, i => i.Gold!, StringComparer.Ordinal),
            items.Values.Where(i => i.Honeypot).Select(i => i.Task).ToHashSet(StringComparer.Ordinal),
            await session.GuidelinesAsync(row.Id, cancellationToken),
            await session.AssignmentsAsync(row.Id, cancellationToken));
    }

    /// <summary>
    /// Assigns every non-honeypot item to <paramref name="overlap"/> distinct workers (those with the fewest
    /// assignments first, ties in a seeded random order), then mixes <paramref name="honeypotsPerWorker"/> honeypot
    /// items into each worker's share. Items already assigned or labelled keep their workers (and count toward the
    /// overlap). Returns the new assignments.
    /// </summary>
    public async Task<IReadOnlyList<CampaignAssignment>> AssignAsync(
        string campaign,
        IReadOnlyList<string> workers,
        int overlap,
        int honeypotsPerWorker,
        int seed,
        IReadOnlyList<(string Task, string? Group)> newItems,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workers);
        ArgumentNullException.ThrowIfNull(newItems);
        if (workers.Count == 0 || workers.Distinct().Count() != workers.Count)
        {
            throw PlumblineException.BadInput("--workers: give one or more distinct worker names");
        }

        if (overlap < 1 || overlap > workers.Count)
        {
            throw PlumblineException.BadInput($"--overlap: {overlap} is not between 1 and the number of workers ({workers.Count})");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(honeypotsPerWorker);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var session = await store.OpenAsync(write: true, cancellationToken);
        var row = await session.FindCampaignAsync(campaign, cancellationToken)
            ?? await session.CreateCampaignAsync(campaign, Classification, now, cancellationToken);
        var items = (await session.CampaignItemsAsync(row.Id, cancellationToken)).ToDictionary(i => i.Task, StringComparer.Ordinal);
        foreach (var (task, group) in newItems)
        {
            if (!items.ContainsKey(task))
            {
                items[task] = new CampaignItem(task, null, false, group);
                await session.PutCampaignItemAsync(row.Id, items[task], cancellationToken);
            }
        }

        // Labels already given count as done assignments: an item labelled by three raters needs no more at overlap 3.
        var labelled = (await session.AnswersAsync(row.Id, cancellationToken)).Select(a => new CampaignAssignment(a.Task, a.Worker));
        var existing = (await session.AssignmentsAsync(row.Id, cancellationToken)).Concat(labelled).Distinct().ToList();
        var byTask = existing.GroupBy(a => a.Task).ToDictionary(g => g.Key, g => g.Select(a => a.Worker).ToHashSet(), StringComparer.Ordinal);
        var load = workers.ToDictionary(w => w, w => existing.Count(a => a.Worker == w), StringComparer.Ordinal);
        var random = new Random(seed);
        var added = new List<CampaignAssignment>();
        foreach (var item in items.Values.Where(i => !i.Honeypot).OrderBy(i => i.Task, StringComparer.Ordinal))
        {
            var have = byTask.GetValueOrDefault(item.Task) ?? [];
            var chosen = workers.Where(w => !have.Contains(w))
                .Select(w => (Worker: w, Tie: random.Next()))
                .OrderBy(p => load[p.Worker]).ThenBy(p => p.Tie)
                .Take(Math.Max(0, overlap - have.Count))
                .Select(p => p.Worker)
                .ToList();
            foreach (var worker in chosen)
            {
                load[worker]++;
                added.Add(new CampaignAssignment(item.Task, worker));
            }
        }

        var pots = items.Values.Where(i => i.Honeypot).Select(i => i.Task).Order(StringComparer.Ordinal).ToArray();
        if (honeypotsPerWorker > pots.Length)
        {
            throw PlumblineException.BadInput($"--honeypots: {honeypotsPerWorker} per worker, but the campaign has {pots.Length} honeypot items (import gold with --honeypot)");
        }

        foreach (var worker in workers)
        {
            var candidates = pots.Where(p => !(byTask.GetValueOrDefault(p)?.Contains(worker) ?? false)).OrderBy(_ => random.Next()).Take(honeypotsPerWorker);
            added.AddRange(candidates.Select(p => new CampaignAssignment(p, worker)));
        }

        foreach (var assignment in added)
        {
            await session.AddAssignmentAsync(row.Id, assignment, now, cancellationToken);
        }

        await session.CommitAsync(cancellationToken);
        return added;
    }

    private static string Key(string task, string worker, string? left, string? right) => $"{task}\u0001{worker}\u0001{left}\u0001{right}";
}
