using System.Text.Json;
using Plumbline.Core;
using Plumbline.Core.Capture;

namespace Plumbline.Storage.Documents;

/// <summary>
/// One file of a commit event: where it went (document and revision), or that it was binary. For a
/// rename, <see cref="OldDocument"/> and <see cref="OldRevision"/> name the revision that emptied the old path.
/// </summary>
public sealed record GitCommitFile(string Path, string Status, string? OldPath, string? Document, int? Revision, bool Binary)
{
    public string? OldDocument { get; init; }

    public int? OldRevision { get; init; }
}

/// <summary>The payload of a <c>commit</c> event. Author and message are null when the commit was withheld.</summary>
public sealed record GitCommitPayload(
    string Repo,
    string Commit,
    IReadOnlyList<string> Parents,
    string? Author,
    string? Message,
    bool Withheld,
    IReadOnlyList<GitCommitFile> Files);

/// <summary>Commit events of imported repositories: which commits are known, and a file's revision at a commit.</summary>
public static class GitCommitIndex
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>A commit event's payload, or null when it is not one.</summary>
    public static GitCommitPayload? Parse(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<GitCommitPayload>(payload, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static async Task<HashSet<string>> KnownCommitsAsync(ITraceStore store, string repository, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        return (await CommitsAsync(session, repository, cancellationToken)).Keys.ToHashSet(StringComparer.Ordinal);
    }

    public static async Task<Dictionary<string, GitCommitPayload>> CommitsAsync(IStoreSession session, string repository, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var commits = new Dictionary<string, GitCommitPayload>(StringComparer.Ordinal);
        foreach (var e in await session.EventsOfKindAsync(EventKind.Commit, cancellationToken))
        {
            if (JsonSerializer.Deserialize<GitCommitPayload>(e.Payload, Json) is { } payload && payload.Repo == repository)
            {
                commits[payload.Commit] = payload;
            }
        }

        return commits;
    }

    private static PlumblineException Unknown(DocumentInfo document, string commitId)
    {
        var slash = document.Name.IndexOf('/', StringComparison.Ordinal);
        return PlumblineException.BadInput(slash <= 0
            ? $"--rev: '{commitId}' is not a revision number, and '{document.Name}' is not a document imported from git"
            : $"--rev: '{commitId}' is neither a revision number nor an imported commit of {document.Name[..slash]}");
    }

    /// <summary>
    /// The revision of <paramref name="document"/> (<c>REPO/PATH</c>) holding the file as it was at
    /// <paramref name="commitId"/> (a full id or a unique prefix of at least 4 characters): the file's
    /// revision in the nearest commit along the first-parent chain that changed it (each commit was
    /// imported as its diff against its first parent, so that chain is exact), or 0 when none did.
    /// </summary>
    public static async Task<int> RevisionAtCommitAsync(IStoreSession session, DocumentInfo document, string commitId, CancellationToken cancellationToken) =>
        await FindRevisionAtCommitAsync(session, document, commitId, cancellationToken) ?? throw Unknown(document, commitId);

    /// <summary>
    /// Like <see cref="RevisionAtCommitAsync"/>, but null when <paramref name="commitId"/> is not an imported commit
    /// (so that a number can be read as a revision instead); an ambiguous prefix is still an error.
    /// </summary>
    public static async Task<int?> FindRevisionAtCommitAsync(IStoreSession session, DocumentInfo document, string commitId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var slash = document.Name.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || commitId.Length < 4)
        {
            return null;
        }

        var commits = await CommitsAsync(session, document.Name[..slash], cancellationToken);
        var matches = commits.Keys.Where(k => k.StartsWith(commitId, StringComparison.OrdinalIgnoreCase)).ToList();
        if (matches.Count > 1)
        {
            throw PlumblineException.BadInput($"--rev: commit id '{commitId}' is ambiguous ({matches.Count} commits start with it)");
        }

        if (matches.Count == 0)
        {
            return null;
        }

        for (var id = matches[0]; commits.TryGetValue(id, out var commit);)
        {
            foreach (var file in commit.Files)
            {
                if (file.Document == document.Name && file.Revision is { } revision)
                {
                    return revision;
                }

                if (file.OldDocument == document.Name && file.OldRevision is { } emptied)
                {
                    return emptied;
                }
            }

            if (commit.Parents.Count == 0)
            {
                break;
            }

            id = commit.Parents[0];
        }

        return 0;
    }
}
