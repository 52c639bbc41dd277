using System.Collections.Concurrent;
using Plumbline.Core;
using Plumbline.Server.Client;
using Plumbline.Server.Contracts;
using Plumbline.Storage;

namespace Plumbline.Server.Tests;

/// <summary>Edit batches through the API: idempotent, ordered by base revision, in code points, through consent and redaction.</summary>
public sealed class BatchTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Batches_AreIdempotent_Ordered_InCodePoints_AndGoThroughConsentAndRedaction(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend, output);
        if (store is null)
        {
            return;
        }

        await using var server = await ServerHost.StartAsync(store.Store);
        using var alice = server.Client(store.Alice);
        var ct = CancellationToken.None;

        var first = await alice.PostBatchAsync("d", AliceData.Batch("b1", 0, "a😀b"), ct);
        Assert.Equal((1, 1, 1L, false), (first.Revision, first.StoredRevisions, first.Patches, first.AlreadyStored));
        var retry = await alice.PostBatchAsync("d", AliceData.Batch("b1", 0, "a😀b"), ct);
        Assert.True(retry.AlreadyStored);
        Assert.Equal(1, retry.LastRevision);

        var stale = await Assert.ThrowsAsync<PlumblineException>(() => alice.PostBatchAsync("d", AliceData.Batch("b2", 0, "zzz"), ct));
        Assert.Equal(FailureKind.Conflict, stale.Kind);
        Assert.Equal(1, stale.Data[PlumblineException.CurrentRevisionKey]);
        Assert.Equal("base_revision: the batch is based on revision 0, but document 'd' is at revision 1; nothing was stored", stale.Message);

        // Position 2 is after the emoji (one code point, two UTF-16 units).
        await alice.PostBatchAsync("d", AliceData.Batch("b3", 1, "X", position: 2), ct);
        var replay = await alice.ReplayAsync("d", null, null, ct);
        Assert.Equal(("a😀Xb", 4, 2), (replay.Text, replay.Length, replay.Revision));
        Assert.Equal("a😀b", (await alice.ReplayAsync("d", 1, null, ct)).Text);

        await alice.PostBatchAsync("d", AliceData.Batch("b4", 2, " key AKIAQW3ERTY7UIOP2ASD end", position: 4), ct);
        Assert.Equal("a😀Xb key [SECRET] end", (await alice.ReplayAsync("d", null, null, ct)).Text);

        await alice.PauseAsync("alice", ct);
        var paused = await alice.PostBatchAsync("d", AliceData.Batch("b5", 3, "typed while paused"), ct);
        Assert.Equal((0, 1, 1), (paused.StoredRevisions, paused.GapRevisions, paused.WithheldTransactions));
        await alice.ResumeAsync("alice", ct);
        Assert.DoesNotContain("typed while paused", (await alice.ReplayAsync("d", null, null, ct)).Text, StringComparison.Ordinal);

        using var admin = server.Client(store.Admin);
        await admin.AddContributorAsync("carol", ct);
        var carolToken = await admin.CreateTokenAsync(new TokenRequest("contributor", "carol"), ct);
        using var carol = server.Client(carolToken.Secret);
        var refused = await Assert.ThrowsAsync<PlumblineException>(() => carol.PostBatchAsync("c", AliceData.Batch("c1", 0, "x"), ct));
        Assert.Equal(FailureKind.Refused, refused.Kind);
        Assert.StartsWith("consent refused: carol has not given consent to record anything; nothing was stored", refused.Message, StringComparison.Ordinal);
        Assert.Null(await admin.FindDocumentAsync("c", ct));
    }

    /// <summary>
    /// Two server processes' worth of servers (each with its own store connection) share one store; eight
    /// clients append to one document, each based on the revision it last saw, retrying on 409.
    /// Every accepted batch lands exactly once and in a serial order.
    /// </summary>
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ConcurrentWriters_ThroughTwoServersOnOneStore_AreSerialisedPerDocument(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend, output);
        if (store is null)
        {
            return;
        }

        await using var secondStore = TraceStores.Open(store.Name, store.Keys);
        await using var one = await ServerHost.StartAsync(store.Store);
        await using var two = await ServerHost.StartAsync(secondStore);
        using var seed = one.Client(store.Alice);
        await seed.PostBatchAsync("shared", AliceData.Batch("seed", 0, "|"), CancellationToken.None);

        const int Clients = 8;
        const int PerClient = 8;
        var conflicts = 0;
        var acknowledged = new ConcurrentBag<string>();
        await Parallel.ForAsync(0, Clients, new ParallelOptions { MaxDegreeOfParallelism = Clients }, async (c, ct) =>
        {
            using var client = (c % 2 == 0 ? one : two).Client(store.Alice);
            var revision = (await client.GetDocumentAsync("shared", ct)).Revisions;
            for (var i = 0; i < PerClient; i++)
            {
                var marker = $"<{c}.{i}>";
                for (var attempt = 0; ; attempt++)
                {
                    Assert.True(attempt < 500, "a writer never got its turn");
                    try
                    {
                        revision = (await client.PostBatchAsync("shared", AliceData.Batch(marker, revision, marker), ct)).Revision;
                        acknowledged.Add(marker);
                        break;
                    }
                    catch (PlumblineException e) when (e.Kind == FailureKind.Conflict)
                    {
                        Interlocked.Increment(ref conflicts);
                        revision = (int)e.Data[PlumblineException.CurrentRevisionKey]!;
                    }
                }
            }
        });

        var text = (await seed.ReplayAsync("shared", null, null, CancellationToken.None)).Text;
        var document = await seed.GetDocumentAsync("shared", CancellationToken.None);
        output.WriteLine($"{backend}: {Clients * PerClient} batches by {Clients} clients through 2 servers, {conflicts} stale-base conflicts retried");
        Assert.Equal(Clients * PerClient, acknowledged.Count);
        Assert.Equal(1 + (Clients * PerClient), document.Revisions);
        foreach (var marker in acknowledged)
        {
            Assert.Equal(1, CountOf(text, marker));
        }

        Assert.Equal(1 + acknowledged.Sum(m => m.Length), text.Length);
    }

    private static int CountOf(string text, string marker)
    {
        var count = 0;
        for (var i = text.IndexOf(marker, StringComparison.Ordinal); i >= 0; i = text.IndexOf(marker, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
