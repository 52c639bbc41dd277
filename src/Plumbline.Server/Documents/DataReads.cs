using System.Text.Json;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Text;
using Plumbline.Server.Access;
using Plumbline.Server.Audit;
using Plumbline.Server.Contracts;
using Plumbline.Core.Consent;
using Plumbline.Storage;
using Plumbline.Storage.Audit;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Ingest;
using Plumbline.Storage.Sharing;

namespace Plumbline.Server.Documents;

/// <summary>
/// Every read of recorded data through the API goes through this one class: who may see which document,
/// and what is returned. A document the caller may not see answers exactly as a document that does not exist.
/// Every read of a document (metadata, text, comments) or of events that shows data of a contributor other
/// than the caller is written to the audit log, about each such contributor, before the data is returned.
/// Listing document names is not logged.
/// </summary>
/// <remarks>
/// Release policy for curators: a curator read is a research use. A curator sees a document only while every
/// one of its contributors' CURRENT consent covers the document's source and the use <c>research</c> and no
/// embargo runs; the same for events outside documents. Admins see everything (and are logged like anyone).
/// </remarks>
internal sealed class DataReads(ITraceStore store, TimeProvider time, AuditLog audit)
{
    /// <summary>The use a curator's read stands for.</summary>
    public const DataUse CuratorReadUse = DataUse.Research;

    public async Task<DocumentListResponse> ListDocumentsAsync(Caller caller, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        var consent = caller.ReadsAll ? await CurrentConsentAsync(session, cancellationToken) : null;
        return new DocumentListResponse((await VisibleDocumentsAsync(session, caller, consent, Today(), cancellationToken)).Select(d => Dto(caller, d)).ToList());
    }

    public async Task<DocumentDto> GetDocumentAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        var document = await RequireVisibleAsync(session, caller, name, Today(), cancellationToken);
        await LogDocumentReadAsync(session, caller, document, new { what = "document" }, cancellationToken);
        return Dto(caller, document);
    }

    public async Task<ReplayResponse> ReplayAsync(Caller caller, string name, int? revision, DateTimeOffset? time, CancellationToken cancellationToken)
    {
        if (revision is not null && time is not null)
        {
            throw PlumblineException.BadInput("revision and time: give one of them, not both");
        }

        await using var session = await store.OpenAsync(write: false, cancellationToken);
        var document = await RequireVisibleAsync(session, caller, name, Today(), cancellationToken);
        if (document.Source == SourceKind.Meetings)
        {
            await LogDocumentReadAsync(session, caller, document, new { what = "replay" }, cancellationToken);
            var text = MeetingReader.Render(await MeetingReader.CuesAsync(session, document, cancellationToken));
            return new ReplayResponse(DocumentNames.Shown(caller, document.Name), document.Revisions, document.Revisions, CodePoints.Count(text), text);
        }

        var at = revision ?? document.Revisions;
        if (time is { } t)
        {
            at = await DocumentReader.RevisionAtTimeAsync(session, document, t.ToUnixTimeMilliseconds(), cancellationToken);
        }

        if (at < 0 || at > document.Revisions)
        {
            throw PlumblineException.BadInput($"revision: document '{name}' has revisions 0 to {document.Revisions} (asked for {at})");
        }

        await LogDocumentReadAsync(session, caller, document, new { what = "replay", revision = at }, cancellationToken);
        var buffer = await DocumentReader.LoadAsync(session, document, at, cancellationToken);
        return new ReplayResponse(DocumentNames.Shown(caller, document.Name), at, document.Revisions, buffer.Length, buffer.ToString());
    }

    public async Task<CommentListResponse> CommentsAsync(Caller caller, string name, int? revision, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        var document = await RequireVisibleAsync(session, caller, name, Today(), cancellationToken);
        var at = revision ?? document.Revisions;
        if (at < 0 || at > document.Revisions)
        {
            throw PlumblineException.BadInput($"revision: document '{name}' has revisions 0 to {document.Revisions} (asked for {at})");
        }

        await LogDocumentReadAsync(session, caller, document, new { what = "comments", revision = at }, cancellationToken);
        var names = await NamesAsync(session, cancellationToken);
        var comments = await CommentReader.AtRevisionAsync(session, document, at, cancellationToken);
        return new CommentListResponse(
            DocumentNames.Shown(caller, document.Name),
            at,
            comments.Select(c => new CommentDto(
                c.Id,
                c.AuthorId is { } a ? names.GetValueOrDefault(a) : null,
                c.Text,
                c.CreatedAtRevision,
                c.CreatedRange.Start,
                c.CreatedRange.End,
                c.Range.Start,
                c.Range.End,
                c.Quote,
                c.Orphaned,
                c.Resolved,
                c.ResolvedBy is { } r ? names.GetValueOrDefault(r) : null)).ToList());
    }

    /// <summary>
    /// At most <paramref name="limit"/> entries of the event log: for a contributor, the events of their documents and
    /// their own events outside documents. After <paramref name="cursor"/> (opaque, from the previous page; see
    /// <see cref="EventLog.ReadPageAsync"/>), or, legacy, in id order after the id <paramref name="after"/>.
    /// </summary>
    public async Task<EventListResponse> EventsAsync(Caller caller, string? name, long? after, string? cursor, int limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 100_000)
        {
            throw PlumblineException.BadInput($"limit: must be in 1..100000 (was {limit})");
        }

        if (after is not null && cursor is not null)
        {
            throw PlumblineException.BadInput("after: give either cursor or the legacy after, not both");
        }

        if (after is < 0)
        {
            throw PlumblineException.BadInput($"after: must be 0 or more (was {after})");
        }

        await using var session = await store.OpenAsync(write: false, cancellationToken);
        var today = Today();
        IReadOnlyList<DocumentInfo>? documents;
        Func<StoredEvent, bool>? unattached;
        if (name is not null)
        {
            (documents, unattached) = ([await RequireVisibleAsync(session, caller, name, today, cancellationToken)], null);
        }
        else if (caller.IsAdmin)
        {
            (documents, unattached) = (null, _ => true);
        }
        else
        {
            // Only the visible documents' events are read at all. Events outside documents: a contributor's own;
            // for a curator also others' whose current consent releases the source for research today.
            var consent = caller.ReadsAll ? await CurrentConsentAsync(session, cancellationToken) : null;
            documents = await VisibleDocumentsAsync(session, caller, consent, today, cancellationToken);
            unattached = e => e.ContributorId == caller.ContributorId
                || (consent is not null && e.ContributorId is { } owner && ReleasedForCurators(consent.GetValueOrDefault(owner), e.Source, today));
        }

        IReadOnlyList<LogEntry> entries;
        string? nextCursor = null;
        bool more;
        if (after is { } legacy)
        {
            (entries, more) = await EventLog.TakeAsync(session, documents ?? await session.ListDocumentsAsync(cancellationToken), unattached, legacy, limit, cancellationToken);
        }
        else
        {
            var page = await EventLog.ReadPageAsync(session, documents, unattached, cursor, limit, cancellationToken);
            (entries, nextCursor, more) = (page.Entries, page.Cursor, page.More);
        }

        var names = await NamesAsync(session, cancellationToken);
        var events = new List<EventDto>(entries.Count);
        Dictionary<long, (string? Document, int Events)>? shown = null;
        foreach (var entry in entries)
        {
            events.Add(Event(caller, entry, names));
            if (entry.ContributorId is { } of && of != caller.ContributorId)
            {
                (shown ??= []).TryAdd(of, (entry.Document, 0));
                shown[of] = (shown[of].Document == entry.Document ? entry.Document : null, shown[of].Events + 1);
            }
        }

        if (shown is not null)
        {
            await audit.RecordAsync(
                shown.OrderBy(s => names.GetValueOrDefault(s.Key), StringComparer.Ordinal)
                    .Select(s => new AuditEvent(AuditApiActor.Of(caller), AuditActions.Read, names.GetValueOrDefault(s.Key, $"#{s.Key}"), s.Value.Document, new { what = "events", events = s.Value.Events, after }))
                    .ToList(),
                cancellationToken);
        }

        return new EventListResponse(events, more && events.Count > 0 ? events[^1].Id : null, nextCursor, more);
    }

    /// <summary>
    /// The documents the caller may see, in the store's order. <paramref name="consent"/> is every contributor's
    /// current consent (<see cref="CurrentConsentAsync"/>), read once per request; needed for curators only.
    /// </summary>
    private static async Task<List<DocumentInfo>> VisibleDocumentsAsync(
        IStoreSession session, Caller caller, IReadOnlyDictionary<long, ConsentRecord?>? consent, DateOnly today, CancellationToken cancellationToken)
    {
        var documents = await session.ListDocumentsAsync(cancellationToken);
        if (caller.IsAdmin)
        {
            return documents.ToList();
        }

        if (caller.Role == Storage.ApiRole.Contributor)
        {
            // Their own (a revision or event in it), and those shared with them, unless a share row says otherwise.
            var me = caller.ContributorId!.Value;
            var own = (await session.ContributorDocumentsAsync(me, cancellationToken)).ToHashSet();
            var shares = caller.Shares.Select(s => s.Share.DocumentId).ToHashSet();
            var mine = new List<DocumentInfo>();
            foreach (var document in documents.Where(d => own.Contains(d.Id) || shares.Contains(d.Id)))
            {
                if (!shares.Contains(document.Id) || await DocumentSharing.AccessAsync(session, document.Id, me, cancellationToken) is not { } access || access.Readable)
                {
                    mine.Add(document);
                }
            }

            return mine;
        }

        ArgumentNullException.ThrowIfNull(consent);
        var visible = new List<DocumentInfo>();
        foreach (var document in documents)
        {
            var contributors = await session.DocumentContributorsAsync(document.Id, cancellationToken);
            if (contributors.All(id => ReleasedForCurators(consent.GetValueOrDefault(id), document.Source, today)))
            {
                visible.Add(document);
            }
        }

        return visible;
    }

    /// <summary>Every contributor's current consent (null: none recorded), read once for a request that filters many rows.</summary>
    private static async Task<Dictionary<long, ConsentRecord?>> CurrentConsentAsync(IStoreSession session, CancellationToken cancellationToken)
    {
        var consent = new Dictionary<long, ConsentRecord?>();
        foreach (var contributor in await session.ListContributorsAsync(cancellationToken))
        {
            var history = await session.ConsentHistoryAsync(contributor.Id, cancellationToken);
            consent[contributor.Id] = history.Count == 0 ? null : history[^1];
        }

        return consent;
    }

    /// <summary>Whether a curator may read data of <paramref name="source"/> under this (current) consent today.</summary>
    private static bool ReleasedForCurators(ConsentRecord? consent, SourceKind source, DateOnly today) =>
        ConsentGate.ReleaseRefusal(consent, source, CuratorReadUse, today) is null;

    /// <summary>Today (UTC) on the server's clock: the day consent and embargo are checked against.</summary>
    public DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    /// <summary>Logs a read of a document about each of its contributors other than the caller (nothing when there are none).</summary>
    public async Task LogDocumentReadAsync(IStoreSession session, Caller caller, DocumentInfo document, object detail, CancellationToken cancellationToken)
    {
        var others = (await session.DocumentContributorsAsync(document.Id, cancellationToken)).Where(id => id != caller.ContributorId).ToList();
        if (others.Count == 0)
        {
            return;
        }

        var names = await NamesAsync(session, cancellationToken);
        await audit.RecordAsync(
            others.Select(id => new AuditEvent(AuditApiActor.Of(caller), AuditActions.Read, names.GetValueOrDefault(id, $"#{id}"), document.Name, detail)).ToList(),
            cancellationToken);
    }

    /// <summary>The document, if it exists and the caller may see it; otherwise the same 404 either way.</summary>
    public static async Task<DocumentInfo> RequireVisibleAsync(IStoreSession session, Caller caller, string name, DateOnly today, CancellationToken cancellationToken)
    {
        var document = await DocumentNames.FindAsync(session, caller, name, cancellationToken);
        if (document is null || !await CanSeeAsync(session, caller, document, today, cancellationToken))
        {
            throw NotFound(name);
        }

        return document;
    }

    public static PlumblineException NotFound(string name) => PlumblineException.NotFound($"document: no document named '{name}'");

    /// <summary>
    /// Admins see every document; curators every document whose contributors' current consent all releases its
    /// source for research today (<see cref="CuratorReadUse"/>, embargo included); a contributor the documents
    /// they have a revision or an event in, and those shared with them — a share row (active or revoked) decides
    /// alone where there is one (<see cref="DocumentSharing"/>).
    /// </summary>
    public static async Task<bool> CanSeeAsync(IStoreSession session, Caller caller, DocumentInfo document, DateOnly today, CancellationToken cancellationToken)
    {
        if (caller.IsAdmin)
        {
            return true;
        }

        if (caller.Role == Storage.ApiRole.Contributor)
        {
            // A share row decides (DocumentSharing: active, and nobody else's text withheld); else a revision or event in it.
            var me = caller.ContributorId!.Value;
            return await DocumentSharing.AccessAsync(session, document.Id, me, cancellationToken) is { } access
                ? access.Readable
                : (await session.DocumentContributorsAsync(document.Id, cancellationToken)).Contains(me);
        }

        var contributors = await session.DocumentContributorsAsync(document.Id, cancellationToken);

        foreach (var id in contributors)
        {
            var consent = await session.ConsentHistoryAsync(id, cancellationToken);
            if (!ReleasedForCurators(consent.Count == 0 ? null : consent[^1], document.Source, today))
            {
                return false;
            }
        }

        return true;
    }

    public static DocumentDto Dto(Caller caller, DocumentInfo d) => new(
        DocumentNames.Shown(caller, d.Name),
        d.Source.Name(),
        d.Revisions,
        d.Patches,
        d.Length,
        DateTimeOffset.FromUnixTimeMilliseconds(d.CreatedAt),
        d.LastTime is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t) : null,
        DocumentNames.ShareOf(caller, d.Name) is { } shared ? new SharedWithMeDto(shared.OwnerName, DocumentSharing.RoleName(shared.Share.Role)) : null);

    private static async Task<Dictionary<long, string>> NamesAsync(IStoreSession session, CancellationToken cancellationToken) =>
        (await session.ListContributorsAsync(cancellationToken)).ToDictionary(c => c.Id, c => c.Name);

    private static EventDto Event(Caller caller, LogEntry entry, Dictionary<long, string> names)
    {
        JsonElement payload;
        if (entry.Patch is { } patch)
        {
            payload = entry.Kind == EventKind.Gap
                ? JsonSerializer.SerializeToElement(new { position = patch.Position, delete = patch.Delete, inserted_length = patch.InsertLength, withheld = true })
                : JsonSerializer.SerializeToElement(new { position = patch.Position, delete = patch.Delete, insert = patch.Insert });
        }
        else
        {
            using var parsed = JsonDocument.Parse(Git.GitImports.ShownPayload(caller, entry.Kind, entry.Payload) ?? "{}");
            payload = parsed.RootElement.Clone();
        }

        return new EventDto(
            entry.Id,
            entry.Kind.Name(),
            entry.Source.Name(),
            entry.ContributorId is { } c ? names.GetValueOrDefault(c) : null,
            DocumentNames.ShownOrNull(caller, entry.Document),
            entry.Revision,
            entry.PatchIndex,
            DateTimeOffset.FromUnixTimeMilliseconds(entry.Time),
            entry.ConsentVersion,
            payload);
    }
}
