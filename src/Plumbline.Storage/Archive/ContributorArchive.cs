using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Consent;
using Plumbline.Storage.Audit;
using Plumbline.Storage.Documents;

namespace Plumbline.Storage.Archive;

/// <summary>One file in the archive: its size, SHA-256 and how many records (lines, or items) it holds.</summary>
public sealed record ArchiveMember(string Name, long Bytes, string Sha256, long Records);

public sealed record ArchiveResult(string Contributor, IReadOnlyList<ArchiveMember> Members, string AuditHead);

/// <summary>
/// "Export all my data": one zip with everything the store records about a contributor —
/// <c>events.jsonl</c> (their events: each edit patch, comment, cue, note, commit, in id order),
/// <c>documents/NAME/text.txt</c> and <c>documents/NAME/revisions.jsonl</c> for every document they edited (the
/// latest text, replayed, and each of their revisions with its patches; NAME is the document name URL-escaped),
/// <c>consent.jsonl</c> (every version, with the statement shown), <c>pauses.jsonl</c>, <c>terms.json</c>,
/// <c>withdrawals.jsonl</c>, <c>audit.jsonl</c> (the audit entries about their data, this archive's included)
/// and <c>manifest.json</c> (counts and SHA-256 of every other member, and the audit head). Producing it is
/// logged; where a document's latest text also holds co-authors' text, that read of their data is logged too.
/// </summary>
public sealed class ContributorArchive(ITraceStore store, AuditLog audit, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    /// <summary>Writes the archive to <paramref name="path"/> (aside, then renamed: whole or not at all).</summary>
    public async Task<ArchiveResult> WriteAsync(string contributor, string path, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".partial-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        try
        {
            ArchiveResult result;
            await using (var stream = File.Create(temporary))
            {
                result = await WriteAsync(contributor, stream, actor, cancellationToken);
            }

            File.Move(temporary, full, overwrite: true);
            return result;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public async Task<ArchiveResult> WriteAsync(string contributorName, Stream output, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contributorName);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var members = new List<(string Name, byte[] Data, long Records)>();
        Contributor contributor;
        var coAuthorReads = new List<AuditEvent>();
        await using (var session = await store.OpenAsync(write: false, cancellationToken))
        {
            contributor = await session.FindContributorAsync(contributorName, cancellationToken)
                ?? throw PlumblineException.NotFound($"contributor: no contributor named '{contributorName}'");
            var names = (await session.ListContributorsAsync(cancellationToken)).ToDictionary(c => c.Id, c => c.Name);
            members.Add(await EventsAsync(session, contributor, names, cancellationToken));
            foreach (var documentId in await session.DocumentsEditedByAsync(contributor.Id, cancellationToken))
            {
                var document = await session.GetDocumentAsync(documentId, cancellationToken);
                if (document is null)
                {
                    continue;
                }

                var folder = "documents/" + Uri.EscapeDataString(document.Name) + "/";
                var text = (await DocumentReader.LoadAsync(session, document, document.Revisions, cancellationToken)).ToString();
                members.Add((folder + "text.txt", Encoding.UTF8.GetBytes(text), 1));
                var lines = new List<object>();
                await foreach (var revision in DocumentReader.RevisionsAsync(session, document, 1, document.Revisions, cancellationToken))
                {
                    if (revision.ContributorId == contributor.Id)
                    {
                        lines.Add(new
                        {
                            revision = revision.Revision,
                            time = Iso(revision.Time),
                            kind = revision.Kind == RevisionKind.Gap ? "gap" : "edit",
                            consent_version = revision.ConsentVersion,
                            patches = revision.Patches.Select(p => new object[] { p.Position, p.Delete, p.Insert }),
                        });
                    }
                }

                members.Add((folder + "revisions.jsonl", JsonLines(lines), lines.Count));
                foreach (var other in (await session.ContentContributorsAsync(document.Id, cancellationToken)).Where(id => id != contributor.Id))
                {
                    coAuthorReads.Add(new AuditEvent(actor, AuditActions.Read, names.GetValueOrDefault(other, $"#{other}"), document.Name, new { what = "archive", of = contributor.Name }));
                }
            }

            var consent = await session.ConsentHistoryAsync(contributor.Id, cancellationToken);
            members.Add(("consent.jsonl", JsonLines(consent.Select(Consent)), consent.Count));
            var pauses = await session.PausesAsync(contributor.Id, cancellationToken);
            members.Add(("pauses.jsonl", JsonLines(pauses.Select(p => new { from = Iso(p.Start), to = p.End is { } e ? Iso(e) : null })), pauses.Count));
            var terms = await session.TermsAsync(contributor.Id, cancellationToken);
            members.Add(("terms.json", Encoding.UTF8.GetBytes(JsonSerializer.Serialize(terms, Json) + "\n"), terms.Count));
            var withdrawals = (await session.WithdrawalsAsync(cancellationToken)).Where(w => w.ContributorId == contributor.Id).ToList();
            members.Add(("withdrawals.jsonl", JsonLines(withdrawals.Select(w => new { source = w.Source?.Name(), withdrawn_at = Iso(w.WithdrawnAt), recorded_by = w.RecordedBy, events = w.Events, documents_deleted = w.DocumentsDeleted, documents_masked = w.DocumentsMasked })), withdrawals.Count));
        }

        var head = await audit.RecordAsync(
            [new AuditEvent(actor, AuditActions.Archive, contributor.Name, "archive", new { members = members.Count + 2 }), .. coAuthorReads],
            cancellationToken);
        var entries = (await audit.EntriesAboutAsync(contributor.Name, cancellationToken)).Where(e => e.Seq <= head.Count).ToList();
        members.Add(("audit.jsonl", JsonLines(entries.Select(AuditJson)), entries.Count));

        var described = members.Select(m => new ArchiveMember(m.Name, m.Data.LongLength, Convert.ToHexStringLower(SHA256.HashData(m.Data)), m.Records)).ToList();
        var now = time.GetUtcNow();
        var manifest = new
        {
            plumbline_archive = 1,
            contributor = contributor.Name,
            created_at = Iso(now.ToUnixTimeMilliseconds()),
            store = store.Description,
            audit_head = head.ToString(),
            members = described.Select(m => new { name = m.Name, bytes = m.Bytes, sha256 = m.Sha256, records = m.Records }),
        };
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data, _) in members.Append(("manifest.json", Encoding.UTF8.GetBytes(JsonSerializer.Serialize(manifest, new JsonSerializerOptions(Json) { WriteIndented = true }) + "\n"), 0)))
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = now;
                await using var stream = await entry.OpenAsync(cancellationToken);
                await stream.WriteAsync(data, cancellationToken);
            }
        }

        return new ArchiveResult(contributor.Name, described, head.ToString());
    }

    /// <summary>Their events: edit patches of the documents they are in, and their row events, in id order.</summary>
    private static async Task<(string, byte[], long)> EventsAsync(IStoreSession session, Contributor contributor, Dictionary<long, string> names, CancellationToken cancellationToken)
    {
        var entries = new List<LogEntry>();
        foreach (var documentId in await session.ContributorDocumentsAsync(contributor.Id, cancellationToken))
        {
            if (await session.GetDocumentAsync(documentId, cancellationToken) is { } document)
            {
                await foreach (var entry in EventLog.ReadAsync(session, document, cancellationToken))
                {
                    if (entry.ContributorId == contributor.Id)
                    {
                        entries.Add(entry);
                    }
                }
            }
        }

        var outside = (await session.EventsOfContributorAsync(contributor.Id, cancellationToken)).Where(e => e.DocumentId is null).ToList();
        var lines = entries.Select(e => (e.Id, Line: Event(e, names)))
            .Concat(outside.Select(e => (Id: e.Seq, Line: Event(new LogEntry(e.Seq, e.Kind, e.Source, e.ContributorId, null, e.Revision, null, e.Time, e.ConsentVersion, null, e.Payload), names))))
            .OrderBy(x => x.Id)
            .Select(x => x.Line)
            .ToList();
        return ("events.jsonl", JsonLines(lines), lines.Count);
    }

    private static object Event(LogEntry entry, Dictionary<long, string> names)
    {
        object? payload = entry.Patch is { } patch
            ? new { position = patch.Position, delete = patch.Delete, insert = patch.Insert }
            : JsonDocument.Parse(entry.Payload ?? "{}").RootElement.Clone();
        return new
        {
            id = entry.Id,
            kind = entry.Kind.Name(),
            source = entry.Source.Name(),
            contributor = entry.ContributorId is { } c ? names.GetValueOrDefault(c) : null,
            document = entry.Document,
            revision = entry.Revision,
            time = Iso(entry.Time),
            consent_version = entry.ConsentVersion,
            payload,
        };
    }

    private static object Consent(ConsentRecord r) => new
    {
        version = r.Version,
        sources = r.Terms.Sources.Order().Select(s => s.Name()),
        uses = r.Terms.Uses.Order().Select(ConsentTerms.Name),
        embargo = r.Terms.Embargo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        statement = r.Statement,
        statement_sha256 = r.StatementSha256,
        recorded_by = r.RecordedBy,
        recorded_at = Iso(r.RecordedAt),
    };

    /// <summary>An audit entry as the archive and the API show it: time in ISO-8601, the detail as JSON.</summary>
    public static object AuditJson(AuditEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new
        {
            seq = e.Seq,
            time = Iso(e.Time),
            actor = e.Actor,
            action = e.Action,
            contributor = e.Contributor,
            subject = e.Subject,
            detail = JsonDocument.Parse(e.Detail).RootElement.Clone(),
            mac = e.Mac,
        };
    }

    private static byte[] JsonLines<T>(IEnumerable<T> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.Append(JsonSerializer.Serialize<object?>(row, Json)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
