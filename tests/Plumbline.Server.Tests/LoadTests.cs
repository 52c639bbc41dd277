using Plumbline.Bench.Server;

namespace Plumbline.Server.Tests;

/// <summary>
/// Load: concurrent clients on loopback against the real server, bounded in count and time. The figures
/// are printed; the assertions are on correctness under load (0 errors, every batch stored in order),
/// not on wall-clock thresholds.
/// </summary>
public sealed class LoadTests(ITestOutputHelper output)
{
    private const int Clients = 8;
    private const int RequestsPerClient = 45;

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ConcurrentClients_OnLoopback_GetNoErrors_AndEveryBatchIsStored(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend, output);
        if (store is null)
        {
            return;
        }

        await using var server = await ServerHost.StartAsync(store.Store);
        await LoadGenerator.RunAsync(server.Address, store.Alice, 2, 3, TimeSpan.FromSeconds(60), CancellationToken.None); // warm-up
        var result = await LoadGenerator.RunAsync(server.Address, store.Alice, Clients, RequestsPerClient, TimeSpan.FromMinutes(3), CancellationToken.None);
        output.WriteLine($"{backend}: {result}");
        Assert.Empty(result.ErrorSamples);
        Assert.Equal(0, result.Errors);
        Assert.Equal(Clients * RequestsPerClient, result.Requests);
        Assert.Equal(Clients * RequestsPerClient / 3 * 2, result.Writes);

        using var alice = server.Client(store.Alice);
        var documents = (await alice.ListDocumentsAsync(CancellationToken.None)).Documents.Where(d => d.Name.StartsWith("load-", StringComparison.Ordinal)).ToList();
        Assert.Equal(Clients + 2, documents.Count);
        Assert.Equal((Clients * RequestsPerClient / 3 * 2 * LoadGenerator.Keystrokes) + (2 * 2 * LoadGenerator.Keystrokes), documents.Sum(d => d.Revisions));
    }
}
