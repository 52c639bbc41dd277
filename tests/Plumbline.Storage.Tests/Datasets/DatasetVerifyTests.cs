using Plumbline.Core.Consent;
using Plumbline.Core.Datasets;
using Plumbline.Storage.Datasets;
using Plumbline.Storage.Withdrawal;
using static Plumbline.Storage.Tests.Datasets.DatasetTestKit;

namespace Plumbline.Storage.Tests.Datasets;

public class DatasetVerifyTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Verify_ConsentNarrowedToFewerUses_FlagsEveryExampleOfThatContributor(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await MixedStoreAsync(env);
        var built = await BuildAsync(env, Options(env, DatasetKind.NextEdit, DataUse.Training, "ne"));
        Assert.True((await VerifyAsync(env, built.Path)).Ok);

        await SetConsentAsync(env, "alice", "research");
        var result = await VerifyAsync(env, built.Path);

        Assert.False(result.Ok);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(new VerifyFinding("next-edit-000001", "train", "consent", "alice: consent does not cover the use 'training'"), finding);
        Assert.Equal(0, result.Passed);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Verify_WithdrawalAndDeletion_AreToldApart_AndPruneKeepsTheRest(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await MixedStoreAsync(env);
        var built = await BuildAsync(env, Options(env, DatasetKind.NextEdit, DataUse.Research, "ne"));
        env.Clock.Advance(TimeSpan.FromMinutes(1));
        await new ContributorWithdrawal(env.Store, env.Clock, env.Options).WithdrawAsync("rita", null, "test", default);
        await using (var session = await env.Store.OpenAsync(write: true, default))
        {
            await session.DeleteDocumentAsync((await session.FindDocumentAsync("a-doc", default))!.Id, default);
            await session.CommitAsync(default);
        }

        var result = await VerifyAsync(env, built.Path, Path.Combine(env.Folder, "pruned"));

        Assert.Equal(
            [
                new VerifyFinding("next-edit-000001", "train", "missing", "source events of 'a-doc' are no longer in the store, and no withdrawal by its contributors explains it"),
                new VerifyFinding("next-edit-000002", "train", "withdrawn", "rita withdrew all their events on 2026-11-01T09:01:00Z"),
                new VerifyFinding("next-edit-000004", "train", "withdrawn", "rita withdrew all their events on 2026-11-01T09:01:00Z"),
            ],
            result.Findings);
        Assert.Equal(1, result.Passed);
        Assert.Equal(1, result.PrunedExamples);
        var pruned = Lines(Path.Combine(env.Folder, "pruned", "provenance.jsonl"));
        Assert.Equal("next-edit-000003", Assert.Single(pruned).GetProperty("id").GetString());
        Assert.Single(File.ReadAllLines(Path.Combine(env.Folder, "pruned", "train.jsonl")));
        Assert.True((await VerifyAsync(env, Path.Combine(env.Folder, "pruned"))).Ok);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Verify_CommentRedactedAfterBuild_IsFlaggedRedacted(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        await env.Edits.IngestAsync(StoreEnvironment.Batch("paper", "alice", "", StoreEnvironment.Txn(1000, (0, 0, "The method works.\n"))), null, default);
        var comment = await env.Comments.AddAsync("paper", 4, 10, "Which method?", "alice", default);
        await env.Edits.IngestAsync(StoreEnvironment.Batch("paper", "alice", "The method works.\n", StoreEnvironment.Txn(2000, (4, 0, "new "))), null, default);
        var built = await BuildAsync(env, Options(env, DatasetKind.Feedback, DataUse.Training, "fb", DatasetFormat.Completion));
        Assert.Equal(1, built.Examples);

        await using (var session = await env.Store.OpenAsync(write: true, default))
        {
            await session.UpdateEventPayloadAsync(comment.Id!.Value, "{\"start\":4,\"end\":10,\"text\":\"Which [TERM]?\"}", default);
            await session.CommitAsync(default);
        }

        var result = await VerifyAsync(env, built.Path);

        Assert.Equal("redacted", Assert.Single(result.Findings).Status);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Verify_FileEditedAfterBuild_IsAFileProblem(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await MixedStoreAsync(env);
        var built = await BuildAsync(env, Options(env, DatasetKind.NextEdit, DataUse.Training, "ne"));
        await File.AppendAllTextAsync(Path.Combine(built.Path, "train.jsonl"), "{}\n");

        var result = await VerifyAsync(env, built.Path);

        Assert.False(result.Ok);
        Assert.Equal(["train.jsonl: SHA-256 differs from the manifest (the file was changed after the build)"], result.FileProblems);
    }
}
