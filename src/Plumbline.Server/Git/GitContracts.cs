namespace Plumbline.Server.Contracts;

// The wire format of the git import endpoints (snake_case JSON, times ISO-8601 UTC).

/// <summary>
/// What the server holds of the caller's import of a repository: the ids of the commits stored, and for each
/// document (<c>REPO/PATH</c>) the commit and file path of its latest stored revision (<see cref="GitStoredFileDto.Deleted"/>:
/// that revision emptied it). A client diffs each file's next version from the file as it was there (see
/// <see cref="GitCommitsRequest.BaseTexts"/>).
/// </summary>
public sealed record GitRepositoryResponse(string Repository, IReadOnlyList<string> Commits, IReadOnlyList<GitStoredFileDto> LastFiles);

public sealed record GitStoredFileDto(string Document, string Commit, string Path, bool Deleted);

/// <summary>
/// One file a commit changes, against its first parent. <see cref="Status"/> is git's: A, M, D, R (renamed from
/// <see cref="OldPath"/>), C (copied), T (type changed). <see cref="Text"/> is the file after the commit (required
/// unless deleted or <see cref="Binary"/>: binary, invalid UTF-8 or too large, recorded as metadata only);
/// <see cref="OldText"/> is, for a rename, the file before it (null when binary).
/// </summary>
public sealed record GitFileDto(
    string Path,
    string Status,
    string? OldPath = null,
    string? Text = null,
    string? OldText = null,
    bool Binary = false,
    bool Submodule = false);

/// <summary>A commit: its full id (40 or 64 lowercase hex digits), parents, author e-mail and time, message, and the files it changes.</summary>
public sealed record GitCommitDto(
    string Id,
    IReadOnlyList<string> Parents,
    string AuthorEmail,
    DateTimeOffset AuthorTime,
    string Message,
    IReadOnlyList<GitFileDto> Files);

/// <summary>
/// Commits to store, parents before children (each parent stored before or earlier in this request). Commits stored
/// before are skipped (a retry is a no-op); the others are stored in one transaction, all or nothing.
/// <see cref="Authors"/> maps commit author e-mails to contributors (others' commits become gaps).
/// <see cref="BaseTexts"/>: for a document stored before, keyed by its path in the repository, the file's text as it
/// was at its latest stored revision (see <see cref="GitRepositoryResponse.LastFiles"/>); diffs start from it rather than
/// from the stored text, which differs where something was withheld or redacted. Without it, diffs start from the stored text.
/// </summary>
public sealed record GitCommitsRequest(
    IReadOnlyList<GitCommitDto> Commits,
    IReadOnlyDictionary<string, string>? Authors = null,
    IReadOnlyDictionary<string, string>? BaseTexts = null);

public sealed record GitCommitsResponse(
    string Repository,
    int Commits,
    int AlreadyStored,
    int FileChanges,
    long Patches,
    int BinaryOrLarge,
    int WithheldCommits,
    IReadOnlyList<string> Documents);
