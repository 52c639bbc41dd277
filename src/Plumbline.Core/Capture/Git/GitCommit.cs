namespace Plumbline.Core.Capture.Git;

/// <summary>One file changed by a commit, against its first parent (git's raw diff, renames detected).</summary>
public sealed record GitChange(char Status, string Path, string? OldPath, string OldBlob, string NewBlob, string OldMode, string NewMode)
{
    /// <summary>A submodule (gitlink) entry: recorded as metadata only.</summary>
    public bool IsSubmodule => NewMode == "160000" || OldMode == "160000";

    public bool IsDeletion => Status == 'D';
}

/// <summary>One commit: who, when (author time, Unix ms), why, and what it changed.</summary>
public sealed record GitCommit(
    string Id,
    IReadOnlyList<string> Parents,
    string AuthorEmail,
    string AuthorName,
    long AuthorTime,
    string Message,
    IReadOnlyList<GitChange> Changes);
