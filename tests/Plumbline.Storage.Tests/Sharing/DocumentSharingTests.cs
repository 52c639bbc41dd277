using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Storage.Sharing;
using Plumbline.Storage.Withdrawal;
using static Plumbline.Storage.Tests.StoreEnvironment;

namespace Plumbline.Storage.Tests.Sharing;

public class DocumentSharingTests(ITestOutputHelper output)
{
    private static readonly ShareActor Alice = new("alice", null, IsAdmin: false);

    /// <summary>alice writes "paper"; rita and carol consent; returns the store, alice's and rita's ids.</summary>
    private async Task<(StoreEnvironment Env, ShareActor Alice, long Rita, DocumentInfo Paper)?> WithPaperAsync(string backend)
    {
        var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return null;
        }

        var alice = await env.AddConsentingAsync("alice");
        var rita = await env.AddConsentingAsync("rita");
        await env.AddConsentingAsync("carol");
        await env.Edits.IngestAsync(Batch("paper", "alice", "", Txn(1, (0, 0, "The method works well."))), null, default);
        return (env, Alice with { ContributorId = alice.Id }, rita.Id, (await env.DocumentAsync("paper"))!);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Grant_Regrant_Revoke_Grant_KeepsOneRowWithTheLatestState(string backend)
    {
        var setup = await WithPaperAsync(backend);
        if (setup is null)
        {
            return;
        }

        var (env, alice, rita, paper) = setup.Value;

        await using var _ = env;
        var sharing = new DocumentSharing(env.Store, env.Clock);
        var granted = await sharing.GrantAsync(paper, "rita", ShareRole.Reviewer, alice, default);
        Assert.Equal(new ShareView("rita", ShareRole.Reviewer, "alice", "alice", env.Clock.GetUtcNow().ToUnixTimeMilliseconds(), null, null, []), granted with { WithheldBy = [] });
        Assert.Empty(granted.WithheldBy);
        Assert.True((await env.ReadAsync(s => DocumentSharing.AccessAsync(s, paper.Id, rita, default)))!.Readable);

        env.Clock.Advance(TimeSpan.FromMinutes(1));
        var editor = await sharing.GrantAsync(paper, "rita", ShareRole.Editor, alice, default);
        Assert.Equal(ShareRole.Editor, editor.Role);

        env.Clock.Advance(TimeSpan.FromMinutes(1));
        var revoked = await sharing.RevokeAsync(paper, "rita", alice, default);
        Assert.Equal("alice", revoked.RevokedBy);
        Assert.Equal(env.Clock.GetUtcNow().ToUnixTimeMilliseconds(), revoked.RevokedAt);
        var access = await env.ReadAsync(s => DocumentSharing.AccessAsync(s, paper.Id, rita, default));
        Assert.False(access!.Readable);
        Assert.False(access.Share.IsActive);
        var again = await Assert.ThrowsAsync<PlumblineException>(() => sharing.RevokeAsync(paper, "rita", alice, default));
        Assert.Equal((FailureKind.NotFound, "contributor: 'rita' holds no share of document 'paper'"), (again.Kind, again.Message));

        await sharing.GrantAsync(paper, "rita", ShareRole.Reviewer, ShareActor.Admin("root"), default);
        var list = await sharing.ListAsync(paper, alice, default);
        Assert.Equal("alice", list.Owner);
        var only = Assert.Single(list.Shares);
        Assert.Equal(("rita", ShareRole.Reviewer, "root", (long?)null), (only.Grantee, only.Role, only.GrantedBy, only.RevokedAt));
        Assert.Single(await env.ReadAsync(s => s.SharesOfDocumentAsync(paper.Id, default)));
        var mine = Assert.Single(await env.ReadAsync(s => s.SharesOfGranteeAsync(rita, default)));
        Assert.Equal(("paper", "alice"), (mine.DocumentName, mine.OwnerName));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task OnlyTheOwnerOrAnAdminShares_AndNeverWithTheOwner(string backend)
    {
        var setup = await WithPaperAsync(backend);
        if (setup is null)
        {
            return;
        }

        var (env, alice, rita, paper) = setup.Value;

        await using var _ = env;
        var sharing = new DocumentSharing(env.Store, env.Clock);
        await sharing.GrantAsync(paper, "rita", ShareRole.Editor, alice, default);
        var cases = new (Func<Task> Act, FailureKind Kind, string Message)[]
        {
            (() => sharing.GrantAsync(paper, "carol", ShareRole.Reviewer, new ShareActor("rita", rita, false), default), FailureKind.Refused,
                "document 'paper': only its owner (the contributor who created it) or an admin shares it"),
            (() => sharing.ListAsync(paper, new ShareActor("rita", rita, false), default), FailureKind.Refused,
                "document 'paper': only its owner (the contributor who created it) or an admin shares it"),
            (() => sharing.GrantAsync(paper, "alice", ShareRole.Reviewer, alice, default), FailureKind.BadInput,
                "contributor: 'alice' owns document 'paper'; an owner needs no share"),
            (() => sharing.GrantAsync(paper, "nobody", ShareRole.Reviewer, alice, default), FailureKind.NotFound,
                "contributor: there is no contributor named 'nobody'"),
        };
        foreach (var (act, kind, message) in cases)
        {
            var e = await Assert.ThrowsAsync<PlumblineException>(act);
            Assert.Equal((kind, message), (e.Kind, e.Message));
        }

        Assert.Single(await env.ReadAsync(s => s.SharesOfDocumentAsync(paper.Id, default)));
        Assert.Equal(alice.ContributorId, await env.ReadAsync(s => s.DocumentCreatorAsync(paper.Id, default)));
    }

    /// <summary>Text (here a comment) of a contributor outside the collaboration closes the document to every grantee, until they join it.</summary>
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task AnotherContributorsText_ClosesTheShare_UntilTheyAreAGranteeToo(string backend)
    {
        var setup = await WithPaperAsync(backend);
        if (setup is null)
        {
            return;
        }

        var (env, alice, rita, paper) = setup.Value;

        await using var _ = env;
        var sharing = new DocumentSharing(env.Store, env.Clock);
        await sharing.GrantAsync(paper, "rita", ShareRole.Reviewer, alice, default);
        await env.Comments.AddAsync("paper", 4, 10, "carol's aside", "carol", default);

        var access = await env.ReadAsync(s => DocumentSharing.AccessAsync(s, paper.Id, rita, default));
        Assert.False(access!.Readable);
        Assert.Equal(["carol"], Assert.Single((await sharing.ListAsync(paper, alice, default)).Shares).WithheldBy);

        await sharing.GrantAsync(paper, "carol", ShareRole.Reviewer, alice, default);
        Assert.True((await env.ReadAsync(s => DocumentSharing.AccessAsync(s, paper.Id, rita, default)))!.Readable);

        // A grantee who commented and was then revoked closes it again for the others (their text stays in it).
        await sharing.RevokeAsync(paper, "carol", alice, default);
        Assert.False((await env.ReadAsync(s => DocumentSharing.AccessAsync(s, paper.Id, rita, default)))!.Readable);
        Assert.Null(await env.ReadAsync(s => DocumentSharing.AccessAsync(s, paper.Id, 999_999, default)));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Withdrawal_DeletesTheSharesTheContributorHoldsAndOwns_AndADeletedDocumentsShares(string backend)
    {
        var setup = await WithPaperAsync(backend);
        if (setup is null)
        {
            return;
        }

        var (env, alice, rita, paper) = setup.Value;

        await using var _ = env;
        var sharing = new DocumentSharing(env.Store, env.Clock);
        await env.Edits.IngestAsync(Batch("memo", "alice", "", Txn(2, (0, 0, "memo text"))), null, default);
        var memo = (await env.DocumentAsync("memo"))!;
        await sharing.GrantAsync(paper, "rita", ShareRole.Reviewer, alice, default);
        await sharing.GrantAsync(paper, "carol", ShareRole.Reviewer, alice, default);
        await sharing.GrantAsync(memo, "carol", ShareRole.Editor, alice, default);

        var withdrawal = new ContributorWithdrawal(env.Store, env.Clock);
        await withdrawal.WithdrawAsync("rita", null, "test", default);
        Assert.Equal(["carol"], (await sharing.ListAsync(paper, alice, default)).Shares.Select(s => s.Grantee));
        Assert.Empty(await env.ReadAsync(s => s.SharesOfGranteeAsync(rita, default)));

        // alice withdraws her documents: both were hers alone, so both are deleted, and every share with them.
        var result = await withdrawal.WithdrawAsync("alice", SourceKind.Documents, "test", default);
        Assert.Equal(["memo", "paper"], result.DocumentsDeleted.Order(StringComparer.Ordinal));
        Assert.Equal(0L, await env.ScalarAsync("SELECT COUNT(*) FROM document_shares"));
    }
}
