using System.Security.Cryptography;
using System.Text;
using Plumbline.Core.Capture;
using Plumbline.Core.Capture.Traces;
using Plumbline.Core.Text;
using Plumbline.Storage.Documents;
using static Plumbline.Storage.Tests.StoreEnvironment;

namespace Plumbline.Storage.Tests.Ingest;

public class RedactionTests(ITestOutputHelper output)
{
    private const string Key = "AKIAZ7QH3LMNPQ4RST2X";

    [Theory]
    [InlineData("automerge-paper", "d9f7f205e79e4dd0cfc1b6e27e7999569ff3547dbae3c4976693f88ebbcb75ca", 2)]
    [InlineData("seph-blog1", "fd42bef4fbb237f8cd748d2c1c628c51b489ea9b98992e6eb815d04a090a70ba", 0)]
    [InlineData("rustcode", "2cde7bd1dedbcd198e3f5a66a4135f120571a4349d48d057009f311622a0894c", 0)]
    [InlineData("sveltecomponent", "d8bb93b7cf87b4c3a0394fddc028284a093d90d5794a213d1ccb0794eb4ede8f", 0)]
    public async Task RealTraces_OnlyAutomergePapersTwoEmailAddressesAreRedacted(string name, string sha256, int secrets)
    {
        if (RealData.Find($"editing-traces/{name}.json.gz", output.WriteLine) is not { } path)
        {
            return;
        }

        // Redaction works above the store contract; one backend is enough for the real traces.
        await using var env = (await StoreEnvironment.CreateAsync("sqlite", output))!;
        await env.AddConsentingAsync("alice");
        var trace = EditingTraceReader.Parse(await File.ReadAllBytesAsync(path), name, 0);

        var result = await env.Edits.IngestAsync(
            new EditBatch { Document = name, StartContent = trace.StartContent, Transactions = trace.Transactions, Actor = "alice", BatchId = name, ExpectedEnd = trace.EndContent },
            null,
            default);

        Assert.Equal(secrets, result.Redacted);
        var final = await env.ReplayAsync(name);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(final))));
        if (secrets > 0)
        {
            Assert.Equal(trace.EndContent!.Replace("mk428@cl.cam.ac.uk", "[EMAIL]", StringComparison.Ordinal).Replace("arb33@cl.cam.ac.uk", "[EMAIL]", StringComparison.Ordinal), final);

            // Every revision while the addresses were typed shows the placeholder or nothing, never a fragment.
            var states = await env.ReadAsync(async s =>
            {
                var doc = (await s.FindDocumentAsync(name, default))!;
                var text = new TextBuffer();
                var leaks = new List<int>();
                await foreach (var revision in DocumentReader.RevisionsAsync(s, doc, 1, doc.Revisions, default))
                {
                    foreach (var patch in revision.Patches)
                    {
                        text.Apply(patch);
                    }

                    if (revision.Patches.Any(p => p.Position is > 1400 and < 1500))
                    {
                        var around = text.Substring(1400, Math.Min(100, text.Length - 1400));
                        if (around.Contains("mk42", StringComparison.Ordinal) || around.Contains("arb3", StringComparison.Ordinal) || around.Contains("@cl.", StringComparison.Ordinal))
                        {
                            leaks.Add(revision.Revision);
                        }
                    }
                }

                return leaks;
            });
            Assert.Empty(states);
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task KeyTypedOneCharacterPerBatch_IsRedactedInEveryStoredRevisionAndGoneFromTheFiles(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        var text = "";
        foreach (var c in "notes: aws_access_key_id = " + Key + "\nmore notes")
        {
            // as `plumb watch` sends it: the file's text after each save, and the text it held before
            var batch = new EditBatch
            {
                Document = "notes",
                StartContent = null,
                SourceStartContent = text,
                Transactions = [EditTransaction.ToText(text.Length, text + c)],
                Actor = "alice",
                BatchId = Guid.NewGuid().ToString("N"),
            };
            await env.Edits.IngestAsync(batch, null, default);
            text += c;
        }

        var states = await env.ReadAsync(async s =>
        {
            var doc = (await s.FindDocumentAsync("notes", default))!;
            var all = new List<string>();
            for (var r = 0; r <= doc.Revisions; r++)
            {
                all.Add((await DocumentReader.LoadAsync(s, doc, r, default)).ToString());
            }

            return all;
        });

        Assert.Equal("notes: aws_access_key_id = [SECRET]\nmore notes", states[^1]);
        Assert.Equal(text.Length, states.Count - 1);
        Assert.All(states, s => Assert.DoesNotContain("AKIA", s, StringComparison.Ordinal));
        Assert.All(states, s => Assert.DoesNotContain("Z7QH", s, StringComparison.Ordinal));
        await env.Store.ScrubAsync(default);
        foreach (var file in backend == "sqlite" ? Directory.EnumerateFiles(env.Folder) : [])
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes("Z7QH3LMN")));
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task HistoryRewrite_KeepsEventIdsAndRemapsCommentRanges(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        await env.AddConsentingAsync("rita");
        await env.Edits.IngestAsync(Batch("d", "alice", "", Txn(1, (0, 0, "key " + Key[..10]))), null, default);
        await env.Edits.IngestAsync(Batch("d", "alice", null!, Txn(2, (14, 0, " and the plan"))), null, default);
        var comment = await env.Comments.AddAsync("d", 19, 27, "which plan?", "rita", default);
        var before = await env.ReadAsync(async s => await EventLog.ReadAsync(s, null, default).Select(e => e.Id).ToListAsync());

        var result = (await env.Edits.IngestAsync(
            [Batch("d", "alice", null!, Txn(3, (14, 0, Key[10..])))],
            null,
            null,
            default))[0];

        Assert.True(result.RewroteHistory);
        Assert.Equal("key [SECRET] and the plan", await env.ReplayAsync("d"));
        Assert.Equal("key [SECRET]", await env.ReplayAsync("d", 1));
        var after = await env.ReadAsync(async s => await EventLog.ReadAsync(s, null, default).Select(e => e.Id).ToListAsync());
        Assert.Equal(before, after.Take(before.Count));
        var anchored = await env.ReadAsync(async s =>
        {
            var doc = (await s.FindDocumentAsync("d", default))!;
            return await CommentReader.AtRevisionAsync(s, doc, doc.Revisions, default);
        });
        Assert.Equal("the plan", Assert.Single(anchored).Quote);
        Assert.Equal(comment.Id, anchored[0].Id);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ContributorsOwnTerms_AreRedactedInTheirEditsAndComments(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        await env.AddConsentingAsync("rita");
        var terms = await env.Contributors.AddTermsAsync("alice", ["Project Falcon", "falcon"], default);

        await env.Edits.IngestAsync(Batch("d", "alice", "", Txn(1, (0, 0, "Notes on project falcon: the Falcon run diverged."))), null, default);
        await env.Comments.AddAsync("d", 0, 5, "Falcon is secret", "alice", default);
        await env.Comments.AddAsync("d", 0, 5, "Falcon, says rita", "rita", default);

        Assert.Equal(["Project Falcon", "falcon"], terms);
        Assert.Equal("Notes on [TERM]: the [TERM] run diverged.", await env.ReplayAsync("d"));
        var comments = await env.ReadAsync(async s => await CommentReader.AtRevisionAsync(s, (await s.FindDocumentAsync("d", default))!, 1, default));
        Assert.Equal(["[TERM] is secret", "Falcon, says rita"], comments.Select(c => c.Text)); // rita's own comment: her terms, not alice's
    }
}
