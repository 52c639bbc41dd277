using Plumbline.Core;
using Plumbline.Storage.Documents;
using static Plumbline.Storage.Tests.StoreEnvironment;

namespace Plumbline.Storage.Tests.Documents;

public class CommentTests(ITestOutputHelper output)
{
    private async Task<StoreEnvironment?> WithDocumentAsync(string backend)
    {
        var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return null;
        }

        await env.AddConsentingAsync("alice");
        await env.AddConsentingAsync("rita");
        await env.Edits.IngestAsync(Batch("paper", "alice", "", Txn(1, (0, 0, "The method works well."))), null, default);
        return env;
    }

    private static async Task<IReadOnlyList<CommentView>> CommentsAsync(StoreEnvironment env, int? revision = null) =>
        await env.ReadAsync(async s =>
        {
            var doc = (await s.FindDocumentAsync("paper", default))!;
            return await CommentReader.AtRevisionAsync(s, doc, revision ?? doc.Revisions, default);
        });

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Comment_StaysAnchoredThroughEditsBeforeInsideAndAfter(string backend)
    {
        await using var env = await WithDocumentAsync(backend);
        if (env is null)
        {
            return;
        }

        var added = await env.Comments.AddAsync("paper", 4, 10, "Which method?", "rita", default);
        await env.Edits.IngestAsync(Batch("paper", "alice", "The method works well.", Txn(2, (0, 0, "Overall, ")), Txn(3, (13, 0, "new ")), Txn(4, (20, 0, "od")), Txn(5, (36, 1, "!"))), null, default);

        var comment = Assert.Single(await CommentsAsync(env));

        Assert.Equal("Overall, The new metodhod works well!", await env.ReplayAsync("paper"));
        Assert.Equal(added.Id, comment.Id);
        Assert.Equal(1, comment.CreatedAtRevision);
        Assert.Equal(new Core.Capture.CommentAnchor(4, 10), comment.CreatedRange);
        Assert.Equal(new Core.Capture.CommentAnchor(17, 25), comment.Range); // "new " typed at the start stays outside; "od" inside grows it
        Assert.Equal("metodhod", comment.Quote);
        Assert.False(comment.Orphaned);
        Assert.Empty(await CommentsAsync(env, 0));
        Assert.Equal("method", Assert.Single(await CommentsAsync(env, 1)).Quote);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Comment_WhoseTextIsDeleted_IsOrphaned(string backend)
    {
        await using var env = await WithDocumentAsync(backend);
        if (env is null)
        {
            return;
        }

        await env.Comments.AddAsync("paper", 4, 10, "Which method?", "rita", default);
        await env.Edits.IngestAsync(Batch("paper", "alice", "The method works well.", Txn(2, (3, 7, ""))), null, default);

        var comment = Assert.Single(await CommentsAsync(env));

        Assert.True(comment.Orphaned);
        Assert.Equal(new Core.Capture.CommentAnchor(3, 3), comment.Range);
        Assert.Equal("", comment.Quote);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Resolve_MarksResolvedOnce(string backend)
    {
        await using var env = await WithDocumentAsync(backend);
        if (env is null)
        {
            return;
        }

        var added = await env.Comments.AddAsync("paper", 0, 3, "Capitalise?", "rita", default);

        await env.Comments.ResolveAsync(added.Id!.Value, "alice", default);
        var again = await Assert.ThrowsAsync<PlumblineException>(() => env.Comments.ResolveAsync(added.Id!.Value, "alice", default));
        var missing = await Assert.ThrowsAsync<PlumblineException>(() => env.Comments.ResolveAsync(999, "alice", default));

        Assert.True(Assert.Single(await CommentsAsync(env)).Resolved);
        Assert.Equal($"ID: comment {added.Id} is already resolved", again.Message);
        Assert.Equal("ID: there is no comment 999", missing.Message);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Add_TextWithAnEmailAddress_IsStoredRedacted(string backend)
    {
        await using var env = await WithDocumentAsync(backend);
        if (env is null)
        {
            return;
        }

        await env.Comments.AddAsync("paper", 0, 3, "ask ada@lab.org about it", "rita", default);

        Assert.Equal("ask [EMAIL] about it", Assert.Single(await CommentsAsync(env)).Text);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Add_RangeOutsideDocument_IsBadInput(string backend)
    {
        await using var env = await WithDocumentAsync(backend);
        if (env is null)
        {
            return;
        }


        var error = await Assert.ThrowsAsync<PlumblineException>(() => env.Comments.AddAsync("paper", 5, 40, "x", "rita", default));

        Assert.Equal(FailureKind.BadInput, error.Kind);
        Assert.Equal("--range: 5:40 is not a range within document 'paper' (length 22 code points at revision 1; START:END with 0 <= START <= END <= 22)", error.Message);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Add_ByPausedContributor_IsDroppedNotStored(string backend)
    {
        await using var env = await WithDocumentAsync(backend);
        if (env is null)
        {
            return;
        }

        await env.Contributors.PauseAsync("rita", default);

        var result = await env.Comments.AddAsync("paper", 0, 3, "Hmm", "rita", default);

        Assert.False(result.Stored);
        Assert.Equal("recording is paused for rita", result.DroppedBecause);
        Assert.Empty(await CommentsAsync(env));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Add_ByContributorWithoutConsent_IsRefused(string backend)
    {
        await using var env = await WithDocumentAsync(backend);
        if (env is null)
        {
            return;
        }

        await env.Contributors.AddAsync("stranger", default);

        var error = await Assert.ThrowsAsync<PlumblineException>(() => env.Comments.AddAsync("paper", 0, 3, "Hmm", "stranger", default));

        Assert.Equal(FailureKind.Refused, error.Kind);
        Assert.Empty(await CommentsAsync(env));
    }
}
