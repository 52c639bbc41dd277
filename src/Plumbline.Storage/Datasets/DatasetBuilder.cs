using System.Globalization;
using System.Text;
using System.Text.Json;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Consent;
using Plumbline.Core.Datasets;
using Plumbline.Storage.Audit;
using Plumbline.Storage.Ingest;

namespace Plumbline.Storage.Datasets;

public sealed record DatasetBuildResult(
    string Path,
    string Kind,
    string Format,
    string Use,
    long Examples,
    IReadOnlyDictionary<string, long> Splits,
    long DuplicatesRemoved,
    long ExamplesRedacted,
    long RedactionFindings,
    int Contributors,
    int Documents,
    IReadOnlyDictionary<string, long> Counters,
    IReadOnlyList<ManifestExclusion> Excluded,
    long ExportId);

/// <summary>
/// Builds a dataset folder from the store: examples streamed from one source kind, near-duplicates removed,
/// redaction re-applied with the current rules, a seeded split by contributor or document, then the split
/// files, <c>provenance.jsonl</c>, <c>README.md</c> and <c>manifest.json</c>. The folder is written aside and
/// moved into place whole; the build is recorded in the store as an export. With an audit log, the build is
/// logged (one entry per contributor whose events it used) and the manifest carries the audit head.
/// </summary>
public sealed class DatasetBuilder(ITraceStore store, TimeProvider time, AuditLog? audit = null, string? actor = null)
{
    public async Task<DatasetBuildResult> BuildAsync(DatasetBuildOptions options, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw PlumblineException.BadInput(string.Join("; ", errors));
        }

        var output = Path.GetFullPath(options.Output);
        if (File.Exists(output) || (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any()))
        {
            throw PlumblineException.BadInput($"--out: {output} already exists and is not an empty folder; nothing was written");
        }

        var now = time.GetUtcNow();
        var temporary = output.TrimEnd(Path.DirectorySeparatorChar) + ".partial-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        if (Directory.Exists(temporary))
        {
            Directory.Delete(temporary, recursive: true);
        }

        Directory.CreateDirectory(temporary);
        try
        {
            var result = await WriteAsync(options, output, temporary, now, progress, cancellationToken);
            if (Directory.Exists(output))
            {
                Directory.Delete(output);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            Directory.Move(temporary, output);
            return result;
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    private async Task<DatasetBuildResult> WriteAsync(
        DatasetBuildOptions options,
        string output,
        string folder,
        DateTimeOffset now,
        IProgress<double>? progress,
        CancellationToken cancellationToken)
    {
        var kind = options.Kind;
        var splits = new SplitAssigner(options.Split, options.Seed);
        var splitCounts = splits.Names.ToDictionary(n => n, _ => 0L);
        var writers = splits.Names.ToDictionary(n => n, n => Writer(Path.Combine(folder, n + ".jsonl")));
        var provenanceWriter = Writer(Path.Combine(folder, "provenance.jsonl"));
        var perContributor = new Dictionary<long, long>();
        var duplicates = options.DedupThreshold > 0 ? new NearDuplicateIndex(options.DedupThreshold) : null;
        long examples = 0;
        long redacted = 0;
        long findings = 0;
        var exampleLine = "";
        BuildContext context;
        await using (var session = await store.OpenAsync(write: false, cancellationToken))
        {
            var consent = await ConsentView.LoadAsync(session, DateOnly.FromDateTime(now.UtcDateTime), cancellationToken);
            var everyone = (await session.ListContributorsAsync(cancellationToken)).Select(c => c.Id).ToList();
            var detector = await Detectors.ForAsync(session, everyone, cancellationToken);
            context = new BuildContext(session, options, consent) { Progress = progress };
            try
            {
                await foreach (var found in Source(context, cancellationToken))
                {
                    if (duplicates is not null && !duplicates.TryAdd(found.Text.Context, found.Text.Change))
                    {
                        continue;
                    }

                    var (text, count) = found.Text.Redact(detector, options.Format);
                    if (count > 0)
                    {
                        redacted++;
                        findings += count;
                    }

                    examples++;
                    var key = options.SplitBy == SplitBy.Contributor && found.AuthorKey.Length > 0
                        ? "contributor:" + found.AuthorKey
                        : "document:" + found.Provenance.Document;
                    var split = splits.Assign(key);
                    splitCounts[split]++;
                    var id = string.Create(CultureInfo.InvariantCulture, $"{kind.Name()}-{examples:D6}");
                    var line = text.ToJsonLine(options.Format);
                    if (exampleLine.Length == 0)
                    {
                        exampleLine = line;
                    }

                    await writers[split].WriteAsync(line.AsMemory(), cancellationToken);
                    await writers[split].WriteAsync("\n".AsMemory(), cancellationToken);
                    var provenance = found.Provenance with { Id = id, Split = split };
                    await provenanceWriter.WriteAsync(JsonSerializer.Serialize(provenance, ProvenanceEntry.Json).AsMemory(), cancellationToken);
                    await provenanceWriter.WriteAsync("\n".AsMemory(), cancellationToken);
                    foreach (var contributor in provenance.Contributors)
                    {
                        perContributor[contributor.Id] = perContributor.GetValueOrDefault(contributor.Id) + 1;
                    }
                }
            }
            finally
            {
                foreach (var writer in writers.Values)
                {
                    await writer.DisposeAsync();
                }

                await provenanceWriter.DisposeAsync();
            }
        }

        var created = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var excluded = context.Excluded.Select(e => new ManifestExclusion(e.Name, e.Reason)).ToList();
        var card = DatasetCard.Render(new DatasetCardData
        {
            Kind = kind.Name(),
            Format = options.Format.Name(),
            Use = ConsentTerms.Name(options.Use),
            CreatedAt = created,
            Store = store.Description,
            Sources = [kind.Source().Name()],
            Splits = splitCounts,
            SplitRule = $"{string.Join(" / ", splits.Names.Select((n, i) => $"{n} {options.Split[i].ToString(CultureInfo.InvariantCulture)}"))} by {options.SplitBy.Name()} (seed {options.Seed.ToString(CultureInfo.InvariantCulture)}); no {options.SplitBy.Name()} is in two splits",
            Contributors = perContributor.Count,
            Documents = context.Documents.Count,
            Examples = examples,
            DuplicatesRemoved = duplicates?.Removed ?? 0,
            ExamplesRedacted = redacted,
            RedactionFindings = findings,
            Counters = context.Counters,
            Excluded = context.Excluded,
            Method = Method(options),
            ExampleLine = exampleLine,
        });
        await File.WriteAllTextAsync(Path.Combine(folder, "README.md"), card, new UTF8Encoding(false), cancellationToken);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in splits.Names.Select(n => n + ".jsonl").Append("provenance.jsonl").Append("README.md"))
        {
            files[name] = await DatasetManifest.Sha256Async(Path.Combine(folder, name), cancellationToken);
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["examples"] = examples,
            ["duplicates_removed"] = duplicates?.Removed ?? 0,
            ["examples_redacted"] = redacted,
            ["redaction_findings"] = findings,
            ["contributors"] = perContributor.Count,
            ["documents"] = context.Documents.Count,
        };
        foreach (var (name, count) in context.Counters)
        {
            counts[name] = count;
        }

        string? head = null;
        if (audit is not null)
        {
            var who = actor ?? AuditLog.LocalActor;
            var detail = new { kind = kind.Name(), use = ConsentTerms.Name(options.Use), examples };
            IReadOnlyList<AuditEvent> entries = perContributor.Count == 0
                ? [new AuditEvent(who, AuditActions.Export, null, output, detail)]
                : perContributor.OrderBy(p => context.Consent.Name(p.Key), StringComparer.Ordinal)
                    .Select(p => new AuditEvent(who, AuditActions.Export, context.Consent.Name(p.Key), output, new { kind = kind.Name(), use = ConsentTerms.Name(options.Use), examples = p.Value }))
                    .ToList();
            head = (await audit.RecordAsync(entries, cancellationToken)).ToString();
        }

        var manifest = new DatasetManifest
        {
            Kind = kind.Name(),
            Format = options.Format.Name(),
            Use = ConsentTerms.Name(options.Use),
            CreatedAt = created,
            CreatedAtMs = now.ToUnixTimeMilliseconds(),
            Store = store.Description,
            CommandLine = options.CommandLine,
            Parameters = Parameters(options),
            Splits = splits.Names.ToDictionary(n => n, n => new ManifestSplit(n + ".jsonl", splitCounts[n])),
            Examples = examples,
            Counts = counts,
            Excluded = excluded,
            Files = files,
            AuditHead = head,
            AuditLog = head is null ? "absent: built without an audit log, so no head could be recorded" : $"plumb audit verify --expect-head {head}",
        };
        var manifestPath = Path.Combine(folder, "manifest.json");
        await File.WriteAllTextAsync(manifestPath, JsonSerializer.Serialize(manifest, DatasetManifest.Json) + "\n", new UTF8Encoding(false), cancellationToken);
        var manifestSha = await DatasetManifest.Sha256Async(manifestPath, cancellationToken);
        long exportId;
        await using (var write = await store.OpenAsync(write: true, cancellationToken))
        {
            exportId = await write.RecordExportAsync(
                new ExportRecord(0, kind.Name(), ConsentTerms.Name(options.Use), now.ToUnixTimeMilliseconds(), output, examples, manifestSha, files["provenance.jsonl"], JsonSerializer.Serialize(manifest.Parameters, DatasetManifest.Json)),
                perContributor.Select(p => new ExportContributor(p.Key, kind.Source(), p.Value)).ToList(),
                cancellationToken);
            await write.CommitAsync(cancellationToken);
        }

        return new DatasetBuildResult(
            output,
            kind.Name(),
            options.Format.Name(),
            ConsentTerms.Name(options.Use),
            examples,
            splitCounts,
            duplicates?.Removed ?? 0,
            redacted,
            findings,
            perContributor.Count,
            context.Documents.Count,
            context.Counters,
            excluded,
            exportId);
    }

    private static IAsyncEnumerable<SourceExample> Source(BuildContext context, CancellationToken cancellationToken) => context.Options.Kind switch
    {
        DatasetKind.NextEdit => NextEditSource.ReadAsync(context, cancellationToken),
        DatasetKind.Feedback => FeedbackSource.ReadAsync(context, cancellationToken),
        DatasetKind.Dialogue => DialogueSource.ReadAsync(context, cancellationToken),
        DatasetKind.Commits => CommitSource.ReadAsync(context, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(context), context.Options.Kind, "unknown kind"),
    };

    private static StreamWriter Writer(string path) => new(path, append: false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };

    private static Dictionary<string, object?> Parameters(DatasetBuildOptions o) => new(StringComparer.Ordinal)
    {
        ["split"] = o.Split,
        ["split_by"] = o.SplitBy.Name(),
        ["seed"] = o.Seed,
        ["max_chars"] = o.NextEdit.MaxChars,
        ["max_editable_chars"] = o.NextEdit.MaxEditableChars,
        ["context_lines"] = o.NextEdit.EditableContextLines,
        ["history"] = o.NextEdit.History,
        ["pause_ms"] = o.Units.PauseMs,
        ["jump_chars"] = o.Units.JumpChars,
        ["word_chars"] = o.Units.WordBoundaryChars,
        ["line_breaks_end_units"] = o.Units.BreakAtLineEnd,
        ["max_unit_patches"] = o.Units.MaxUnitPatches,
        ["timestamps"] = o.Units.Timestamps.ToString().ToLowerInvariant(),
        ["dedup"] = o.DedupThreshold,
        ["feedback_window_ms"] = o.FeedbackWindowMs,
        ["feedback_near"] = o.FeedbackNearChars,
        ["dialogue_gap_ms"] = o.DialogueGapMs,
        ["documents"] = o.Documents,
    };

    private static string Method(DatasetBuildOptions o) => o.Kind switch
    {
        DatasetKind.NextEdit => string.Create(
            CultureInfo.InvariantCulture,
            $"Each document's keystrokes are grouped into edit units: a unit ends at a change of contributor, a gap, a cursor jump of more than {o.Units.JumpChars} code points, a pause of more than {o.Units.PauseMs} ms (only where the document has usable timestamps; otherwise position and boundary rules alone), a typed line break, a word boundary once {o.Units.WordBoundaryChars} code points changed, or {o.Units.MaxUnitPatches} patches. Each unit is one example: the excerpt around the cursor (at most {o.NextEdit.MaxChars} code points, whole lines) with the editable region (the changed lines and {o.NextEdit.EditableContextLines} line(s) around them) and the cursor marked, the previous {o.NextEdit.History} units as unified diffs, and the editable region after the unit as the target."),
        DatasetKind.Feedback => string.Create(
            CultureInfo.InvariantCulture,
            $"Each comment gives one example when the document's authors edited in or within {o.FeedbackNearChars} code points of its range before it was resolved (or within {o.FeedbackWindowMs} ms when never resolved): the excerpt with the range marked «…», the comment, and the passage before and after those edits."),
        DatasetKind.Dialogue => string.Create(
            CultureInfo.InvariantCulture,
            $"Each meeting's cues become turns (consecutive cues of one speaker merged; silences over {o.DialogueGapMs} ms and withheld cues as markers); each turn after the first is a target, with the latest turns that fit {o.NextEdit.MaxChars} characters as the prompt."),
        DatasetKind.Commits => string.Create(
            CultureInfo.InvariantCulture,
            $"Each imported commit with a message gives one example: the unified diff of its text files (binary files named only; cut at {o.NextEdit.MaxChars} characters) → the message."),
        _ => "",
    };
}
