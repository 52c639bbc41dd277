using System.Globalization;
using System.Text;
using System.Text.Json;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Consent;
using Plumbline.Storage.Documents;

namespace Plumbline.Storage.Datasets;

/// <summary>An example that no longer holds: <c>withdrawn</c>, <c>missing</c>, <c>redacted</c> or <c>consent</c>.</summary>
public sealed record VerifyFinding(string Id, string Split, string Status, string Reason);

public sealed record VerifyResult(
    string Path,
    long Examples,
    long Passed,
    IReadOnlyDictionary<string, long> ByStatus,
    IReadOnlyList<VerifyFinding> Findings,
    IReadOnlyList<string> FileProblems,
    string? PrunedTo,
    long PrunedExamples)
{
    public bool Ok => Findings.Count == 0 && FileProblems.Count == 0;
}

/// <summary>
/// Re-checks a dataset folder against the store: every file against the manifest's SHA-256, and every
/// example's source events (from <c>provenance.jsonl</c>) against what the store holds now. An example whose
/// events are gone or were turned into gaps is <c>withdrawn</c> when one of its contributors withdrew (that
/// source, or everything) after the build, and <c>missing</c> otherwise; one whose events changed is
/// <c>redacted</c>; one whose contributors' current consent no longer releases it for the dataset's use
/// (fewer uses, a new embargo, no consent) is <c>consent</c>. Provenance is streamed; revisions are read
/// once, in order, per document.
/// </summary>
public sealed class DatasetVerifier(ITraceStore store, TimeProvider time)
{
    public async Task<VerifyResult> VerifyAsync(string folder, string? pruneTo, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var root = Path.GetFullPath(folder);
        var manifestPath = Path.Combine(root, "manifest.json");
        if (!File.Exists(manifestPath))
        {
            throw PlumblineException.BadInput($"DIR: {manifestPath} does not exist (is {root} a dataset folder built by plumb dataset build?)");
        }

        DatasetManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<DatasetManifest>(await File.ReadAllTextAsync(manifestPath, cancellationToken), DatasetManifest.Json)
                ?? throw PlumblineException.BadInput($"{manifestPath}: empty manifest");
        }
        catch (JsonException e)
        {
            throw PlumblineException.BadInput($"{manifestPath}: line {(e.LineNumber ?? 0) + 1}: {e.Message}");
        }

        if (!ConsentTerms.TryParseUse(manifest.Use, out var use))
        {
            throw PlumblineException.BadInput($"{manifestPath}: use '{manifest.Use}' is not research, training or public");
        }

        var problems = new List<string>();
        foreach (var (name, sha) in manifest.Files)
        {
            var path = Path.Combine(root, name);
            if (!File.Exists(path))
            {
                problems.Add($"{name}: missing");
            }
            else if (await DatasetManifest.Sha256Async(path, cancellationToken) != sha)
            {
                problems.Add($"{name}: SHA-256 differs from the manifest (the file was changed after the build)");
            }
        }

        var provenancePath = Path.Combine(root, "provenance.jsonl");
        if (!File.Exists(provenancePath))
        {
            throw PlumblineException.BadInput($"DIR: {provenancePath} does not exist");
        }

        var findings = new List<VerifyFinding>();
        long examples = 0;
        await using (var session = await store.OpenAsync(write: false, cancellationToken))
        {
            var consent = await ConsentView.LoadAsync(session, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), cancellationToken);
            var withdrawals = (await session.WithdrawalsAsync(cancellationToken)).Where(w => w.WithdrawnAt >= manifest.CreatedAtMs).ToList();
            var checker = new Checker(session, consent, use, withdrawals);
            await foreach (var (entry, _) in ReadProvenanceAsync(provenancePath, cancellationToken))
            {
                examples++;
                if (await checker.CheckAsync(entry, cancellationToken) is { } finding)
                {
                    findings.Add(finding);
                }
            }
        }

        var byStatus = findings.GroupBy(f => f.Status).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count());
        string? pruned = null;
        long kept = 0;
        if (pruneTo is not null)
        {
            (pruned, kept) = await PruneAsync(root, manifest, findings.Select(f => f.Id).ToHashSet(StringComparer.Ordinal), pruneTo, cancellationToken);
        }

        return new VerifyResult(root, examples, examples - findings.Count, byStatus, findings, problems, pruned, kept);
    }

    private static async IAsyncEnumerable<(ProvenanceEntry Entry, int Line)> ReadProvenanceAsync(
        string path,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            ProvenanceEntry? entry;
            try
            {
                entry = JsonSerializer.Deserialize<ProvenanceEntry>(line, ProvenanceEntry.Json);
            }
            catch (JsonException e)
            {
                throw PlumblineException.BadInput($"{path}: line {number}: {e.Message}");
            }

            yield return (entry ?? throw PlumblineException.BadInput($"{path}: line {number}: empty entry"), number);
        }
    }

    private async Task<(string Path, long Kept)> PruneAsync(string root, DatasetManifest manifest, HashSet<string> drop, string pruneTo, CancellationToken cancellationToken)
    {
        var output = Path.GetFullPath(pruneTo);
        if (File.Exists(output) || (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any()))
        {
            throw PlumblineException.BadInput($"--prune: {output} already exists and is not an empty folder; nothing was written");
        }

        var temporary = output.TrimEnd(Path.DirectorySeparatorChar) + ".partial-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        Directory.CreateDirectory(temporary);
        try
        {
            var readers = manifest.Splits.ToDictionary(s => s.Key, s => new StreamReader(Path.Combine(root, s.Value.File), Encoding.UTF8));
            var writers = manifest.Splits.ToDictionary(s => s.Key, s => new StreamWriter(Path.Combine(temporary, s.Value.File), false, new UTF8Encoding(false)) { NewLine = "\n" });
            var counts = manifest.Splits.ToDictionary(s => s.Key, _ => 0L);
            long kept = 0;
            try
            {
                await using var provenance = new StreamWriter(Path.Combine(temporary, "provenance.jsonl"), false, new UTF8Encoding(false)) { NewLine = "\n" };
                await foreach (var (entry, number) in ReadProvenanceAsync(Path.Combine(root, "provenance.jsonl"), cancellationToken))
                {
                    if (!readers.TryGetValue(entry.Split, out var reader))
                    {
                        throw PlumblineException.BadInput($"provenance.jsonl: line {number}: split '{entry.Split}' is not in the manifest");
                    }

                    var line = await reader.ReadLineAsync(cancellationToken)
                        ?? throw PlumblineException.BadInput($"{entry.Split}.jsonl has fewer lines than provenance.jsonl lists for it (at {entry.Id})");
                    if (drop.Contains(entry.Id))
                    {
                        continue;
                    }

                    kept++;
                    counts[entry.Split]++;
                    await writers[entry.Split].WriteLineAsync(line.AsMemory(), cancellationToken);
                    await provenance.WriteLineAsync(JsonSerializer.Serialize(entry, ProvenanceEntry.Json).AsMemory(), cancellationToken);
                }
            }
            finally
            {
                foreach (var reader in readers.Values)
                {
                    reader.Dispose();
                }

                foreach (var writer in writers.Values)
                {
                    await writer.DisposeAsync();
                }
            }

            var card = await File.ReadAllTextAsync(Path.Combine(root, "README.md"), cancellationToken);
            card += string.Create(
                CultureInfo.InvariantCulture,
                $"\n## Pruned\n\nThis is a pruned copy of `{root}` made {time.GetUtcNow().UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} by `plumb dataset verify --prune`: {drop.Count} example(s) whose source events were withdrawn, redacted, missing or no longer released by consent were dropped; {kept} remain.\n");
            await File.WriteAllTextAsync(Path.Combine(temporary, "README.md"), card, new UTF8Encoding(false), cancellationToken);
            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in manifest.Splits.Values.Select(s => s.File).Append("provenance.jsonl").Append("README.md"))
            {
                files[name] = await DatasetManifest.Sha256Async(Path.Combine(temporary, name), cancellationToken);
            }

            var updated = manifest with
            {
                Splits = manifest.Splits.ToDictionary(s => s.Key, s => s.Value with { Examples = counts[s.Key] }),
                Examples = kept,
                Files = files,
                PrunedFrom = root,
                Counts = new Dictionary<string, long>(manifest.Counts) { ["examples"] = kept, ["pruned"] = drop.Count },
            };
            await File.WriteAllTextAsync(Path.Combine(temporary, "manifest.json"), JsonSerializer.Serialize(updated, DatasetManifest.Json) + "\n", new UTF8Encoding(false), cancellationToken);
            if (Directory.Exists(output))
            {
                Directory.Delete(output);
            }

            Directory.Move(temporary, output);
            return (output, kept);
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    /// <summary>Checks entries in provenance order, reading each document's revisions forward once.</summary>
    private sealed class Checker(IStoreSession session, ConsentView consent, DataUse use, List<WithdrawalRecord> withdrawals)
    {
        private readonly Dictionary<string, DocumentInfo?> _documents = new(StringComparer.Ordinal);
        private readonly Queue<(int Revision, byte[] Hash, bool Masked)> _kept = new();
        private readonly Dictionary<long, StoredEvent?> _events = [];
        private string? _eventsOf;
        private DocumentInfo? _cursorDocument;
        private IAsyncEnumerator<StoredRevision>? _cursor;
        private int _read;

        public async Task<VerifyFinding?> CheckAsync(ProvenanceEntry entry, CancellationToken cancellationToken)
        {
            var hashes = new List<byte[]>();
            var missing = false;
            var masked = false;
            if (entry.Revisions is [var from, var to])
            {
                var document = await DocumentAsync(entry.Document, cancellationToken);
                if (document is null || to > document.Revisions)
                {
                    missing = true;
                }
                else
                {
                    foreach (var (_, hash, gap) in await RangeAsync(document, from, to, cancellationToken))
                    {
                        hashes.Add(hash);
                        masked |= gap;
                    }
                }
            }

            foreach (var file in entry.Files ?? [])
            {
                var document = await DocumentAsync(file.Document, cancellationToken);
                if (document is null || file.Revision > document.Revisions)
                {
                    missing = true;
                    continue;
                }

                var stored = await DocumentReader.RevisionsAsync(session, document, file.Revision, file.Revision, cancellationToken).FirstAsync(cancellationToken);
                masked |= stored.Kind == RevisionKind.Gap && stored.ContributorId is null;
                hashes.Add(EventHash.Of(stored));
            }

            foreach (var seq in entry.RowEvents)
            {
                var stored = await EventAsync(entry.Document, seq, cancellationToken);
                if (stored is null)
                {
                    missing = true;
                }
                else
                {
                    hashes.Add(EventHash.Of(stored));
                }
            }

            var changed = !missing && EventHash.Combine(hashes) != entry.Sha256;
            var source = EventNames.TryParseSource(entry.Source, out var parsed) ? parsed : SourceKind.Documents;
            var ids = entry.Contributors.Select(c => c.Id).ToHashSet();
            if (missing || changed)
            {
                var withdrawal = withdrawals.FirstOrDefault(w => ids.Contains(w.ContributorId) && (w.Source is null || w.Source == source));
                if (withdrawal is not null)
                {
                    var what = withdrawal.Source is { } s ? $"their {s.Name()} events" : "all their events";
                    return new VerifyFinding(entry.Id, entry.Split, "withdrawn", $"{consent.Name(withdrawal.ContributorId)} withdrew {what} on {DateTimeOffset.FromUnixTimeMilliseconds(withdrawal.WithdrawnAt).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}");
                }

                if (missing)
                {
                    return new VerifyFinding(entry.Id, entry.Split, "missing", $"source events of '{entry.Document}' are no longer in the store, and no withdrawal by its contributors explains it");
                }

                return new VerifyFinding(entry.Id, entry.Split, "redacted", masked
                    ? $"source events of '{entry.Document}' are now withheld (gap) in the store"
                    : $"source events of '{entry.Document}' changed in the store since the build (redaction)");
            }

            var refusals = consent.Refusals(ids, source, use);
            return refusals.Count > 0 ? new VerifyFinding(entry.Id, entry.Split, "consent", string.Join("; ", refusals)) : null;
        }

        private async Task<DocumentInfo?> DocumentAsync(string name, CancellationToken cancellationToken)
        {
            if (!_documents.TryGetValue(name, out var document))
            {
                document = await session.FindDocumentAsync(name, cancellationToken);
                _documents[name] = document;
            }

            return document;
        }

        private async Task<StoredEvent?> EventAsync(string documentName, long seq, CancellationToken cancellationToken)
        {
            if (_eventsOf != documentName)
            {
                _events.Clear();
                _eventsOf = documentName;
                if (await DocumentAsync(documentName, cancellationToken) is { } document)
                {
                    foreach (var stored in await session.EventsAsync(document.Id, cancellationToken))
                    {
                        _events[stored.Seq] = stored;
                    }
                }
            }

            if (!_events.TryGetValue(seq, out var found))
            {
                found = await session.FindEventAsync(seq, cancellationToken);
                _events[seq] = found;
            }

            return found;
        }

        private async Task<List<(int Revision, byte[] Hash, bool Masked)>> RangeAsync(DocumentInfo document, int from, int to, CancellationToken cancellationToken)
        {
            if (_cursorDocument?.Id != document.Id || (_kept.Count > 0 ? _kept.Peek().Revision : _read + 1) > from)
            {
                if (_cursor is not null)
                {
                    await _cursor.DisposeAsync();
                }

                _cursorDocument = document;
                _cursor = Windowed(document, from, cancellationToken).GetAsyncEnumerator(cancellationToken);
                _kept.Clear();
                _read = from - 1;
            }

            while (_read < to && await _cursor!.MoveNextAsync())
            {
                var stored = _cursor.Current;
                _read = stored.Revision;
                _kept.Enqueue((stored.Revision, EventHash.Of(stored), stored.Kind == RevisionKind.Gap && stored.ContributorId is null));
            }

            while (_kept.Count > 0 && _kept.Peek().Revision < from)
            {
                _kept.Dequeue();
            }

            return _kept.Where(k => k.Revision <= to).ToList();
        }

        private async IAsyncEnumerable<StoredRevision> Windowed(
            DocumentInfo document,
            int from,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            for (var start = from; start <= document.Revisions; start += NextEditSource.Window)
            {
                var end = Math.Min(document.Revisions, start + NextEditSource.Window - 1);
                await foreach (var stored in DocumentReader.RevisionsAsync(session, document, start, end, cancellationToken))
                {
                    yield return stored;
                }
            }
        }
    }
}
