using Plumbline.Core.Capture;
using Plumbline.Core.Consent;

namespace Plumbline.Core.Tests.Consent;

public class ConsentGateTests
{
    private static readonly ConsentRecord Documents = Record(1, [SourceKind.Documents], [DataUse.Research], null);

    private static ConsentRecord Record(int version, SourceKind[] sources, DataUse[] uses, DateOnly? embargo) =>
        new(1, version, new ConsentTerms(sources.ToHashSet(), uses.ToHashSet(), embargo), "s", "h", "tester", 0);

    [Fact]
    public void Decide_UnmappedAuthor_IsGap() =>
        Assert.Equal(GateVerdict.Unmapped, ConsentGate.Decide(null, SourceKind.Documents, 0));

    [Fact]
    public void Decide_SourceNotConsented_IsNotConsented() =>
        Assert.Equal(GateVerdict.NotConsented, ConsentGate.Decide(new ContributorConsent(1, "a", Documents, []), SourceKind.Code, 0));

    [Fact]
    public void Decide_NoConsentAtAll_IsNotConsented() =>
        Assert.Equal(GateVerdict.NotConsented, ConsentGate.Decide(new ContributorConsent(1, "a", null, []), SourceKind.Documents, 0));

    [Theory]
    [InlineData(99, GateVerdict.Admit)]
    [InlineData(100, GateVerdict.Paused)]
    [InlineData(199, GateVerdict.Paused)]
    [InlineData(200, GateVerdict.Admit)]
    public void Decide_InsideAClosedPause_IsPaused(long time, GateVerdict expected)
    {
        var author = new ContributorConsent(1, "a", Documents, [new PauseInterval(1, 1, 100, 200)]);

        Assert.Equal(expected, ConsentGate.Decide(author, SourceKind.Documents, time));
    }

    [Fact]
    public void Decide_OpenPause_CoversEverythingAfterItsStart()
    {
        var author = new ContributorConsent(1, "a", Documents, [new PauseInterval(1, 1, 100, null)]);

        Assert.Equal(GateVerdict.Paused, ConsentGate.Decide(author, SourceKind.Documents, long.MaxValue));
    }

    [Fact]
    public void RequireActor_WithoutConsent_RefusesWithExitThreeMessage()
    {
        var error = Assert.Throws<PlumblineException>(() => ConsentGate.RequireActor(new ContributorConsent(1, "alice", null, []), SourceKind.Documents));

        Assert.Equal(FailureKind.Refused, error.Kind);
        Assert.Equal(
            "consent refused: alice has not given consent to record anything; nothing was stored (plumb consent set alice --sources documents --uses ...)",
            error.Message);
    }

    [Fact]
    public void RequireActor_OtherSourceOnly_Refuses()
    {
        var error = Assert.Throws<PlumblineException>(() => ConsentGate.RequireActor(new ContributorConsent(1, "alice", Documents, []), SourceKind.Meetings));

        Assert.Equal("consent refused: alice's consent (version 1) does not cover the source 'meetings'; nothing was stored", error.Message);
    }

    [Theory]
    [InlineData("research", "2026-01-01", null)]
    [InlineData("training", "2026-01-01", "consent does not cover the use 'training'")]
    [InlineData("research", "2025-12-31", "embargoed until 2026-01-01")]
    public void ReleaseRefusal_ChecksUseAndEmbargo(string use, string today, string? expected)
    {
        var record = Record(2, [SourceKind.Documents], [DataUse.Research], new DateOnly(2026, 1, 1));
        Assert.True(ConsentTerms.TryParseUse(use, out var parsed));

        Assert.Equal(expected, ConsentGate.ReleaseRefusal(record, SourceKind.Documents, parsed, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void ParseSources_AllAndUnknown()
    {
        Assert.Equal(5, ConsentTerms.ParseSources("all", "--sources").Count);
        Assert.Empty(ConsentTerms.ParseSources("none", "--sources"));
        var error = Assert.Throws<PlumblineException>(() => ConsentTerms.ParseSources("documents,email", "--sources"));
        Assert.Equal("--sources: 'email' is not one of documents, code, meetings, commentary, keystrokes (or all, none)", error.Message);
    }
}
