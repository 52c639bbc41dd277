using System.Text.RegularExpressions;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Capture.Git;
using Plumbline.Server.Access;
using Plumbline.Server.Contracts;
using Plumbline.Server.Documents;
using Plumbline.Storage;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Ingest;

namespace Plumbline.Server.Git;

/// <summary>
/// Git imports through the API (<c>plumb import git --server</c>): the client reads the repository and sends
/// commits with the file texts they change; the server stores them through the same pipeline as a local import
/// (<see cref="GitCommitIngest"/>: consent, redaction, encryption, pauses), so the same commits give the same revisions.
/// <para>
/// Naming: a contributor's import of repository REPO is theirs alone. Its commits carry the repository key
/// <c>~ID/REPO</c> and its files are the documents <c>~ID/REPO/PATH</c> (ID: their contributor id), which they see
/// and address as <c>REPO/PATH</c> (the <see cref="DocumentNames"/> private-name rule, applied to the whole
/// repository from its first commit rather than per document). So two contributors importing the same repository,
/// or the same path, never meet: neither can learn that the other did, and each one's commits and re-imports are
/// counted against their own history only. Curators and admins see the stored names.
/// </para>
/// </summary>
internal sealed partial class GitImports(ITraceStore store, TimeProvider time)
{
    /// <summary>The most commits one request may carry (more: 413).</summary>
    public const int MaxCommits = 1000;

    private static readonly string[] Statuses = ["A", "M", "D", "R", "C", "T"];

    public async Task<GitRepositoryResponse> KnownAsync(Caller caller, string repo, CancellationToken cancellationToken)
    {
        var key = Key(caller, repo);
        var known = await new GitCommitIngest(store, time).KnownAsync(key, cancellationToken);
        var files = GitCommitIngest.LastStoredFiles(known.Values)
            .OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => new GitStoredFileDto(DocumentNames.Shown(caller, f.Key), f.Value.Commit, f.Value.Path, f.Value.Deleted))
            .ToList();
        return new GitRepositoryResponse(repo, known.Keys.Order(StringComparer.Ordinal).ToList(), files);
    }

    public async Task<GitCommitsResponse> PostCommitsAsync(Caller caller, string repo, GitCommitsRequest request, CancellationToken cancellationToken)
    {
        var key = Key(caller, repo);
        if (request.Commits.Count == 0)
        {
            throw PlumblineException.BadInput("$.commits: send at least one commit");
        }

        if (request.Commits.Count > MaxCommits)
        {
            throw new TooManyCommits(request.Commits.Count);
        }

        var ingest = new GitCommitIngest(store, time);
        var known = await ingest.KnownAsync(key, cancellationToken);
        var (commits, files) = Read(request, known);
        foreach (var (path, text) in request.BaseTexts ?? new Dictionary<string, string>())
        {
            Validate.Text(text, $"$.base_texts[{Quote(path)}]");
        }

        var authors = request.Authors ?? new Dictionary<string, string>();
        foreach (var (email, name) in authors)
        {
            Validate.Name(email, $"$.authors[{Quote(email)}]");
            Validate.Name(name, $"$.authors[{Quote(email)}]");
        }

        var result = commits.Count == 0
            ? new GitCommitIngestResult(0, 0, 0, 0, 0, [])
            : await ingest.IngestAsync(
                new GitCommitBatch { Repository = key, Commits = commits, Actor = caller.Actor, Authors = authors, RecordCommitBatches = true },
                known,
                new RequestTexts(files, request.BaseTexts, key),
                null,
                cancellationToken);
        return new GitCommitsResponse(
            repo,
            result.Commits,
            request.Commits.Count - commits.Count,
            result.FileChanges,
            result.Patches,
            result.BinaryOrLargeFiles,
            result.WithheldCommits,
            result.Documents.Select(d => DocumentNames.Shown(caller, d)).ToList());
    }

    /// <summary>
    /// A commit event's payload as the caller knows it: for a contributor, their own repository key and documents
    /// (<c>~ID/REPO…</c>) without the prefix, as everywhere else; other payloads as stored.
    /// </summary>
    public static string? ShownPayload(Caller caller, EventKind kind, string? payload)
    {
        if (kind != EventKind.Commit || payload is null || caller is not { Role: ApiRole.Contributor, ContributorId: { } id })
        {
            return payload;
        }

        var stored = GitCommitIndex.Parse(payload);
        var prefix = DocumentNames.Private(id, "");
        if (stored is null || !stored.Repo.StartsWith(prefix, StringComparison.Ordinal))
        {
            return payload;
        }

        string? Shown(string? name) => name is null ? null : DocumentNames.Shown(caller, name);
        var files = stored.Files.Select(f => f with { Document = Shown(f.Document), OldDocument = Shown(f.OldDocument) }).ToList();
        return System.Text.Json.JsonSerializer.Serialize(stored with { Repo = Shown(stored.Repo)!, Files = files }, GitCommitIndex.Json);
    }

    /// <summary>The repository key of the caller's import of <paramref name="repo"/>: <c>~ID/REPO</c>.</summary>
    private static string Key(Caller caller, string repo)
    {
        _ = caller.Actor; // only contributors import
        Validate.Name(repo, "repo");
        if (repo.Contains('/', StringComparison.Ordinal) || repo is "." or ".." || repo.Length > 200)
        {
            throw PlumblineException.BadInput($"repo: '{repo}' is not a repository name (a folder name: no '/', at most 200 characters)");
        }

        DocumentNames.RequireWritable(repo + "/", "repo");
        return DocumentNames.Private(caller.ContributorId!.Value, repo);
    }

    /// <summary>The request's commits not stored yet, checked field by field, and where each change's texts are.</summary>
    private static (List<GitCommit> Commits, Dictionary<GitChange, GitFileDto> Files) Read(GitCommitsRequest request, IReadOnlyDictionary<string, GitCommitPayload> known)
    {
        var commits = new List<GitCommit>(request.Commits.Count);
        var files = new Dictionary<GitChange, GitFileDto>(ReferenceEqualityComparer.Instance);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var c = 0; c < request.Commits.Count; c++)
        {
            var at = $"$.commits[{c}]";
            var commit = request.Commits[c] ?? throw PlumblineException.BadInput($"{at}: expected an object, found null");
            if (!CommitId().IsMatch(commit.Id))
            {
                throw PlumblineException.BadInput($"{at}.id: '{Shorten(commit.Id)}' is not a full commit id (40 or 64 lowercase hex digits); nothing was stored");
            }

            if (!seen.Add(commit.Id))
            {
                throw PlumblineException.BadInput($"{at}.id: commit {commit.Id} is in this request twice; nothing was stored");
            }

            for (var p = 0; p < commit.Parents.Count; p++)
            {
                var parent = commit.Parents[p];
                if (parent is null || !CommitId().IsMatch(parent))
                {
                    throw PlumblineException.BadInput($"{at}.parents[{p}]: '{Shorten(parent ?? "null")}' is not a full commit id; nothing was stored");
                }

                if (!known.ContainsKey(parent) && !(seen.Contains(parent) && parent != commit.Id))
                {
                    throw PlumblineException.BadInput(
                        $"{at}.parents[{p}]: parent {parent} is neither stored nor earlier in this request (send commits parents first); nothing was stored");
                }
            }

            Validate.Text(commit.AuthorEmail, $"{at}.author_email");
            Validate.Text(commit.Message, $"{at}.message");
            var changes = new List<GitChange>(commit.Files.Count);
            for (var k = 0; k < commit.Files.Count; k++)
            {
                var file = commit.Files[k] ?? throw PlumblineException.BadInput($"{at}.files[{k}]: expected an object, found null");
                changes.Add(Change(file, $"{at}.files[{k}]", files));
            }

            if (known.ContainsKey(commit.Id))
            {
                continue; // stored before: checked, then skipped
            }

            commits.Add(new GitCommit(commit.Id, commit.Parents, commit.AuthorEmail, "", commit.AuthorTime.ToUnixTimeMilliseconds(), commit.Message, changes));
        }

        return (commits, files);
    }

    private static GitChange Change(GitFileDto file, string at, Dictionary<GitChange, GitFileDto> files)
    {
        RequirePath(file.Path, $"{at}.path");
        if (!Statuses.Contains(file.Status, StringComparer.Ordinal))
        {
            throw PlumblineException.BadInput($"{at}.status: '{Shorten(file.Status)}' is not one of A, M, D, R, C, T; nothing was stored");
        }

        var status = file.Status[0];
        if (status is 'R' or 'C')
        {
            RequirePath(file.OldPath ?? throw PlumblineException.BadInput($"{at}.old_path: required for status {status}; nothing was stored"), $"{at}.old_path");
        }
        else if (file.OldPath is not null)
        {
            throw PlumblineException.BadInput($"{at}.old_path: only a rename (R) or copy (C) has one; nothing was stored");
        }

        if (file.OldText is not null && status != 'R')
        {
            throw PlumblineException.BadInput($"{at}.old_text: only a rename (R) has one; nothing was stored");
        }

        var metadataOnly = status == 'D' || file.Binary || file.Submodule;
        if (metadataOnly && file.Text is not null)
        {
            throw PlumblineException.BadInput($"{at}.text: a deleted, binary or submodule file has no text; nothing was stored");
        }

        if (!metadataOnly && file.Text is null)
        {
            throw PlumblineException.BadInput($"{at}.text: required (the file's text after the commit) unless it is deleted or binary; nothing was stored");
        }

        Validate.Text(file.Text, $"{at}.text");
        Validate.Text(file.OldText, $"{at}.old_text");
        var mode = file.Submodule ? "160000" : "100644";
        var change = new GitChange(status, file.Path, file.OldPath, "", "", mode, mode);
        files[change] = file;
        return change;
    }

    /// <summary>A path inside the repository: relative, '/'-separated, no empty, '.' or '..' segment, not inside .git.</summary>
    private static void RequirePath(string path, string field)
    {
        Validate.Name(path, field);
        var segments = path.Split('/');
        if (path.Length > 900 || path.Contains('\\', StringComparison.Ordinal) ||
            segments.Any(s => s is "" or "." or ".." || s.Equals(".git", StringComparison.OrdinalIgnoreCase)))
        {
            throw PlumblineException.BadInput($"{field}: '{Shorten(path)}' is not a path inside the repository (relative, '/'-separated, no empty, '.', '..' or .git part); nothing was stored");
        }
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";

    private static string Quote(string key) => "'" + Shorten(key) + "'";

    [GeneratedRegex("^(?:[0-9a-f]{40}|[0-9a-f]{64})$", RegexOptions.CultureInvariant)]
    private static partial Regex CommitId();

    /// <summary>More commits than one request may carry.</summary>
    internal sealed class TooManyCommits(int count) : Exception($"$.commits: {count} commits in one request; at most {MaxCommits} (split the import into smaller requests)");

    /// <summary>File texts from the request.</summary>
    private sealed class RequestTexts(Dictionary<GitChange, GitFileDto> files, IReadOnlyDictionary<string, string>? baseTexts, string key) : IGitFileTexts
    {
        public Task<string?> NewTextAsync(GitChange change, CancellationToken cancellationToken) =>
            Task.FromResult(files[change].Text);

        public Task<string?> OldTextAsync(GitChange change, CancellationToken cancellationToken) =>
            Task.FromResult(files[change].OldText);

        public Task<string?> LastStoredTextAsync(string document, string commit, string path, bool deleted, CancellationToken cancellationToken) =>
            Task.FromResult(deleted ? "" : baseTexts?.GetValueOrDefault(document[(key.Length + 1)..]));
    }
}
