using Plumbline.Core;
using Plumbline.Core.Consent;
using Plumbline.Storage.Consent;

namespace Plumbline.Storage.Tests.Consent;

public class ContributorServiceTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task SetConsent_KeepsEveryVersionWithStatementHashAndRecorder(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        env.Clock.Advance(TimeSpan.FromDays(1));
        await env.Contributors.SetConsentAsync("alice", new ConsentTerms(new HashSet<Core.Capture.SourceKind>(), new HashSet<DataUse>(), null), "Custom statement.", "steward", default);

        var status = await env.Contributors.StatusAsync("alice", default);

        Assert.Equal([1, 2], status.History.Select(h => h.Version));
        Assert.Equal(ConsentStatement.Sha256(ConsentStatement.Default), status.History[0].StatementSha256);
        Assert.Equal("Custom statement.", status.Current!.Statement);
        Assert.Equal(ConsentStatement.Sha256("Custom statement."), status.Current.StatementSha256);
        Assert.Equal("steward", status.Current.RecordedBy);
        Assert.Empty(status.Current.Terms.Sources);
        Assert.Equal(env.Clock.NowMs, status.Current.RecordedAt);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Add_DuplicateOrNumericName_IsBadInput(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.Contributors.AddAsync("alice", default);

        var duplicate = await Assert.ThrowsAsync<PlumblineException>(() => env.Contributors.AddAsync("alice", default));
        var numeric = await Assert.ThrowsAsync<PlumblineException>(() => env.Contributors.AddAsync("42", default));

        Assert.Equal("NAME: a contributor named 'alice' exists already (id 1)", duplicate.Message);
        Assert.Equal("NAME: '42' is all digits, which would read as a contributor id; choose a name with a letter in it", numeric.Message);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task PauseAndResume_AreCheckedAndRecorded(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");

        var resumeFirst = await Assert.ThrowsAsync<PlumblineException>(() => env.Contributors.ResumeAsync("alice", default));
        var pause = await env.Contributors.PauseAsync("alice", default);
        var pauseAgain = await Assert.ThrowsAsync<PlumblineException>(() => env.Contributors.PauseAsync("alice", default));
        env.Clock.Advance(TimeSpan.FromMinutes(3));
        var ended = await env.Contributors.ResumeAsync("alice", default);

        Assert.Equal("NAME: recording for alice is not paused", resumeFirst.Message);
        Assert.Equal("NAME: recording for alice is paused already (since 2026-11-01T09:00:00.000Z)", pauseAgain.Message);
        Assert.Equal(pause.Start + 180_000, ended.End);
        Assert.False((await env.Contributors.StatusAsync("alice", default)).Paused);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task PauseResumeAndConsent_FromWritersAtOnce_EachHappensOnce(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice");
        var terms = new ConsentTerms(ConsentTerms.ParseSources("documents", "s"), ConsentTerms.ParseUses("research", "u"), null);

        async Task<string> RaceAsync(Func<ContributorService, Task> act)
        {
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                await using var store = env.OpenStore();
                try
                {
                    await act(new ContributorService(store, env.Clock));
                    return "ok";
                }
                catch (PlumblineException e)
                {
                    return e.Message;
                }
            })));
            return string.Join(" | ", outcomes.Order(StringComparer.Ordinal));
        }

        var paused = await RaceAsync(c => c.PauseAsync("alice", default));
        var resumed = await RaceAsync(c => c.ResumeAsync("alice", default));
        var consented = await RaceAsync(c => c.SetConsentAsync("alice", terms, null, "steward", default));

        const string pausedAlready = "NAME: recording for alice is paused already (since 2026-11-01T09:00:00.000Z)";
        Assert.Equal($"{pausedAlready} | {pausedAlready} | {pausedAlready} | ok", paused);
        const string notPaused = "NAME: recording for alice is not paused";
        Assert.Equal($"{notPaused} | {notPaused} | {notPaused} | ok", resumed);
        Assert.Equal("ok | ok | ok | ok", consented);
        var status = await env.Contributors.StatusAsync("alice", default);
        Assert.Equal([1, 2, 3, 4, 5], status.History.Select(h => h.Version));
        Assert.Single(status.Pauses);
        Assert.Single(await env.ReadAsync(s => s.EventsAsync(null, default)));
    }
}
