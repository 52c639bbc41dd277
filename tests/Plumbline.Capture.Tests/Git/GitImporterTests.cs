using System.Text.Json;
using Plumbline.Capture.Git;
using Plumbline.Core;
using Plumbline.Core.Consent;
using Plumbline.Storage;
using Plumbline.Storage.Consent;
using Plumbline.Storage.Documents;

namespace Plumbline.Capture.Tests.Git;

public sealed class GitImporterTests : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ManualClock _clock = new();
    private readonly ITraceStore _store;

    public GitImporterTests()
    {
        _store = TraceStores.Open(_directory.File("store.db"));
    }

    private async Task ConsentAsync(string name, string sources = "code")
    {
        var contributors = new ContributorService(_store, _clock);
        await contributors.AddAsync(name, default);
        await contributors.SetConsentAsync(name, new ConsentTerms(ConsentTerms.ParseSources(sources, "s"), ConsentTerms.ParseUses("research", "u"), null), null, "test", default);
    }

    private Task<GitImportResult> ImportAsync(GitFixture repo, params (string Email, string Name)[] authors) =>
        new GitImporter(_store, _clock).ImportAsync(repo.Path, new GitImportOptions { Actor = "ada", Authors = authors.ToDictionary(a => a.Email, a => a.Name) }, null, default);

    private const string Plan = "1. read the reward-model papers\n2. list the failure modes\n3. pick one\n4. test\n";

    private async Task<Core.Text.Patch[]> PatchesAsync(string document, int revision)
    {
        await using var session = await _store.OpenAsync(write: false, default);
        var info = await DocumentReader.RequireAsync(session, document, default);
        return (await DocumentReader.RevisionsAsync(session, info, revision, revision, default).SingleAsync()).Patches;
    }

    private async Task<string> ReplayAsync(string document, string? rev = null)
    {
        await using var session = await _store.OpenAsync(write: false, default);
        var info = await DocumentReader.RequireAsync(session, document, default);
        var revision = rev is null ? info.Revisions
            : rev.All(char.IsAsciiDigit) ? int.Parse(rev, System.Globalization.CultureInfo.InvariantCulture)
            : await GitCommitIndex.RevisionAtCommitAsync(session, info, rev, default);
        return (await DocumentReader.LoadAsync(session, info, revision, default)).ToString();
    }

    [Fact]
    public async Task Import_HistoryWithMergeRenameAndDeletion_ReplaysEveryFileAtEveryCommit()
    {
        using var repo = new GitFixture();
        await ConsentAsync("ada");
        repo.Write("notes.md", "# Notes\n\nReward models can be gamed.\n");
        repo.Write("plan.txt", Plan);
        repo.WriteBytes("figure.png", [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 1]);
        var first = repo.Commit("Start notes\n\nWith a plan.");
        repo.Git("checkout", "-q", "-b", "side");
        repo.Write("notes.md", "# Notes\n\nReward models can be gamed 😀.\n");
        var side = repo.Commit("Side: emoji");
        repo.Git("checkout", "-q", "main");
        Directory.CreateDirectory(Path.Combine(repo.Path, "docs"));
        repo.Git("mv", "plan.txt", "docs/plan.txt");
        repo.Write("docs/plan.txt", Plan + "5. write\n");
        var rename = repo.Commit("Move and extend the plan");
        repo.Git(["-c", "user.email=ada@lab.org", "-c", "user.name=Ada", "merge", "-q", "--no-edit", "side"], ("GIT_AUTHOR_DATE", "2025-05-01T10:00:00Z"), ("GIT_COMMITTER_DATE", "2025-05-01T10:00:00Z"));
        var merge = repo.Git("rev-parse", "HEAD").Trim();
        File.Delete(Path.Combine(repo.Path, "figure.png"));
        var delete = repo.Commit("Drop the figure");

        var result = await ImportAsync(repo, ("ada@lab.org", "ada"));

        Assert.Equal(5, result.Commits);
        Assert.Equal(["lab-notes/docs/plan.txt", "lab-notes/notes.md", "lab-notes/plan.txt"], result.Documents);
        Assert.Equal(2, result.BinaryOrLargeFiles); // the PNG added, then deleted
        Assert.Equal("# Notes\n\nReward models can be gamed.\n", await ReplayAsync("lab-notes/notes.md", first));
        Assert.Equal("# Notes\n\nReward models can be gamed 😀.\n", await ReplayAsync("lab-notes/notes.md", side));
        Assert.Equal("# Notes\n\nReward models can be gamed.\n", await ReplayAsync("lab-notes/notes.md", rename[..8])); // main had not merged yet
        Assert.Equal("# Notes\n\nReward models can be gamed 😀.\n", await ReplayAsync("lab-notes/notes.md", merge));
        Assert.Equal(Plan + "5. write\n", await ReplayAsync("lab-notes/docs/plan.txt", delete));
        Assert.Equal(Plan, await ReplayAsync("lab-notes/plan.txt", first));
        Assert.Equal("", await ReplayAsync("lab-notes/plan.txt", rename));
        Assert.Equal(Plan, await ReplayAsync("lab-notes/docs/plan.txt", "0")); // a renamed file starts from its old text
        Assert.Equal([new Core.Text.Patch(78, 0, "5. write\n")], await PatchesAsync("lab-notes/docs/plan.txt", 1));
    }

    [Fact]
    public async Task Import_CommitEvents_CarryAuthorMessageParentsAndFiles()
    {
        using var repo = new GitFixture();
        await ConsentAsync("ada");
        repo.Write("a.txt", "one\n");
        var first = repo.Commit("First\n\nBody line.");
        repo.Write("a.txt", "one\ntwo\n");
        var second = repo.Commit("Second");

        await ImportAsync(repo, ("ada@lab.org", "ada"));

        await using var session = await _store.OpenAsync(write: false, default);
        var commits = await GitCommitIndex.CommitsAsync(session, "lab-notes", default);
        Assert.Equal("First\n\nBody line.", commits[first].Message);
        Assert.Equal("ada", commits[first].Author);
        Assert.Empty(commits[first].Parents);
        Assert.Equal([first], commits[second].Parents);
        var file = Assert.Single(commits[second].Files);
        Assert.Equal(new GitCommitFile("a.txt", "M", null, "lab-notes/a.txt", 2, false), file);
        var events = await EventLog.ReadAsync(session, null, default).ToListAsync();
        var commitEvent = events.First(e => e.Kind == Core.Capture.EventKind.Commit);
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 9, 1, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), commitEvent.Time);
        Assert.Equal(Core.Capture.SourceKind.Code, commitEvent.Source);
    }

    [Fact]
    public async Task Import_UnmappedAuthor_IsAGapWithMessageWithheld()
    {
        using var repo = new GitFixture();
        await ConsentAsync("ada");
        repo.Write("a.txt", "public\n");
        repo.Commit("Ada's commit");
        repo.Write("a.txt", "public\nsecret plan of Bob\n");
        var bobs = repo.Commit("Bob's commit", "bob@elsewhere.org", "Bob");
        repo.Write("a.txt", "public\nsecret plan of Bob\nmore\n");
        repo.Commit("Ada again");

        var result = await ImportAsync(repo, ("ada@lab.org", "ada"));

        Assert.Equal(1, result.WithheldCommits);
        Assert.Equal("public\n" + new string('░', 19) + "more\n", await ReplayAsync("lab-notes/a.txt")); // Bob's line and its newline
        repo.Write("a.txt", "public\nsecret plan of Bob\nmore\nand more\n");
        repo.Commit("Ada, later");
        await ImportAsync(repo, ("ada@lab.org", "ada"));
        Assert.Equal("public\n" + new string('░', 19) + "more\nand more\n", await ReplayAsync("lab-notes/a.txt")); // an incremental import does not bring Bob's line back
        await using var session = await _store.OpenAsync(write: false, default);
        var commit = (await GitCommitIndex.CommitsAsync(session, "lab-notes", default))[bobs];
        Assert.True(commit.Withheld);
        Assert.Null(commit.Message);
        Assert.Null(commit.Author);
    }

    [Fact]
    public async Task Import_Again_IsANoOp_AndLaterCommitsAreAdded()
    {
        using var repo = new GitFixture();
        await ConsentAsync("ada");
        repo.Write("a.txt", "v1\n");
        repo.Commit("one");

        var first = await ImportAsync(repo, ("ada@lab.org", "ada"));
        var again = await ImportAsync(repo, ("ada@lab.org", "ada"));
        repo.Write("a.txt", "v2\n");
        repo.Commit("two");
        var later = await ImportAsync(repo, ("ada@lab.org", "ada"));

        Assert.Equal((1, 0), (first.Commits, first.AlreadyImported));
        Assert.Equal((0, 1), (again.Commits, again.AlreadyImported));
        Assert.Equal((1, 1), (later.Commits, later.AlreadyImported));
        Assert.Equal("v2\n", await ReplayAsync("lab-notes/a.txt"));
    }

    [Fact]
    public async Task Import_NotARepository_IsBadInput()
    {
        var folder = _directory.File("plain");
        Directory.CreateDirectory(folder);

        var error = await Assert.ThrowsAsync<PlumblineException>(() =>
            new GitImporter(_store, _clock).ImportAsync(folder, new GitImportOptions { Actor = "ada" }, null, default));

        Assert.Equal(FailureKind.BadInput, error.Kind);
        Assert.StartsWith($"REPO: {folder}: not a git repository", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ByActorWithoutCodeConsent_IsRefused()
    {
        using var repo = new GitFixture();
        await ConsentAsync("ada", sources: "documents");
        repo.Write("a.txt", "x\n");
        repo.Commit("one");

        var error = await Assert.ThrowsAsync<PlumblineException>(() => ImportAsync(repo, ("ada@lab.org", "ada")));

        Assert.Equal(FailureKind.Refused, error.Kind);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _directory.Dispose();
    }
}
