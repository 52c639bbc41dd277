using System.Text.Json;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Text;
using Plumbline.Server.Access;
using Plumbline.Server.Contracts;
using Plumbline.Storage;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Ingest;

namespace Plumbline.Server.Documents;

/// <summary>
/// Every read of recorded data through the API goes through this one class: who may see which document,
/// and what is returned. (The audit log of reads belongs here, so that no read path can miss it.)
/// A document another contributor owns answers exactly as a document that does not exist.
/// </summary>
internal sealed class DataReads(ITraceStore store)
{
    public async Task<DocumentListResponse> ListDocumentsAsync(Caller caller, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        return new DocumentListResponse((await VisibleDocumentsAsync(session, caller, cancellationToken)).Select(d => Dto(caller, d)).ToList());
    }

    public async Task<DocumentDto> GetDocumentAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        return Dto(caller, await RequireVisibleAsync(session, caller, name, cancellationToken));
    }

    public async Task<ReplayResponse> ReplayAsync(Caller caller, string name, int? revision, DateTimeOffset? time, CancellationToken cancellationToken)
    {
        if (revision is not null && time is not null)
        {
            throw PlumblineException.BadInput("revision and time: give one of them, not both");
        }

        await using var session = await store.OpenAsync(write: false, cancellationToken);
        var document = await RequireVisibleAsync(session, caller, name, cancellationToken);
        if (document.Source == SourceKind.Meetings)
        {
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

        var buffer = await DocumentReader.LoadAsync(session, document, at, cancellationToken);
        return new ReplayResponse(DocumentNames.Shown(caller, document.Name), at, document.Revisions, buffer.Length, buffer.ToString());
    }

    public async Task<CommentListResponse> CommentsAsync(Caller caller, string name, int? revision, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        var document = await RequireVisibleAsync(session, caller, name, cancellationToken);
        var at = revision ?? document.Revisions;
        if (at < 0 || at > document.Revisions)
        {
            throw PlumblineException.BadInput($"revision: document '{name}' has revisions 0 to {document.Revisions} (asked for {at})");
        }

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
    /// The event log in id order after <paramref name="after"/>, at most <paramref name="limit"/> entries: for a
    /// contributor, the events of their documents and their own events outside documents.
    /// </summary>
    public async Task<EventListResponse> EventsAsync(Caller caller, string? name, long after, int limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 100_000)
        {
            throw PlumblineException.BadInput($"limit: must be in 1..100000 (was {limit})");
        }

        await using var session = await store.OpenAsync(write: false, cancellationToken);
        IAsyncEnumerable<LogEntry> log;
        if (name is not null)
        {
            log = EventLog.ReadAsync(session, await RequireVisibleAsync(session, caller, name, cancellationToken), after, cancellationToken);
        }
        else if (caller.IsAdmin)
        {
            log = EventLog.ReadAsync(session, null, after, cancellationToken);
        }
        else
        {
            // Only the visible documents' streams are read at all; events outside documents: a curator's all, a contributor's own.
            var visible = await VisibleDocumentsAsync(session, caller, cancellationToken);
            log = EventLog.ReadAsync(session, visible, e => caller.ReadsAll || e.ContributorId == caller.ContributorId, after, cancellationToken);
        }

        var names = await NamesAsync(session, cancellationToken);
        var events = new List<EventDto>();
        long? next = null;
        await foreach (var entry in log)
        {
            if (events.Count == limit)
            {
                next = events[^1].Id;
                break;
            }

            events.Add(Event(caller, entry, names));
        }

        return new EventListResponse(events, next);
    }

    /// <summary>The documents the caller may see, in the store's order.</summary>
    private static async Task<List<DocumentInfo>> VisibleDocumentsAsync(IStoreSession session, Caller caller, CancellationToken cancellationToken)
    {
        var own = caller.Role == Storage.ApiRole.Contributor
            ? (await session.ContributorDocumentsAsync(caller.ContributorId!.Value, cancellationToken)).ToHashSet()
            : null;
        var visible = new List<DocumentInfo>();
        foreach (var document in await session.ListDocumentsAsync(cancellationToken))
        {
            if (own is null ? await CanSeeAsync(session, caller, document, cancellationToken) : own.Contains(document.Id))
            {
                visible.Add(document);
            }
        }

        return visible;
    }

    /// <summary>The document, if it exists and the caller may see it; otherwise the same 404 either way.</summary>
    public static async Task<DocumentInfo> RequireVisibleAsync(IStoreSession session, Caller caller, string name, CancellationToken cancellationToken)
    {
        var document = await DocumentNames.FindAsync(session, caller, name, cancellationToken);
        if (document is null || !await CanSeeAsync(session, caller, document, cancellationToken))
        {
            throw NotFound(name);
        }

        return document;
    }

    public static PlumblineException NotFound(string name) => PlumblineException.NotFound($"document: no document named '{name}'");

    /// <summary>
    /// Admins see every document; curators every document whose contributors all consent (now) to its source;
    /// a contributor the documents they have a revision or an event in.
    /// </summary>
    public static async Task<bool> CanSeeAsync(IStoreSession session, Caller caller, DocumentInfo document, CancellationToken cancellationToken)
    {
        if (caller.IsAdmin)
        {
            return true;
        }

        var contributors = await session.DocumentContributorsAsync(document.Id, cancellationToken);
        if (caller.Role == Storage.ApiRole.Contributor)
        {
            return contributors.Contains(caller.ContributorId!.Value);
        }

        foreach (var id in contributors)
        {
            var consent = await session.ConsentHistoryAsync(id, cancellationToken);
            if (consent.Count == 0 || !consent[^1].Terms.Covers(document.Source))
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
        d.LastTime is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t) : null);

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
            using var parsed = JsonDocument.Parse(entry.Payload ?? "{}");
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
