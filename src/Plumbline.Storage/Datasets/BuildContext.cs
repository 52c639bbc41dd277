using Plumbline.Core.Consent;
using Plumbline.Core.Datasets;

namespace Plumbline.Storage.Datasets;

/// <summary>An example from a source, before dedup, redaction and the split; its provenance lacks id and split.</summary>
internal sealed record SourceExample(ExampleText Text, ProvenanceEntry Provenance, string AuthorKey);

/// <summary>What sources share while a build runs: the session, options, consent and the card's counters.</summary>
internal sealed class BuildContext(IStoreSession session, DatasetBuildOptions options, ConsentView consent)
{
    public IStoreSession Session { get; } = session;

    public DatasetBuildOptions Options { get; } = options;

    public ConsentView Consent { get; } = consent;

    public DataUse Use => Options.Use;

    public IProgress<double>? Progress { get; init; }

    /// <summary>Edge cases and skips, by name, in the order first met.</summary>
    public Dictionary<string, long> Counters { get; } = [];

    public List<(string Name, string Reason)> Excluded { get; } = [];

    public HashSet<string> Documents { get; } = new(StringComparer.Ordinal);

    public void Count(string name, long by = 1) => Counters[name] = Counters.GetValueOrDefault(name) + by;

    public bool Wanted(string name) => Options.Documents.Count == 0 || Options.Documents.Contains(name, StringComparer.Ordinal);

    public IReadOnlyList<ProvenanceContributor> Contributors(IEnumerable<long> ids) =>
        ids.Distinct().Order().Select(id => new ProvenanceContributor(id, Consent.Name(id))).ToList();
}
