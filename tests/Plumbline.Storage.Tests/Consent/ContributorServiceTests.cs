using Plumbline.Core;
using Plumbline.Core.Consent;

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
}
