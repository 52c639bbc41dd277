using System.Text;
using Plumbline.Capture.Watch;
using Plumbline.Core;
using Plumbline.Core.Consent;
using Plumbline.Core.Text;
using Plumbline.Storage;
using Plumbline.Storage.Consent;
using Plumbline.Storage.Documents;

namespace Plumbline.Capture.Tests.Watch;

public sealed class FolderRecorderTests : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ITraceStore _store;
    private readonly string _folder;

    public FolderRecorderTests()
    {
        _store = TraceStores.Open(_directory.File("store.db"));
        _folder = _directory.File("notes");
        Directory.CreateDirectory(_folder);
    }

    private async Task ConsentAsync(string sources = "documents")
    {
        var contributors = new ContributorService(_store, TimeProvider.System);
        await contributors.AddAsync("ada", default);
        await contributors.SetConsentAsync("ada", new ConsentTerms(ConsentTerms.ParseSources(sources, "s"), ConsentTerms.ParseUses("research", "u"), null), null, "test", default);
    }

    private void Write(string path, string text)
    {
        var full = Path.Combine(_folder, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    /// <summary>A recorder running in the background, and a way to wait until it has stored a given document change.</summary>
    private sealed class Running(FolderRecorder recorder, Task run, CancellationTokenSource stop) : IAsyncDisposable
    {
        private readonly List<RecorderFlush> _flushes = [];

        public FolderRecorder Recorder => recorder;

        public void Track() => recorder.Flushed += f =>
        {
            lock (_flushes)
            {
                _flushes.Add(f);
            }
        };

        public async Task WaitForAsync(Func<IReadOnlyList<RecorderFlush>, bool> condition)
        {
            for (var i = 0; i < 400; i++)
            {
                lock (_flushes)
                {
                    if (condition(_flushes))
                    {
                        return;
                    }
                }

                await Task.Delay(25);
            }

            throw new TimeoutException("the recorder did not store the change within 10 s");
        }

        public int Count(string document)
        {
            lock (_flushes)
            {
                return _flushes.Count(f => f.Documents.Contains(document));
            }
        }

        public async Task StopAsync()
        {
            await stop.CancelAsync();
            await run;
        }

        public async ValueTask DisposeAsync()
        {
            if (!run.IsCompleted)
            {
                await StopAsync();
            }

            await recorder.DisposeAsync();
            stop.Dispose();
        }
    }

    private async Task<Running> StartAsync(params string[] exclude)
    {
        var recorder = new FolderRecorder(_store, TimeProvider.System, _folder, new FolderRecorderOptions { Actor = "ada", Exclude = exclude, Quiet = TimeSpan.FromMilliseconds(50) });
        var stop = new CancellationTokenSource();
        await recorder.StartAsync(default);
        var running = new Running(recorder, recorder.RunAsync(stop.Token), stop);
        running.Track();
        return running;
    }

    private async Task<IReadOnlyList<StoredRevision>> RevisionsAsync(string document)
    {
        await using var session = await _store.OpenAsync(write: false, default);
        var info = await DocumentReader.RequireAsync(session, document, default);
        return await DocumentReader.RevisionsAsync(session, info, 1, info.Revisions, default).ToListAsync();
    }

    private async Task<string> ReplayAsync(string document, int? revision = null)
    {
        await using var session = await _store.OpenAsync(write: false, default);
        var info = await DocumentReader.RequireAsync(session, document, default);
        return (await DocumentReader.LoadAsync(session, info, revision ?? info.Revisions, default)).ToString();
    }

    [Fact]
    public async Task Save_ChangingTwoWordsAKilobyteApart_GivesExactlyTwoReplacements()
    {
        await ConsentAsync();
        var words = string.Join(' ', Enumerable.Range(0, 240).Select(i => $"w{i:D3}"));
        Write("paper.md", words);
        await using var running = await StartAsync();

        Write("paper.md", words.Replace("w003", "THREE", StringComparison.Ordinal).Replace("w230", "LATER", StringComparison.Ordinal));
        await running.WaitForAsync(f => f.Any(x => x.Documents.Contains("notes/paper.md")));

        var revision = Assert.Single(await RevisionsAsync("notes/paper.md"));
        Assert.Equal([new Patch(15, 4, "THREE"), new Patch(1151, 4, "LATER")], revision.Patches);
        Assert.Equal(words, await ReplayAsync("notes/paper.md", 0));
    }

    [Fact]
    public async Task Editors_TempFileRenamedOverTheOriginal_IsOneMinimalEdit()
    {
        await ConsentAsync();
        Write("draft.txt", "Reward hacking 😀 is common.\n");
        await using var running = await StartAsync();

        Write(".draft.txt.swp", "vim swap");
        Write("draft.txt.tmp", "Reward hacking 😀 is very common.\n");
        File.Move(Path.Combine(_folder, "draft.txt.tmp"), Path.Combine(_folder, "draft.txt"), overwrite: true);
        await running.WaitForAsync(f => f.Any(x => x.Documents.Contains("notes/draft.txt")));

        Assert.Equal([new Patch(20, 0, "very ")], Assert.Single(await RevisionsAsync("notes/draft.txt")).Patches);
        await using var session = await _store.OpenAsync(write: false, default);
        Assert.Equal(["notes/draft.txt"], (await session.ListDocumentsAsync(default)).Select(d => d.Name));
    }

    [Fact]
    public async Task CreateRenameDelete_AreRecorded()
    {
        await ConsentAsync();
        await using var running = await StartAsync();

        Write("a.txt", "first line\n");
        await running.WaitForAsync(_ => running.Count("notes/a.txt") == 1);
        File.Move(Path.Combine(_folder, "a.txt"), Path.Combine(_folder, "b.txt"));
        await running.WaitForAsync(_ => running.Count("notes/b.txt") == 1);
        File.Delete(Path.Combine(_folder, "b.txt"));
        await running.WaitForAsync(_ => running.Count("notes/b.txt") == 2);

        Assert.Equal("", await ReplayAsync("notes/a.txt", 0));
        Assert.Equal("first line\n", await ReplayAsync("notes/a.txt", 1));
        Assert.Equal("", await ReplayAsync("notes/a.txt"));
        Assert.Equal("first line\n", await ReplayAsync("notes/b.txt", 0)); // a renamed file starts from its old text
        Assert.Equal("", await ReplayAsync("notes/b.txt"));
    }

    [Fact]
    public async Task Exclusions_DefaultsAndUserPatterns_AreNeverRecorded()
    {
        await ConsentAsync();
        Write(".env", "API_KEY=abc");
        Write("certs/server.pem", "-----BEGIN PRIVATE KEY-----");
        Write(".git/config", "[core]");
        Write("private/diary.txt", "dear diary");
        File.WriteAllBytes(Path.Combine(_folder, "figure.png"), [0x89, 0x50, 0x4E, 0x47, 0, 1]);
        Write("big.txt", new string('x', 2 * 1024 * 1024));
        Write("kept.md", "kept");

        await using var running = await StartAsync("private/");

        await using var session = await _store.OpenAsync(write: false, default);
        Assert.Equal(["notes/kept.md"], (await session.ListDocumentsAsync(default)).Select(d => d.Name));
    }

    [Fact]
    public async Task Stop_StoresWhatWasSeenBeforeReturning()
    {
        await ConsentAsync();
        Write("a.txt", "v1");
        await using var running = await StartAsync();

        Write("a.txt", "v2");
        await Task.Delay(20); // seen by the watcher, not yet quiet long enough to be stored
        await running.StopAsync();

        Assert.Equal("v2", await ReplayAsync("notes/a.txt"));
    }

    [Fact]
    public async Task Start_WithoutConsent_IsRefusedAndStoresNothing()
    {
        await ConsentAsync("code");
        Write("a.txt", "v1");
        await using var recorder = new FolderRecorder(_store, TimeProvider.System, _folder, new FolderRecorderOptions { Actor = "ada" });

        var error = await Assert.ThrowsAsync<PlumblineException>(() => recorder.StartAsync(default));

        Assert.Equal(FailureKind.Refused, error.Kind);
    }

    [Fact]
    public async Task SecondSession_RecordsOnlyWhatChangedWhileNotWatching()
    {
        await ConsentAsync();
        Write("a.txt", "one\n");
        await using (var first = await StartAsync())
        {
            await first.StopAsync();
        }

        Write("a.txt", "one\ntwo\n");
        await using var second = await StartAsync();

        Assert.Equal([new Patch(4, 0, "two\n")], Assert.Single(await RevisionsAsync("notes/a.txt")).Patches);
        Assert.Equal(Encoding.UTF8.GetByteCount("one\ntwo\n"), (await ReplayAsync("notes/a.txt")).Length);
    }

    [Fact]
    public async Task KeyTypedOneCharacterPerSave_NoRevisionShowsItAndTheFilesDoNotHoldIt()
    {
        await ConsentAsync();
        const string key = "ghp_R8mZ3kLq9VwX2nTb7YcH4jPs6dFa1gUe0oKi";
        var text = "token: ";
        Write("env.md", text);
        await using var running = await StartAsync();
        for (var i = 0; i < key.Length; i++)
        {
            text += key[i];
            Write("env.md", text);
            var saves = i + 1;
            await running.WaitForAsync(_ => running.Count("notes/env.md") >= saves);
        }

        await running.StopAsync();

        await using var session = await _store.OpenAsync(write: false, default);
        var doc = (await session.FindDocumentAsync("notes/env.md", default))!;
        Assert.Equal(key.Length, doc.Revisions);
        for (var r = 0; r <= doc.Revisions; r++)
        {
            var state = (await DocumentReader.LoadAsync(session, doc, r, default)).ToString();
            Assert.DoesNotContain("ghp_R8", state, StringComparison.Ordinal);
            Assert.DoesNotContain("R8mZ3kLq", state, StringComparison.Ordinal);
        }

        Assert.Equal("token: [SECRET]", (await DocumentReader.LoadAsync(session, doc, doc.Revisions, default)).ToString());
        await _store.ScrubAsync(default);
        foreach (var file in Directory.EnumerateFiles(_directory.Path).Where(f => f.Contains("store.db", StringComparison.Ordinal)))
        {
            Assert.Equal(-1, (await File.ReadAllBytesAsync(file)).AsSpan().IndexOf(Encoding.ASCII.GetBytes("R8mZ3kLq")));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _directory.Dispose();
    }
}
