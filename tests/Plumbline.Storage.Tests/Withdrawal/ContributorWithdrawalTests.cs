using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Ingest;
using Plumbline.Storage.Withdrawal;
using static Plumbline.Storage.Tests.StoreEnvironment;

namespace Plumbline.Storage.Tests.Withdrawal;

public class ContributorWithdrawalTests(ITestOutputHelper output)
{
    private static async Task SeedAsync(StoreEnvironment env)
    {
        await env.AddConsentingAsync("alice", "research", "documents,commentary");
        await env.AddConsentingAsync("rita", "research", "documents,commentary");
        await env.Edits.IngestAsync(Batch("alice-only", "alice", "", Txn(1000, (0, 0, "mine\n"))), null, default);
        await env.Edits.IngestAsync(Batch("rita-only", "rita", "", Txn(1000, (0, 0, "hers\n"))), null, default);
        await env.Edits.IngestAsync(Batch("shared", "alice", "", Txn(1000, (0, 0, "one\n"))), null, default);
        await env.Edits.IngestAsync(Batch("shared", "rita", "one\n", Txn(2000, (4, 0, "two😀\n")), Txn(2100, (0, 1, "O"))), null, default);
        await env.Edits.IngestAsync(Batch("shared", "alice", "One\ntwo😀\n", Txn(3000, (9, 0, "three\n"))), null, default);
        await env.Comments.AddAsync("shared", 0, 3, "Capital?", "rita", default);
        await env.Comments.AddAsync("rita-only", 0, 4, "Nice.", "alice", default);
        await new NoteIngest(env.Store, env.Clock).AddAsync("thinking aloud", "rita", null, null, null, default);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Withdraw_All_DeletesSoleDocumentsMasksSharedOnesAndRecordsIt(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await SeedAsync(env);
        var before = await env.DocumentAsync("shared");

        var result = await new ContributorWithdrawal(env.Store, env.Clock, env.Options).WithdrawAsync("rita", null, "steward", default);

        Assert.Equal(["rita-only"], result.DocumentsDeleted);
        Assert.Equal(["shared"], result.DocumentsMasked);
        Assert.Equal(3, result.EditEvents); // "hers\n", "two😀\n", "O"
        Assert.Equal(2, result.RowEvents); // her comment and her note
        Assert.Null(await env.DocumentAsync("rita-only"));
        var after = (await env.DocumentAsync("shared"))!;
        Assert.Equal(before!.Revisions, after.Revisions);
        Assert.Equal(before.Length, after.Length);
        Assert.Equal("░ne\n░░░░░three\n", await env.ReplayAsync("shared")); // every code point she typed, her line break included
        Assert.Equal("one\n", await env.ReplayAsync("shared", 1));
        var revisions = await env.ReadAsync(async s => await DocumentReader.RevisionsAsync(s, after, 1, after.Revisions, default).ToListAsync());
        Assert.Equal([RevisionKind.Edit, RevisionKind.Gap, RevisionKind.Gap, RevisionKind.Edit], revisions.Select(r => r.Kind));
        Assert.Null(revisions[1].ContributorId);
        var events = await env.ReadAsync(s => s.EventsAsync(null, default));
        Assert.DoesNotContain(events, e => e.Kind is EventKind.Note);
        Assert.DoesNotContain(events, e => e.Kind is EventKind.Comment && e.DocumentId == after.Id);
        var withdrawal = Assert.Single(await env.ReadAsync(s => s.WithdrawalsAsync(default)));
        Assert.Equal((null, env.Clock.NowMs, "steward", 5L, 1, 1), (withdrawal.Source, withdrawal.WithdrawnAt, withdrawal.RecordedBy, withdrawal.Events, withdrawal.DocumentsDeleted, withdrawal.DocumentsMasked));
        Assert.Equal("mine\n", await env.ReplayAsync("alice-only"));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Withdraw_OneSource_LeavesTheOtherSources(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await SeedAsync(env);

        var result = await new ContributorWithdrawal(env.Store, env.Clock, env.Options).WithdrawAsync("rita", SourceKind.Commentary, "steward", default);

        Assert.Empty(result.DocumentsDeleted);
        Assert.Empty(result.DocumentsMasked);
        Assert.Equal(1, result.RowEvents);
        Assert.Equal("hers\n", await env.ReplayAsync("rita-only"));
        var events = await env.ReadAsync(s => s.EventsAsync(null, default));
        Assert.DoesNotContain(events, e => e.Kind is EventKind.Note);
        Assert.Equal(2, events.Count(e => e.Kind is EventKind.Comment));
        Assert.Equal(SourceKind.Commentary, Assert.Single(await env.ReadAsync(s => s.WithdrawalsAsync(default))).Source);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Withdraw_ThenMoreEdits_AppendToTheMaskedHistory(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await SeedAsync(env);
        await new ContributorWithdrawal(env.Store, env.Clock, env.Options).WithdrawAsync("rita", null, "steward", default);

        await env.Edits.IngestAsync(Batch("shared", "alice", "░ne\n░░░░░three\n", Txn(4000, (15, 0, "four\n"))), null, default);

        Assert.Equal("░ne\n░░░░░three\nfour\n", await env.ReplayAsync("shared"));
        Assert.Equal("░ne\n░░░░░", await env.ReplayAsync("shared", 3));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Withdraw_UnknownContributor_IsNotFound(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        var error = await Assert.ThrowsAsync<PlumblineException>(() => new ContributorWithdrawal(env.Store, env.Clock).WithdrawAsync("nobody", null, "x", default));

        Assert.Equal(FailureKind.NotFound, error.Kind);
        Assert.Equal("CONTRIBUTOR: there is no contributor named 'nobody' (plumb contributor list)", error.Message);
    }
}
