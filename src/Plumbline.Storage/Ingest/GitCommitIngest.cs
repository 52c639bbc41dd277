using System.Text.Json;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Capture.Git;
using Plumbline.Core.Consent;
using Plumbline.Core.Privacy;
using Plumbline.Storage.Documents;

namespace Plumbline.Storage.Ingest;

/// <summary>
/// Where the file texts of commits come from: the repository itself (<c>plumb import git</c> on a local
/// store) or the request body (the team server, to which the CLI sends the texts it read locally).
/// </summary>
public interface IGitFileTexts
{
    /// <summary>The file as <paramref name="change"/> leaves it, as text; null when it is binary or too large (metadata only).</summary>
    Task<string?> NewTextAsync(GitChange change, CancellationToken cancellationToken);

    /// <summary>For a rename: the file before it, as text; null when it is binary or too large.</summary>
    Task<string?> OldTextAsync(GitChange change, CancellationToken cancellationToken);

    /// <summary>
    /// The source's own text of document <paramref name="document"/> as last imported: file <paramref name="path"/> at
    /// <paramref name="commit"/> (empty when that commit deleted or renamed it away). Null: diff from the stored text.
    /// </summary>
    Task<string?> LastStoredTextAsync(string document, string commit, string path, bool deleted, CancellationToken cancellationToken);
}

/// <summary>What to store: commits not stored yet, parents before children, of the repository stored under <see cref="Repository"/>.</summary>
public sealed record GitCommitBatch
{
    /// <summary>The repository's key in the store: commit events carry it and its documents are named <c>KEY/PATH</c>.</summary>
    public required string Repository { get; init; }

    public required IReadOnlyList<GitCommit> Commits { get; init; }

    /// <summary>The contributor running the import; vouches only for themselves.</summary>
    public required string Actor { get; init; }

    /// <summary>Commit author e-mails mapped to contributors; commits by others become gaps.</summary>
    public IReadOnlyDictionary<string, string> Authors { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Whether each commit also gets a batch record (<c>gitcommit:KEY:ID</c>), so that two imports racing to store the
    /// same commit cannot both succeed (the team server, where several processes may share a store).
    /// </summary>
    public bool RecordCommitBatches { get; init; }
}

/// <summary>What <see cref="GitCommitIngest"/> stored.</summary>
public sealed record GitCommitIngestResult(int Commits, int FileChanges, long Patches, int BinaryOrLargeFiles, int WithheldCommits, IReadOnlyList<string> Documents);

/// <summary>
/// Stores commits: every commit becomes per-file revisions (one file in one commit is one revision of the
/// document <c>KEY/PATH</c>), computed as minimal diffs between the file's versions, plus a <c>commit</c> event
/// with parents, author and message — all in one transaction, through the edit ingest pipeline (consent,
/// redaction, encryption, pauses). Shared by the local import and the team server's git endpoints, so both
/// store exactly the same revisions for the same commits.
/// </summary>
public sealed class GitCommitIngest(ITraceStore store, TimeProvider time)
{
    private sealed class DocumentPlan(string name)
    {
        public string Name { get; } = name;

        public string? StartContent { get; set; }

        public string? SourceStartContent { get; set; }

        public List<EditTransaction> Transactions { get; } = [];

        public List<(int Commit, int Change)> Origins { get; } = [];
    }

    /// <summary>The commits stored for repository key <paramref name="repository"/>, by id.</summary>
    public async Task<Dictionary<string, GitCommitPayload>> KnownAsync(string repository, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        return await GitCommitIndex.CommitsAsync(session, repository, cancellationToken);
    }

    /// <summary>For each document, the commit and path of its latest stored revision (and whether that emptied it).</summary>
    public static Dictionary<string, (int Revision, string Commit, string Path, bool Deleted)> LastStoredFiles(IEnumerable<GitCommitPayload> commits)
    {
        ArgumentNullException.ThrowIfNull(commits);
        var last = new Dictionary<string, (int Revision, string Commit, string Path, bool Deleted)>(StringComparer.Ordinal);
        foreach (var commit in commits)
        {
            foreach (var file in commit.Files)
            {
                if (file is { Document: { } document, Revision: { } revision } &&
                    (!last.TryGetValue(document, out var seen) || seen.Revision < revision))
                {
                    last[document] = (revision, commit.Commit, file.Path, file.Status == "D");
                }

                if (file is { OldDocument: { } oldDocument, OldRevision: { } emptied, OldPath: { } oldPath } &&
                    (!last.TryGetValue(oldDocument, out var before) || before.Revision < emptied))
                {
                    last[oldDocument] = (emptied, commit.Commit, oldPath, true);
                }
            }
        }

        return last;
    }

    /// <summary>
    /// Stores <paramref name="batch"/>'s commits, given what is stored already (<paramref name="known"/>, from
    /// <see cref="KnownAsync"/>). If any of them was stored meanwhile by someone else, nothing is stored and a
    /// conflict is thrown (ask for the known commits again).
    /// </summary>
    public async Task<GitCommitIngestResult> IngestAsync(
        GitCommitBatch batch,
        IReadOnlyDictionary<string, GitCommitPayload> known,
        IGitFileTexts texts,
        IProgress<double>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(texts);
        var repository = batch.Repository;
        var commits = batch.Commits;
        var lastStored = LastStoredFiles(known.Values);

        var plans = new Dictionary<string, DocumentPlan>(StringComparer.Ordinal);
        var binary = new HashSet<(int, int)>();
        var existing = new HashSet<string>(StringComparer.Ordinal);
        await using (var session = await store.OpenAsync(write: false, cancellationToken))
        {
            foreach (var document in await session.ListDocumentsAsync(cancellationToken))
            {
                if (document.Name.StartsWith(repository + "/", StringComparison.Ordinal))
                {
                    existing.Add(document.Name);
                }
            }
        }

        async Task<DocumentPlan> PlanAsync(string name, int commit, int change, bool add = true)
        {
            var fresh = !plans.ContainsKey(name);
            var plan = Plan(plans, name, commit, change, add);
            if (fresh && lastStored.TryGetValue(name, out var last))
            {
                // What the file really held at its last imported commit: diffs start from there, not from
                // the stored text, in which other people's withheld lines are masked.
                plan.SourceStartContent = await texts.LastStoredTextAsync(name, last.Commit, last.Path, last.Deleted, cancellationToken);
            }

            return plan;
        }

        for (var c = 0; c < commits.Count; c++)
        {
            var commit = commits[c];
            for (var k = 0; k < commit.Changes.Count; k++)
            {
                var change = commit.Changes[k];
                if (change.IsSubmodule)
                {
                    binary.Add((c, k));
                    continue;
                }

                var name = $"{repository}/{change.Path}";
                if (change.Status == 'R' && change.OldPath is { } oldPath)
                {
                    var oldName = $"{repository}/{oldPath}";
                    if (plans.ContainsKey(oldName) || existing.Contains(oldName))
                    {
                        (await PlanAsync(oldName, c, k)).Transactions.Add(EditTransaction.ToText(commit.AuthorTime, "", commit.AuthorEmail));
                    }

                    if (!plans.ContainsKey(name) && !existing.Contains(name) &&
                        await texts.OldTextAsync(change, cancellationToken) is { } before)
                    {
                        (await PlanAsync(name, c, k, add: false)).StartContent = before;
                    }
                }

                if (change.IsDeletion)
                {
                    if (plans.ContainsKey(name) || existing.Contains(name))
                    {
                        (await PlanAsync(name, c, k)).Transactions.Add(EditTransaction.ToText(commit.AuthorTime, "", commit.AuthorEmail));
                    }
                    else
                    {
                        binary.Add((c, k)); // a file that was never text: its deletion is metadata too
                    }

                    continue;
                }

                var content = await texts.NewTextAsync(change, cancellationToken);
                if (content is null)
                {
                    binary.Add((c, k));
                    if (plans.ContainsKey(name) || existing.Contains(name))
                    {
                        (await PlanAsync(name, c, k)).Transactions.Add(EditTransaction.ToText(commit.AuthorTime, "", commit.AuthorEmail));
                    }

                    continue;
                }

                (await PlanAsync(name, c, k)).Transactions.Add(EditTransaction.ToText(commit.AuthorTime, content, commit.AuthorEmail));
            }

            progress?.Report(0.4 * (c + 1) / Math.Max(1, commits.Count));
        }

        var ordered = plans.Values.OrderBy(p => p.Name, StringComparer.Ordinal).Where(p => p.Transactions.Count > 0).ToList();
        var batches = ordered.Select(p => new EditBatch
        {
            Document = p.Name,
            Source = SourceKind.Code,
            StartContent = p.StartContent,
            SourceStartContent = p.SourceStartContent,
            Transactions = p.Transactions,
            Actor = batch.Actor,
            AuthorMap = batch.Authors,
            BatchId = $"git:{repository}:{p.Name}:{commits[p.Origins[0].Commit].Id}:{p.Transactions.Count}",
            Locate = (t, _) => $"{p.Name} in commit {commits[p.Origins[t].Commit].Id[..Math.Min(12, commits[p.Origins[t].Commit].Id.Length)]}",
        }).ToList();

        var withheld = 0;
        var ingest = new EditIngest(store, time);
        var results = await ingest.IngestAsync(
            batches,
            progress is null ? null : new Progress<double>(v => progress.Report(0.4 + (0.6 * v))),
            async (session, stored) =>
            {
                // Under the documents' locks: were any of these commits stored since `known` was read? Then this plan is stale.
                if (commits.Count > 0 && (stored.Any(r => r.AlreadyStored) || batch.RecordCommitBatches))
                {
                    var now = await GitCommitIndex.CommitsAsync(session, repository, cancellationToken);
                    if (commits.FirstOrDefault(c => now.ContainsKey(c.Id) && !known.ContainsKey(c.Id)) is { } meanwhile)
                    {
                        throw new PlumblineException(
                            FailureKind.Conflict,
                            $"commits: commit {meanwhile.Id} of {repository} was stored by another import meanwhile; nothing was stored (ask which commits are stored and send the rest)");
                    }
                }

                var revisions = new Dictionary<(int, int, string), int>();
                for (var b = 0; b < ordered.Count; b++)
                {
                    for (var t = 0; t < ordered[b].Origins.Count; t++)
                    {
                        var (commit, change) = ordered[b].Origins[t];
                        revisions[(commit, change, ordered[b].Name)] = stored[b].TransactionRevisions[t];
                    }
                }

                withheld = await RecordCommitsAsync(session, batch, revisions, binary, cancellationToken);
            },
            cancellationToken);

        return new GitCommitIngestResult(
            commits.Count,
            commits.Sum(c => c.Changes.Count),
            results.Sum(r => r.Patches),
            binary.Count,
            withheld,
            ordered.Select(p => p.Name).ToList());
    }

    private static DocumentPlan Plan(Dictionary<string, DocumentPlan> plans, string name, int commit, int change, bool add = true)
    {
        if (!plans.TryGetValue(name, out var plan))
        {
            plans[name] = plan = new DocumentPlan(name);
        }

        if (add)
        {
            plan.Origins.Add((commit, change));
        }

        return plan;
    }

    private async Task<int> RecordCommitsAsync(
        IStoreSession session,
        GitCommitBatch batch,
        Dictionary<(int, int, string), int> revisions,
        HashSet<(int, int)> binary,
        CancellationToken cancellationToken)
    {
        var repository = batch.Repository;
        var commits = batch.Commits;
        var authors = new Dictionary<string, ContributorConsent>(StringComparer.OrdinalIgnoreCase);
        foreach (var (email, name) in batch.Authors)
        {
            authors[email] = await ContributorLookup.RequireAsync(session, name, $"--author {email}={name}", cancellationToken);
        }

        var detector = await Detectors.ForAsync(session, authors.Values.Select(a => a.ContributorId), cancellationToken);
        var withheld = 0;
        var events = new List<NewEvent>(commits.Count);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var c = 0; c < commits.Count; c++)
        {
            var commit = commits[c];
            var author = authors.GetValueOrDefault(commit.AuthorEmail);
            var admitted = ConsentGate.Decide(author, SourceKind.Code, commit.AuthorTime) == GateVerdict.Admit;
            withheld += admitted ? 0 : 1;
            var files = new List<GitCommitFile>(commit.Changes.Count);
            for (var k = 0; k < commit.Changes.Count; k++)
            {
                var change = commit.Changes[k];
                var document = $"{repository}/{change.Path}";
                var oldDocument = change.OldPath is null ? null : $"{repository}/{change.OldPath}";
                var stored = revisions.TryGetValue((c, k, document), out var revision);
                var emptied = oldDocument is not null && revisions.TryGetValue((c, k, oldDocument), out var oldRevision) ? oldRevision : (int?)null;
                files.Add(new GitCommitFile(change.Path, change.Status.ToString(), change.OldPath, stored ? document : null, stored ? revision : null, binary.Contains((c, k)))
                {
                    OldDocument = emptied is null ? null : oldDocument,
                    OldRevision = emptied,
                });
            }

            var payload = new GitCommitPayload(
                repository,
                commit.Id,
                commit.Parents,
                admitted ? author!.Name : null,
                admitted ? TextRedaction.Apply(detector, commit.Message).Text : null,
                !admitted,
                files);
            events.Add(
                new NewEvent(
                    admitted ? author!.ContributorId : null,
                    SourceKind.Code,
                    EventKind.Commit,
                    null,
                    null,
                    commit.AuthorTime,
                    admitted ? author!.Current!.Version : 0,
                    JsonSerializer.Serialize(payload, GitCommitIndex.Json)));
            if (batch.RecordCommitBatches)
            {
                // A second import of this commit racing this one fails on this row (and is told to ask again).
                await session.RecordBatchAsync(new BatchRecord($"gitcommit:{repository}:{commit.Id}", null, now, "{}"), cancellationToken);
            }
        }

        await session.AppendEventsAsync(events, cancellationToken);
        return withheld;
    }
}
