using System.Text;
using System.Text.Json;
using Plumbline.Core.Capture;
using Plumbline.Core.Capture.Git;
using Plumbline.Core.Consent;
using Plumbline.Core.Privacy;
using Plumbline.Storage;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Ingest;

namespace Plumbline.Capture.Git;

public sealed record GitImportOptions
{
    public required string Actor { get; init; }

    /// <summary>Commit author e-mails mapped to contributors; commits by others become gaps.</summary>
    public IReadOnlyDictionary<string, string> Authors { get; init; } = new Dictionary<string, string>();

    /// <summary>What to import: a branch, tag or commit (default HEAD), with all its ancestors.</summary>
    public string Revision { get; init; } = "HEAD";

    /// <summary>Files larger than this are recorded as metadata only (default 4 MiB).</summary>
    public int MaxFileBytes { get; init; } = 4 * 1024 * 1024;
}

public sealed record GitImportResult(
    string Repository,
    int Commits,
    int AlreadyImported,
    int FileChanges,
    long Patches,
    int BinaryOrLargeFiles,
    int WithheldCommits,
    IReadOnlyList<string> Documents);

/// <summary>
/// Imports a git history: every commit becomes per-file revisions (one file in one commit is one
/// revision of the document <c>REPO_NAME/PATH</c>), computed as minimal diffs between the file's
/// versions, plus a <c>commit</c> event with parents, author and message. Commits already imported
/// are skipped, so running it again after new commits imports just those.
/// </summary>
public sealed class GitImporter(ITraceStore store, TimeProvider time)
{

    private sealed class DocumentPlan(string name)
    {
        public string Name { get; } = name;

        public string? StartContent { get; set; }

        public string? SourceStartContent { get; set; }

        public List<EditTransaction> Transactions { get; } = [];

        public List<(int Commit, int Change)> Origins { get; } = [];
    }

    public async Task<GitImportResult> ImportAsync(string path, GitImportOptions options, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var repository = await GitRepository.OpenAsync(path, cancellationToken);
        var all = await repository.CommitsAsync(options.Revision, cancellationToken);
        Dictionary<string, GitCommitPayload> known;
        await using (var session = await store.OpenAsync(write: false, cancellationToken))
        {
            known = await GitCommitIndex.CommitsAsync(session, repository.Name, cancellationToken);
        }

        var commits = all.Where(c => !known.ContainsKey(c.Id)).ToList();
        var lastStored = LastStoredFiles(known.Values);

        var plans = new Dictionary<string, DocumentPlan>(StringComparer.Ordinal);
        var binary = new HashSet<(int, int)>();
        var existing = new HashSet<string>(StringComparer.Ordinal);
        await using (var session = await store.OpenAsync(write: false, cancellationToken))
        {
            foreach (var document in await session.ListDocumentsAsync(cancellationToken))
            {
                if (document.Name.StartsWith(repository.Name + "/", StringComparison.Ordinal))
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
                plan.SourceStartContent = last.Deleted ? "" : Text(await repository.FindBlobAsync($"{last.Commit}:{last.Path}", cancellationToken) ?? [], options);
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

                var name = $"{repository.Name}/{change.Path}";
                if (change.Status == 'R' && change.OldPath is { } oldPath)
                {
                    var oldName = $"{repository.Name}/{oldPath}";
                    if (plans.ContainsKey(oldName) || existing.Contains(oldName))
                    {
                        (await PlanAsync(oldName, c, k)).Transactions.Add(EditTransaction.ToText(commit.AuthorTime, "", commit.AuthorEmail));
                    }

                    if (!plans.ContainsKey(name) && !existing.Contains(name) &&
                        Text(await repository.BlobAsync(change.OldBlob, cancellationToken), options) is { } before)
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

                var content = Text(await repository.BlobAsync(change.NewBlob, cancellationToken), options);
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
            Actor = options.Actor,
            AuthorMap = options.Authors,
            BatchId = $"git:{repository.Name}:{p.Name}:{commits[p.Origins[0].Commit].Id}:{p.Transactions.Count}",
            Locate = (t, _) => $"{p.Name} in commit {commits[p.Origins[t].Commit].Id[..12]}",
        }).ToList();

        var withheld = 0;
        var ingest = new EditIngest(store, time);
        var results = await ingest.IngestAsync(
            batches,
            progress is null ? null : new Progress<double>(v => progress.Report(0.4 + (0.6 * v))),
            async (session, stored) =>
            {
                var revisions = new Dictionary<(int, int, string), int>();
                for (var b = 0; b < ordered.Count; b++)
                {
                    for (var t = 0; t < ordered[b].Origins.Count; t++)
                    {
                        var (commit, change) = ordered[b].Origins[t];
                        revisions[(commit, change, ordered[b].Name)] = stored[b].TransactionRevisions[t];
                    }
                }

                withheld = await RecordCommitsAsync(session, repository.Name, commits, revisions, binary, options, cancellationToken);
            },
            cancellationToken);

        return new GitImportResult(
            repository.Name,
            commits.Count,
            all.Count - commits.Count,
            commits.Sum(c => c.Changes.Count),
            results.Sum(r => r.Patches),
            binary.Count,
            withheld,
            ordered.Select(p => p.Name).ToList());
    }

    /// <summary>For each document, the commit and path of its latest stored revision.</summary>
    private static Dictionary<string, (int Revision, string Commit, string Path, bool Deleted)> LastStoredFiles(IEnumerable<GitCommitPayload> commits)
    {
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

    /// <summary>The file as text, or null for binary (a NUL in the first 8,000 bytes, as git decides, or invalid UTF-8) and oversized files.</summary>
    private static string? Text(byte[] bytes, GitImportOptions options)
    {
        if (bytes.Length > options.MaxFileBytes || bytes.AsSpan(0, Math.Min(8000, bytes.Length)).Contains((byte)0))
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private async Task<int> RecordCommitsAsync(
        IStoreSession session,
        string repository,
        List<GitCommit> commits,
        Dictionary<(int, int, string), int> revisions,
        HashSet<(int, int)> binary,
        GitImportOptions options,
        CancellationToken cancellationToken)
    {
        var authors = new Dictionary<string, ContributorConsent>(StringComparer.OrdinalIgnoreCase);
        foreach (var (email, name) in options.Authors)
        {
            authors[email] = await ContributorLookup.RequireAsync(session, name, $"--author {email}={name}", cancellationToken);
        }

        var detector = await Detectors.ForAsync(session, authors.Values.Select(a => a.ContributorId), cancellationToken);
        var withheld = 0;
        var events = new List<NewEvent>(commits.Count);
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
        }

        await session.AppendEventsAsync(events, cancellationToken);
        return withheld;
    }
}
