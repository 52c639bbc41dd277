using Plumbline.Core.Consent;
using Plumbline.Core.Datasets;
using Plumbline.Storage.Documents;
using static Plumbline.Storage.Tests.Datasets.DatasetTestKit;
using static Plumbline.Storage.Tests.StoreEnvironment;

namespace Plumbline.Storage.Tests.Datasets;

public class DatasetBuildTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task NextEdit_TwoLinesTyped_GivesTwoExactZetaExamples(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        await env.Edits.IngestAsync(
            Batch("note", "alice", "", Txn(1000, (0, 0, "H")), Txn(1100, (1, 0, "i")), Txn(1200, (2, 0, "\n")), Txn(1300, (3, 0, "Y")), Txn(1400, (4, 0, "o"))),
            null,
            default);
        var firstSeq = await env.ReadAsync(async s =>
        {
            var doc = (await s.FindDocumentAsync("note", default))!;
            return (await DocumentReader.RevisionsAsync(s, doc, 1, 1, default).FirstAsync()).FirstSeq;
        });

        var result = await BuildAsync(env, Options(env, DatasetKind.NextEdit, DataUse.Training, "ne"));

        Assert.Equal(2, result.Examples);
        Assert.Equal(2, result.Counters["edit units"]);
        var lines = Lines(Path.Combine(result.Path, "train.jsonl"));
        Assert.Equal("", lines[0].GetProperty("events").GetString());
        Assert.Equal("```note\n<|start_of_file|>\n<|editable_region_start|>\n<|user_cursor_is_here|>\n<|editable_region_end|>\n```", lines[0].GetProperty("input").GetString());
        Assert.Equal("<|editable_region_start|>\nHi\n\n<|editable_region_end|>", lines[0].GetProperty("output").GetString());
        Assert.Equal("User edited \"note\":\n```diff\n@@ -1 +1,2 @@\n+Hi\n \n```\n\n", lines[1].GetProperty("events").GetString());
        Assert.Equal("```note\n<|start_of_file|>\n<|editable_region_start|>\nHi\n<|user_cursor_is_here|>\n<|editable_region_end|>\n```", lines[1].GetProperty("input").GetString());
        Assert.Equal("<|editable_region_start|>\nHi\nYo\n<|editable_region_end|>", lines[1].GetProperty("output").GetString());
        var provenance = Lines(Path.Combine(result.Path, "provenance.jsonl"));
        Assert.Equal("next-edit-000001", provenance[0].GetProperty("id").GetString());
        Assert.Equal([1, 3], provenance[0].GetProperty("revisions").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([firstSeq, firstSeq + 2], provenance[0].GetProperty("edit_events").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal([1, 5], provenance[1].GetProperty("revisions").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([firstSeq, firstSeq + 4], provenance[1].GetProperty("edit_events").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal("alice", provenance[1].GetProperty("contributors")[0].GetProperty("name").GetString());
        Assert.True((await VerifyAsync(env, result.Path)).Ok);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task NextEdit_MixedConsent_ReleasesOnlyDocumentsEveryContributorConsentedToTheUse(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await MixedStoreAsync(env);

        var training = await BuildAsync(env, Options(env, DatasetKind.NextEdit, DataUse.Training, "training"));
        var research = await BuildAsync(env, Options(env, DatasetKind.NextEdit, DataUse.Research, "research"));

        Assert.Equal(1, training.Examples);
        Assert.Equal(
            new Plumbline.Storage.Datasets.ManifestExclusion[] { new("r-doc", "rita: consent does not cover the use 'training'"), new("shared", "rita: consent does not cover the use 'training'") },
            training.Excluded);
        Assert.Equal("a-doc", Lines(Path.Combine(training.Path, "provenance.jsonl")).Single().GetProperty("document").GetString());
        Assert.Equal(4, research.Examples);
        Assert.Empty(research.Excluded);
        var provenance = Lines(Path.Combine(research.Path, "provenance.jsonl"));
        Assert.Equal(["a-doc", "r-doc", "shared", "shared"], provenance.Select(p => p.GetProperty("document").GetString()));
        Assert.Equal(["alice", "rita", "alice", "rita"], provenance.Select(p => p.GetProperty("author").GetString()));
        Assert.Equal(2, provenance[3].GetProperty("contributors").GetArrayLength());
        var card = await File.ReadAllTextAsync(Path.Combine(training.Path, "README.md"));
        Assert.Contains("- `shared`: rita: consent does not cover the use 'training'", card, StringComparison.Ordinal);
        var manifest = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(training.Path, "manifest.json"))).RootElement;
        Assert.Equal(System.Text.Json.JsonValueKind.Null, manifest.GetProperty("audit_head").ValueKind);
        Assert.Equal(
            ["README.md", "provenance.jsonl", "train.jsonl"],
            manifest.GetProperty("files").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Build_SplitByContributor_NeverPutsOneContributorInTwoSplits(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await MixedStoreAsync(env);

        var result = await BuildAsync(env, Options(env, DatasetKind.NextEdit, DataUse.Research, "split") with { Split = [0.5, 0.5], Seed = 11 });

        var provenance = Lines(Path.Combine(result.Path, "provenance.jsonl"));
        Assert.All(
            provenance.GroupBy(p => p.GetProperty("author").GetString()),
            g => Assert.Single(g.Select(p => p.GetProperty("split").GetString()).Distinct()));
        Assert.Equal(4, result.Splits["train"] + result.Splits["test"]);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Build_IsRecordedAsExportOfItsContributors(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await MixedStoreAsync(env);
        var result = await BuildAsync(env, Options(env, DatasetKind.NextEdit, DataUse.Training, "ne"));

        var (exports, forRita, contributors) = await env.ReadAsync(async s =>
        {
            var alice = (await s.FindContributorAsync("alice", default))!;
            var rita = (await s.FindContributorAsync("rita", default))!;
            return (await s.ExportsAsync(alice.Id, default), await s.ExportsAsync(rita.Id, default), await s.ExportContributorsAsync(result.ExportId, default));
        });

        var export = Assert.Single(exports);
        Assert.Equal(result.ExportId, export.Id);
        Assert.Equal("next-edit", export.Kind);
        Assert.Equal("training", export.Use);
        Assert.Equal(1, export.Examples);
        Assert.Equal(result.Path, export.Path);
        Assert.Equal(await Plumbline.Storage.Datasets.DatasetManifest.Sha256Async(Path.Combine(result.Path, "manifest.json"), default), export.ManifestSha256);
        Assert.Empty(forRita);
        Assert.Equal(1, Assert.Single(contributors).Examples);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Build_OutputFolderNotEmpty_IsBadInputAndWritesNothing(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        var folder = Path.Combine(env.Folder, "taken");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "x"), "");

        var error = await Assert.ThrowsAsync<Core.PlumblineException>(() => BuildAsync(env, Options(env, DatasetKind.NextEdit, DataUse.Training, "taken")));

        Assert.Equal(Core.FailureKind.BadInput, error.Kind);
        Assert.Equal($"--out: {folder} already exists and is not an empty folder; nothing was written", error.Message);
        Assert.Equal(["x"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
        Assert.Empty(await env.ReadAsync(s => s.ExportsAsync(null, default)));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Feedback_CommentAnsweredByEdit_GivesPassageBeforeAndAfter(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        await env.AddConsentingAsync("rita");
        await env.Edits.IngestAsync(Batch("paper", "alice", "", Txn(1000, (0, 0, "Intro.\nThe method works well.\n"))), null, default);
        var comment = await env.Comments.AddAsync("paper", 11, 17, "Which method?", "rita", default);
        await env.Comments.AddAsync("paper", 0, 5, "Nice intro.", "rita", default);
        await env.Edits.IngestAsync(Batch("paper", "alice", "Intro.\nThe method works well.\n", Txn(2000, (11, 0, "gradient "))), null, default);
        await env.Comments.ResolveAsync(comment.Id!.Value, "alice", default);

        var result = await BuildAsync(env, Options(env, DatasetKind.Feedback, DataUse.Training, "fb", DatasetFormat.Completion) with
        {
            FeedbackNearChars = 0,
        });

        Assert.Equal(1, result.Examples);
        Assert.Equal(1, result.Counters["comments with no edit in or near their range (no example)"]);
        var line = Lines(Path.Combine(result.Path, "train.jsonl")).Single();
        Assert.Equal(
            "Document: paper (revision 1)\n```\nIntro.\nThe «method» works well.\n\n```\n\nComment by rita on «method»:\nWhich method?\n\nPassage to revise:\nThe method works well.",
            line.GetProperty("prompt").GetString());
        Assert.Equal("The gradient method works well.", line.GetProperty("completion").GetString());
        var provenance = Lines(Path.Combine(result.Path, "provenance.jsonl")).Single();
        Assert.Equal([2, 2], provenance.GetProperty("revisions").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(comment.Id, provenance.GetProperty("row_events")[0].GetInt64());
        Assert.Equal(2, provenance.GetProperty("row_events").GetArrayLength()); // the comment and its resolution
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Feedback_CommentOnTextLaterDeleted_IsCounted(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        await env.Edits.IngestAsync(Batch("paper", "alice", "", Txn(1000, (0, 0, "Keep. Drop this.\n"))), null, default);
        await env.Comments.AddAsync("paper", 6, 16, "Cut it?", "alice", default);
        await env.Edits.IngestAsync(Batch("paper", "alice", "Keep. Drop this.\n", Txn(2000, (5, 11, ""))), null, default);

        var result = await BuildAsync(env, Options(env, DatasetKind.Feedback, DataUse.Training, "fb", DatasetFormat.Chat));

        Assert.Equal(1, result.Examples);
        Assert.Equal(1, result.Counters["comments on text later deleted"]);
        var messages = Lines(Path.Combine(result.Path, "train.jsonl")).Single().GetProperty("messages");
        Assert.Equal("Keep.\n", messages[2].GetProperty("content").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task NextEdit_EmptyAndDeletionOnlyDocuments_AreCountedNotFatal(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        await env.ReadAsync(async _ => 0);
        await using (var session = await env.Store.OpenAsync(write: true, default))
        {
            await session.CreateDocumentAsync("empty", Core.Capture.SourceKind.Documents, "", 0, default);
            await session.CommitAsync(default);
        }

        await env.Edits.IngestAsync(Batch("shrink", "alice", "abc def", Txn(1000, (6, 1, "")), Txn(1100, (5, 1, "")), Txn(5000, (0, 2, ""))), null, default);

        var result = await BuildAsync(env, Options(env, DatasetKind.NextEdit, DataUse.Training, "ne"));

        Assert.Equal(1, result.Counters["documents with an empty history (no example)"]);
        Assert.Equal(1, result.Counters["documents with only deletions"]);
        Assert.Equal(2, result.Examples);
        var outputs = Lines(Path.Combine(result.Path, "train.jsonl")).Select(l => l.GetProperty("output").GetString());
        Assert.Equal(["<|editable_region_start|>\nabc d\n<|editable_region_end|>", "<|editable_region_start|>\nc d\n<|editable_region_end|>"], outputs);
    }
}
