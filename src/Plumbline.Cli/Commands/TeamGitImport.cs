using Plumbline.Capture.Git;
using Plumbline.Core;
using Plumbline.Core.Capture.Git;
using Plumbline.Server.Client;
using Plumbline.Server.Contracts;

namespace Plumbline.Cli.Commands;

/// <summary>
/// <c>plumb import git --server</c>: reads the repository locally (the same <see cref="GitRepository"/> code as a
/// local import), asks the server which commits of the caller's import it has, and sends the rest, parents first,
/// in bounded requests. Each request is stored whole or not at all, so an interrupted import resumes where it
/// stopped when run again.
/// </summary>
internal sealed class TeamGitImport(PlumblineClient api)
{
    /// <summary>The most commits per request (the server takes at most 1,000).</summary>
    public int BatchCommits { get; init; } = 200;

    /// <summary>About how many characters of file text per request (a single larger commit goes alone).</summary>
    public long BatchChars { get; init; } = 8L * 1024 * 1024;

    public async Task<GitImportResult> ImportAsync(string path, GitImportOptions options, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var repository = await GitRepository.OpenAsync(path, cancellationToken);
        var all = await repository.CommitsAsync(options.Revision, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SendAsync(repository, all, options, progress, cancellationToken);
            }
            catch (PlumblineException e) when (e.Kind == FailureKind.Conflict && attempt < 3)
            {
                // Another import of this repository by the same contributor stored some of these commits meanwhile: ask again.
            }
        }
    }

    private async Task<GitImportResult> SendAsync(GitRepository repository, List<GitCommit> all, GitImportOptions options, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var state = await api.GitRepositoryAsync(repository.Name, cancellationToken);
        var known = state.Commits.ToHashSet(StringComparer.Ordinal);
        var todo = all.Where(c => !known.Contains(c.Id)).ToList();
        var prefix = repository.Name + "/";
        var last = state.LastFiles.Where(f => f.Document.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(f => f.Document[prefix.Length..], StringComparer.Ordinal);

        // Each path's text as of its latest change sent or stored (null: binary, so the server diffs from its stored text).
        var source = new Dictionary<string, string?>(StringComparer.Ordinal);
        async Task<string?> SourceAsync(string file)
        {
            if (!source.TryGetValue(file, out var text))
            {
                text = last.TryGetValue(file, out var stored)
                    ? await GitImporter.FileTextAsync(repository, stored.Commit, stored.Path, stored.Deleted, options.MaxFileBytes, cancellationToken)
                    : null;
                source[file] = text;
            }

            return text;
        }

        var pending = new List<GitCommitDto>();
        var baseTexts = new Dictionary<string, string>(StringComparer.Ordinal);
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var earlier = new HashSet<string>(StringComparer.Ordinal); // paths touched by requests already sent
        long chars = 0;
        int stored = 0, already = 0, fileChanges = 0, binary = 0, withheld = 0, sent = 0;
        long patches = 0;
        var documents = new SortedSet<string>(StringComparer.Ordinal);

        async Task FlushAsync()
        {
            if (pending.Count == 0)
            {
                return;
            }

            var result = await api.PostGitCommitsAsync(
                repository.Name,
                new GitCommitsRequest(pending.ToList(), options.Authors, baseTexts.Count == 0 ? null : new Dictionary<string, string>(baseTexts)),
                cancellationToken);
            stored += result.Commits;
            already += result.AlreadyStored;
            fileChanges += result.FileChanges;
            patches += result.Patches;
            binary += result.BinaryOrLarge;
            withheld += result.WithheldCommits;
            documents.UnionWith(result.Documents);
            sent += pending.Count;
            progress?.Report((double)sent / todo.Count);
            pending.Clear();
            baseTexts.Clear();
            earlier.UnionWith(touched);
            touched.Clear();
            chars = 0;
        }

        async Task TouchAsync(string file)
        {
            if (touched.Add(file) && await SourceAsync(file) is { } before && (last.ContainsKey(file) || earlier.Contains(file)))
            {
                baseTexts[file] = before;
                chars += before.Length;
            }
        }

        foreach (var commit in todo)
        {
            var files = new List<GitFileDto>(commit.Changes.Count);
            long size = commit.Message.Length;
            foreach (var change in commit.Changes)
            {
                if (change.IsSubmodule)
                {
                    files.Add(new GitFileDto(change.Path, change.Status.ToString(), change.OldPath, Submodule: true));
                    continue;
                }

                string? oldText = null;
                if (change.Status == 'R' && change.OldPath is { } oldPath)
                {
                    await TouchAsync(oldPath);
                    oldText = GitImporter.Text(await repository.BlobAsync(change.OldBlob, cancellationToken), options.MaxFileBytes);
                    source[oldPath] = "";
                }

                await TouchAsync(change.Path);
                var text = change.IsDeletion ? null : GitImporter.Text(await repository.BlobAsync(change.NewBlob, cancellationToken), options.MaxFileBytes);
                source[change.Path] = change.IsDeletion ? "" : text;
                size += (text?.Length ?? 0) + (oldText?.Length ?? 0);
                files.Add(new GitFileDto(change.Path, change.Status.ToString(), change.OldPath, text, oldText, Binary: !change.IsDeletion && text is null));
            }

            pending.Add(new GitCommitDto(commit.Id, commit.Parents, commit.AuthorEmail, DateTimeOffset.FromUnixTimeMilliseconds(commit.AuthorTime), commit.Message, files));
            chars += size;
            if (pending.Count >= BatchCommits || chars >= BatchChars)
            {
                await FlushAsync();
            }
        }

        await FlushAsync();
        return new GitImportResult(repository.Name, stored, all.Count - todo.Count + already, fileChanges, patches, binary, withheld, documents.ToList());
    }
}
