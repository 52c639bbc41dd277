using System.Globalization;
using System.Text.Json;
using Plumbline.Core.Capture;
using Plumbline.Core.Consent;
using Plumbline.Storage.Audit;
using Plumbline.Storage.Documents;

namespace Plumbline.Storage.Export;

/// <summary>A document left out of an export, and why.</summary>
public sealed record ExcludedDocument(string Document, IReadOnlyList<string> Reasons);

/// <param name="AuditHead">The audit log's head (<c>COUNT:HASH</c>) after this export was logged; null without an audit log.</param>
/// <param name="Manifest">The manifest written beside the export (<c>FILE.manifest.json</c>), or null.</param>
public sealed record ExportResult(
    string Path,
    string Use,
    int Documents,
    long Transactions,
    int CommentsWithheld,
    IReadOnlyList<ExcludedDocument> Excluded,
    string? AuditHead = null,
    string? Manifest = null);

/// <summary>
/// Writes document traces as JSONL in the editing-traces format (one document a line, re-importable with
/// <c>plumb import trace</c>), only where every author's current consent allows the use and the embargo
/// has passed. The file appears whole or not at all. With an audit log, the export is logged (one entry per
/// contributor whose data it holds) and <c>FILE.manifest.json</c> records the file's SHA-256 and the audit head.
/// </summary>
public sealed class TraceExporter(ITraceStore store, TimeProvider time, AuditLog? audit = null, string? actor = null)
{
    public async Task<ExportResult> ExportAsync(DataUse use, string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        var consent = new Dictionary<long, (string Name, ConsentRecord? Current)>();
        foreach (var contributor in await session.ListContributorsAsync(cancellationToken))
        {
            var history = await session.ConsentHistoryAsync(contributor.Id, cancellationToken);
            consent[contributor.Id] = (contributor.Name, history.Count == 0 ? null : history[^1]);
        }

        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var temporary = full + ".partial-" + Environment.ProcessId;
        var excluded = new List<ExcludedDocument>();
        var exported = 0;
        long transactions = 0;
        var withheldComments = 0;
        var released = new SortedDictionary<string, int>(StringComparer.Ordinal);
        string? head = null;
        string? manifest = null;
        try
        {
            await using (var stream = File.Create(temporary))
            {
                foreach (var document in await session.ListDocumentsAsync(cancellationToken))
                {
                    var revisions = new List<StoredRevision>(document.Revisions);
                    await foreach (var revision in DocumentReader.RevisionsAsync(session, document, 1, document.Revisions, cancellationToken))
                    {
                        revisions.Add(revision);
                    }

                    var reasons = revisions
                        .Where(r => r.Kind == RevisionKind.Edit && r.ContributorId is not null)
                        .Select(r => r.ContributorId!.Value)
                        .Distinct()
                        .Select(id => (Id: id, Refusal: ConsentGate.ReleaseRefusal(consent[id].Current, document.Source, use, today)))
                        .Where(x => x.Refusal is not null)
                        .Select(x => $"{consent[x.Id].Name}: {x.Refusal}")
                        .ToList();
                    if (reasons.Count > 0)
                    {
                        excluded.Add(new ExcludedDocument(document.Name, reasons));
                        continue;
                    }

                    var comments = await CommentReader.AtRevisionAsync(session, document, document.Revisions, cancellationToken);
                    var releasedComments = comments
                        .Where(c => c.AuthorId is { } a && ConsentGate.ReleaseRefusal(consent[a].Current, SourceKind.Documents, use, today) is null)
                        .ToList();
                    withheldComments += comments.Count - releasedComments.Count;
                    await WriteDocumentAsync(stream, session, document, revisions, releasedComments, consent, cancellationToken);
                    foreach (var id in revisions.Where(r => r.Kind == RevisionKind.Edit).Select(r => r.ContributorId).Concat(releasedComments.Select(c => c.AuthorId)).OfType<long>().Distinct())
                    {
                        released[consent[id].Name] = released.GetValueOrDefault(consent[id].Name) + 1;
                    }
                    exported++;
                    transactions += revisions.Count;
                }
            }

            if (audit is not null)
            {
                var sha256 = await Datasets.DatasetManifest.Sha256Async(temporary, cancellationToken);
                var who = actor ?? AuditLog.LocalActor;
                IReadOnlyList<AuditEvent> entries = released.Count == 0
                    ? [new AuditEvent(who, AuditActions.Export, null, full, new { kind = "traces", use = ConsentTerms.Name(use), documents = 0, sha256 })]
                    : released.Select(r => new AuditEvent(who, AuditActions.Export, r.Key, full, new { kind = "traces", use = ConsentTerms.Name(use), documents = r.Value, sha256 })).ToList();
                head = (await audit.RecordAsync(entries, cancellationToken)).ToString();
                manifest = full + ".manifest.json";
                await WriteManifestAsync(manifest, full, use, exported, transactions, withheldComments, excluded, released, sha256, head, cancellationToken);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        return new ExportResult(full, ConsentTerms.Name(use), exported, transactions, withheldComments, excluded, head, manifest);
    }

    private async Task WriteManifestAsync(
        string path,
        string file,
        DataUse use,
        int documents,
        long transactions,
        int commentsWithheld,
        List<ExcludedDocument> excluded,
        SortedDictionary<string, int> contributors,
        string sha256,
        string head,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var manifest = new
        {
            plumbline_export = 1,
            kind = "traces",
            use = ConsentTerms.Name(use),
            created_at = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            store = store.Description,
            file = System.IO.Path.GetFileName(file),
            sha256,
            documents,
            transactions,
            comments_withheld = commentsWithheld,
            contributors,
            excluded = excluded.Select(e => new { document = e.Document, reasons = e.Reasons }),
            audit_head = head,
            audit_log = $"plumb audit verify --expect-head {head}",
        };
        var temporary = path + ".partial-" + Environment.ProcessId;
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(manifest, Datasets.DatasetManifest.Json) + "\n", new System.Text.UTF8Encoding(false), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    private static async Task WriteDocumentAsync(
        Stream stream,
        IStoreSession session,
        DocumentInfo document,
        List<StoredRevision> revisions,
        List<CommentView> comments,
        Dictionary<long, (string Name, ConsentRecord? Current)> consent,
        CancellationToken cancellationToken)
    {
        var start = await session.StartContentAsync(document.Id, cancellationToken);
        var end = (await DocumentReader.LoadAsync(session, document, document.Revisions, cancellationToken)).ToString();
        await using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            writer.WriteStartObject();
            writer.WriteString("document", document.Name);
            writer.WriteString("source", document.Source.Name());
            writer.WriteString("startContent", start);
            writer.WriteString("endContent", end);
            writer.WriteStartArray("txns");
            foreach (var revision in revisions)
            {
                writer.WriteStartObject();
                writer.WriteString("time", DateTimeOffset.FromUnixTimeMilliseconds(revision.Time).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
                if (revision.ContributorId is { } author)
                {
                    writer.WriteString("author", consent[author].Name);
                }

                if (revision.Kind == RevisionKind.Gap)
                {
                    writer.WriteBoolean("withheld", true);
                }

                writer.WriteStartArray("patches");
                foreach (var patch in revision.Patches)
                {
                    writer.WriteStartArray();
                    writer.WriteNumberValue(patch.Position);
                    writer.WriteNumberValue(patch.Delete);
                    writer.WriteStringValue(patch.Insert);
                    writer.WriteEndArray();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("comments");
            foreach (var comment in comments)
            {
                writer.WriteStartObject();
                writer.WriteNumber("id", comment.Id);
                writer.WriteString("author", consent[comment.AuthorId!.Value].Name);
                writer.WriteString("text", comment.Text);
                writer.WriteNumber("revision", comment.CreatedAtRevision);
                writer.WriteNumber("start", comment.Range.Start);
                writer.WriteNumber("end", comment.Range.End);
                writer.WriteBoolean("resolved", comment.Resolved);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    }
}
