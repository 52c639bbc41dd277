using System.Text.Json;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Consent;
using Plumbline.Storage.Ingest;

namespace Plumbline.Storage.Consent;

/// <summary>A contributor with their consent history and pauses.</summary>
public sealed record ContributorStatus(Contributor Contributor, IReadOnlyList<ConsentRecord> History, IReadOnlyList<PauseInterval> Pauses)
{
    public ConsentRecord? Current => History.Count == 0 ? null : History[^1];

    public bool Paused => Pauses.Any(p => p.End is null);
}

/// <summary>Contributors, versioned consent, pause and resume.</summary>
public sealed class ContributorService(ITraceStore store, TimeProvider time)
{
    public async Task<Contributor> AddAsync(string name, CancellationToken cancellationToken)
    {
        ValidateName(name);
        return await StoreRetry.RunAsync(time, () => AddOnceAsync(name, cancellationToken), cancellationToken);
    }

    private async Task<Contributor> AddOnceAsync(string name, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: true, cancellationToken);
        if (await session.FindContributorAsync(name, cancellationToken) is { } existing && existing.Name == name)
        {
            throw PlumblineException.BadInput($"NAME: a contributor named '{name}' exists already (id {existing.Id})");
        }

        var contributor = await session.AddContributorAsync(name, Now(), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return contributor;
    }

    /// <summary>Records a new consent version (a concurrent change makes this one the next version).</summary>
    public Task<ConsentRecord> SetConsentAsync(
        string name,
        ConsentTerms terms,
        string? statement,
        string recordedBy,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return StoreRetry.RunAsync(time, () => SetConsentOnceAsync(name, terms, statement, recordedBy, cancellationToken), cancellationToken);
    }

    private async Task<ConsentRecord> SetConsentOnceAsync(
        string name,
        ConsentTerms terms,
        string? statement,
        string recordedBy,
        CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: true, cancellationToken);
        var contributor = await RequireAsync(session, name, cancellationToken);
        var history = await session.ConsentHistoryAsync(contributor.Id, cancellationToken);
        var text = statement ?? ConsentStatement.Default;
        var record = new ConsentRecord(
            contributor.Id,
            history.Count + 1,
            terms,
            text,
            ConsentStatement.Sha256(text),
            recordedBy,
            Now());
        await session.AddConsentAsync(record, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return record;
    }

    public async Task<ContributorStatus> StatusAsync(string name, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        var contributor = await RequireAsync(session, name, cancellationToken);
        return new ContributorStatus(
            contributor,
            await session.ConsentHistoryAsync(contributor.Id, cancellationToken),
            await session.PausesAsync(contributor.Id, cancellationToken));
    }

    public async Task<IReadOnlyList<ContributorStatus>> ListAsync(CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        var result = new List<ContributorStatus>();
        foreach (var contributor in await session.ListContributorsAsync(cancellationToken))
        {
            result.Add(new ContributorStatus(
                contributor,
                await session.ConsentHistoryAsync(contributor.Id, cancellationToken),
                await session.PausesAsync(contributor.Id, cancellationToken)));
        }

        return result;
    }

    /// <summary>Adds terms of the contributor's own (names, code words) that are redacted as <c>[TERM]</c> in everything of theirs stored from now on.</summary>
    public async Task<IReadOnlyList<string>> AddTermsAsync(string name, IEnumerable<string> terms, CancellationToken cancellationToken)
    {
        var list = terms.Select(t => t.Trim()).ToList();
        if (list.Count == 0 || list.Any(t => t.Length == 0 || t.Length > 200))
        {
            throw PlumblineException.BadInput("TERM: give one or more terms of 1 to 200 characters");
        }

        await using var session = await store.OpenAsync(write: true, cancellationToken);
        var contributor = await RequireAsync(session, name, cancellationToken);
        foreach (var term in list)
        {
            await session.AddTermAsync(contributor.Id, term, Now(), cancellationToken);
        }

        var all = await session.TermsAsync(contributor.Id, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return all;
    }

    public async Task<IReadOnlyList<string>> RemoveTermsAsync(string name, IEnumerable<string> terms, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: true, cancellationToken);
        var contributor = await RequireAsync(session, name, cancellationToken);
        foreach (var term in terms)
        {
            await session.RemoveTermAsync(contributor.Id, term.Trim(), cancellationToken);
        }

        var all = await session.TermsAsync(contributor.Id, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return all;
    }

    public async Task<IReadOnlyList<string>> TermsAsync(string name, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        return await session.TermsAsync((await RequireAsync(session, name, cancellationToken)).Id, cancellationToken);
    }

    /// <summary>Starts a pause: from now until resume, this contributor's events are dropped and kept only as a gap.</summary>
    public Task<PauseInterval> PauseAsync(string name, CancellationToken cancellationToken) =>
        StoreRetry.RunAsync(time, () => PauseOnceAsync(name, cancellationToken), cancellationToken);

    private async Task<PauseInterval> PauseOnceAsync(string name, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: true, cancellationToken);
        var contributor = await RequireAsync(session, name, cancellationToken);
        var open = (await session.PausesAsync(contributor.Id, cancellationToken)).FirstOrDefault(p => p.End is null);
        if (open is not null)
        {
            throw PlumblineException.BadInput($"NAME: recording for {contributor.Name} is paused already (since {Format(open.Start)})");
        }

        var pause = await session.StartPauseAsync(contributor.Id, Now(), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return pause;
    }

    /// <summary>Ends the pause and records it in the event log as a gap.</summary>
    public Task<PauseInterval> ResumeAsync(string name, CancellationToken cancellationToken) =>
        StoreRetry.RunAsync(time, () => ResumeOnceAsync(name, cancellationToken), cancellationToken);

    private async Task<PauseInterval> ResumeOnceAsync(string name, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: true, cancellationToken);
        var contributor = await RequireAsync(session, name, cancellationToken);
        var open = (await session.PausesAsync(contributor.Id, cancellationToken)).FirstOrDefault(p => p.End is null)
            ?? throw PlumblineException.BadInput($"NAME: recording for {contributor.Name} is not paused");
        var now = Math.Max(Now(), open.Start);
        await session.EndPauseAsync(open.Id, now, cancellationToken);
        var payload = JsonSerializer.Serialize(new { reason = "paused", from = open.Start, to = now }, CommentIngest.Json);
        await session.AppendEventAsync(
            new NewEvent(contributor.Id, SourceKind.Documents, EventKind.Gap, null, null, open.Start, 0, payload),
            cancellationToken);
        await session.CommitAsync(cancellationToken);
        return open with { End = now };
    }

    private static async Task<Contributor> RequireAsync(IStoreSession session, string name, CancellationToken cancellationToken) =>
        await session.FindContributorAsync(name, cancellationToken)
            ?? throw PlumblineException.NotFound($"NAME: no contributor named '{name}' (add one with: plumb contributor add {name})");

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200 || name.Trim() != name || name.Any(char.IsControl))
        {
            throw PlumblineException.BadInput("NAME: a contributor name is 1 to 200 characters, with no control characters and no leading or trailing spaces");
        }

        if (name.All(char.IsAsciiDigit))
        {
            throw PlumblineException.BadInput($"NAME: '{name}' is all digits, which would read as a contributor id; choose a name with a letter in it");
        }

        if (name.Contains('=') || name.Contains(','))
        {
            throw PlumblineException.BadInput($"NAME: '{name}' contains '=' or ',', which are separators in --author and lists");
        }
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string Format(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
}
