using System.Text.Json;
using Plumbline.Storage;
using Plumbline.Storage.Documents;

namespace Plumbline.Cli.Tests.Commands;

/// <summary>Separate <c>plumb</c> processes writing one store at once, on each backend.</summary>
public class ConcurrentProcessesTests(ITestOutputHelper output)
{
    private const int Workers = 3;
    private const int Appends = 3;
    private const int OwnTransactions = 4000;

    /// <summary>
    /// Each worker process prepends markers to one shared document, reading the current text with
    /// <c>plumb replay</c> and importing a one-transaction trace that starts from it; an import whose
    /// start is stale by the time it holds the document is refused and the worker tries again. At the same
    /// time each worker imports a long trace into a document of its own.
    /// </summary>
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Import_ProcessesWritingAtOnce_EveryRevisionReplaysExactly(string backend)
    {
        using var plumb = new Plumb();
        await using var database = backend == "postgres" ? await TestDatabase.CreateAsync(output.WriteLine) : null;
        if (backend == "postgres" && database is null)
        {
            return;
        }

        var store = database?.ConnectionString ?? Path.Combine(plumb.Folder, "team.db");
        Plumb.Check(await plumb.RunAsync("contributor", "add", "alice", "--store", store));
        Plumb.Check(await plumb.RunAsync("consent", "set", "alice", "--sources", "documents", "--uses", "research", "--store", store));

        var attempts = await Task.WhenAll(Enumerable.Range(0, Workers).Select(async w =>
        {
            var own = ImportOwnAsync(plumb, store, w);
            var tries = 0;
            for (var i = 0; i < Appends; i++)
            {
                tries += await AppendAsync(plumb, store, w, i);
            }

            await own;
            return tries;
        })).WaitAsync(TimeSpan.FromMinutes(5));
        output.WriteLine($"{backend}: {attempts.Sum()} imports for {Workers * Appends} appends to the shared document");

        // plumb ran in its own folder: a PostgreSQL store's keys are under .plumbline/keys there (a SQLite store's beside the file)
        var keys = database is null ? null : new Plumbline.Storage.Keys.KeyLocation(Assert.Single(Directory.GetDirectories(Path.Combine(plumb.Folder, ".plumbline", "keys"))));
        await using var opened = TraceStores.Open(store, keys);
        await using var session = await opened.OpenAsync(write: false, default);
        var shared = await DocumentReader.RequireAsync(session, "shared", default);
        var revisions = await DocumentReader.RevisionsAsync(session, shared, 1, shared.Revisions, default).ToListAsync();
        Assert.Equal(Workers * Appends, revisions.Count);
        var markers = revisions.Select(r => Assert.Single(r.Patches)).ToList();
        Assert.All(markers, p => Assert.Equal((0, 0), (p.Position, p.Delete)));
        Assert.Equal(
            Enumerable.Range(0, Workers).SelectMany(w => Enumerable.Range(0, Appends).Select(i => Marker(w, i))).Order(StringComparer.Ordinal),
            markers.Select(p => p.Insert).Order(StringComparer.Ordinal));
        var previous = "";
        for (var r = 1; r <= shared.Revisions; r++)
        {
            var text = (await DocumentReader.LoadAsync(session, shared, r, default)).ToString();
            Assert.Equal(markers[r - 1].Insert + previous, text);
            previous = text;
        }

        Assert.Equal(previous, Plumb.Check(await plumb.RunAsync("replay", "shared", "--store", store)).Stdout);
        for (var w = 0; w < Workers; w++)
        {
            var document = await DocumentReader.RequireAsync(session, $"own-{w}", default);
            Assert.Equal(OwnTransactions, document.Revisions);
            Assert.Equal(OwnText(w), (await DocumentReader.LoadAsync(session, document, document.Revisions, default)).ToString());
        }
    }

    /// <summary>Appends one marker, retrying while other processes change the document first; returns the imports it took.</summary>
    private static async Task<int> AppendAsync(Plumb plumb, string store, int worker, int index)
    {
        var marker = Marker(worker, index);
        for (var attempt = 1; attempt <= 50; attempt++)
        {
            var replay = await plumb.RunAsync("replay", "shared", "--store", store);
            var current = replay.ExitCode == 0 ? replay.Stdout : "";
            var file = Path.Combine(plumb.Folder, $"append-{worker}-{index}-{attempt}.json");
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new
            {
                startContent = current,
                endContent = marker + current,
                txns = new[] { new { time = 1_767_225_600_000L + (worker * 100) + index, patches = new[] { new object[] { 0, 0, marker } } } },
            }));
            var run = await plumb.RunAsync("import", "trace", file, "--doc", "shared", "--as", "alice", "--store", store);
            if (run.ExitCode == 0)
            {
                return attempt;
            }

            Assert.True(run.ExitCode == 2 && run.Stderr.Contains("is not the start content of this input", StringComparison.Ordinal), $"plumb exited {run.ExitCode}: {run.Stderr}");
        }

        Assert.Fail($"{marker}: 50 attempts were all overtaken");
        return 0;
    }

    private static async Task ImportOwnAsync(Plumb plumb, string store, int worker)
    {
        var text = OwnText(worker);
        var file = Path.Combine(plumb.Folder, $"own-{worker}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new
        {
            startContent = "",
            endContent = text,
            txns = Enumerable.Range(0, OwnTransactions).Select(t => new { time = 1_767_225_600_000L + t, patches = new[] { new object[] { t, 0, text[t].ToString() } } }),
        }));
        Plumb.Check(await plumb.RunAsync("import", "trace", file, "--doc", $"own-{worker}", "--as", "alice", "--store", store));
    }

    private static string OwnText(int worker) => string.Concat(Enumerable.Range(0, OwnTransactions).Select(t => (char)('a' + ((t * (worker + 3)) % 26))));

    private static string Marker(int worker, int index) => $"<{worker}.{index}>";
}
