using System.Text;
using Plumbline.Core.Capture.Git;
using Plumbline.Storage;
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
    public async Task<GitImportResult> ImportAsync(string path, GitImportOptions options, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var repository = await GitRepository.OpenAsync(path, cancellationToken);
        var all = await repository.CommitsAsync(options.Revision, cancellationToken);
        var ingest = new GitCommitIngest(store, time);
        var known = await ingest.KnownAsync(repository.Name, cancellationToken);
        var commits = all.Where(c => !known.ContainsKey(c.Id)).ToList();
        var result = await ingest.IngestAsync(
            new GitCommitBatch { Repository = repository.Name, Commits = commits, Actor = options.Actor, Authors = options.Authors },
            known,
            new RepositoryTexts(repository, options.MaxFileBytes),
            progress,
            cancellationToken);

        return new GitImportResult(
            repository.Name,
            result.Commits,
            all.Count - commits.Count,
            result.FileChanges,
            result.Patches,
            result.BinaryOrLargeFiles,
            result.WithheldCommits,
            result.Documents);
    }

    /// <summary>The file as text, or null for binary (a NUL in the first 8,000 bytes, as git decides, or invalid UTF-8) and oversized files.</summary>
    public static string? Text(byte[] bytes, int maxFileBytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length > maxFileBytes || bytes.AsSpan(0, Math.Min(8000, bytes.Length)).Contains((byte)0))
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

    /// <summary>File texts read from the repository itself.</summary>
    private sealed class RepositoryTexts(GitRepository repository, int maxFileBytes) : IGitFileTexts
    {
        public async Task<string?> NewTextAsync(GitChange change, CancellationToken cancellationToken) =>
            Text(await repository.BlobAsync(change.NewBlob, cancellationToken), maxFileBytes);

        public async Task<string?> OldTextAsync(GitChange change, CancellationToken cancellationToken) =>
            Text(await repository.BlobAsync(change.OldBlob, cancellationToken), maxFileBytes);

        public Task<string?> LastStoredTextAsync(string document, string commit, string path, bool deleted, CancellationToken cancellationToken) =>
            FileTextAsync(repository, commit, path, deleted, maxFileBytes, cancellationToken);
    }

    /// <summary>File <paramref name="path"/> at <paramref name="commit"/> as text ("" when that commit deleted it; null when binary or too large).</summary>
    public static async Task<string?> FileTextAsync(GitRepository repository, string commit, string path, bool deleted, int maxFileBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return deleted ? "" : Text(await repository.FindBlobAsync($"{commit}:{path}", cancellationToken) ?? [], maxFileBytes);
    }
}
