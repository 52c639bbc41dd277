using Plumbline.Core.Capture;
using Plumbline.Core.Consent;

namespace Plumbline.Storage.Datasets;

/// <summary>Every contributor's current consent, read once, for release decisions at build and verify time.</summary>
internal sealed class ConsentView
{
    private readonly Dictionary<long, (string Name, ConsentRecord? Current)> _consent;

    private ConsentView(Dictionary<long, (string Name, ConsentRecord? Current)> consent, DateOnly today)
    {
        _consent = consent;
        Today = today;
    }

    public DateOnly Today { get; }

    public static async Task<ConsentView> LoadAsync(IStoreSession session, DateOnly today, CancellationToken cancellationToken)
    {
        var consent = new Dictionary<long, (string, ConsentRecord?)>();
        foreach (var contributor in await session.ListContributorsAsync(cancellationToken))
        {
            var history = await session.ConsentHistoryAsync(contributor.Id, cancellationToken);
            consent[contributor.Id] = (contributor.Name, history.Count == 0 ? null : history[^1]);
        }

        return new ConsentView(consent, today);
    }

    public string Name(long id) => _consent.TryGetValue(id, out var c) ? c.Name : $"#{id}";

    /// <summary>Null when the contributor's current consent releases <paramref name="source"/> for <paramref name="use"/> today; otherwise why not.</summary>
    public string? Refusal(long id, SourceKind source, DataUse use) =>
        _consent.TryGetValue(id, out var c)
            ? ConsentGate.ReleaseRefusal(c.Current, source, use, Today)
            : "no such contributor any more";

    /// <summary>The refusals of several contributors, as <c>name: reason</c>.</summary>
    public List<string> Refusals(IEnumerable<long> ids, SourceKind source, DataUse use) =>
        ids.Select(id => (id, reason: Refusal(id, source, use)))
            .Where(x => x.reason is not null)
            .Select(x => $"{Name(x.id)}: {x.reason}")
            .ToList();
}
