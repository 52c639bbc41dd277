using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Server.Access;
using Plumbline.Server.Contracts;
using Plumbline.Server.Documents;
using Plumbline.Storage;
using Plumbline.Storage.Access;
using Plumbline.Storage.Documents;
using Plumbline.Storage.History;

namespace Plumbline.Server.Ui;

/// <summary>
/// The history of a document in pieces that stay small however long it is: a timeline (size, time span, author
/// bands, downsampled activity, comments, gaps) and windows of at most <see cref="MaxWindow"/> revisions that start
/// from the exact text at their base revision, read from the nearest snapshot. Same access rules as every read of a
/// document: 404 for a document the caller may not see, and a read by someone else is audited.
/// </summary>
internal static class HistoryApi
{
    /// <summary>The most revisions one window may hold.</summary>
    public const int MaxWindow = 5000;

    /// <summary>The window size when <c>count</c> is not given.</summary>
    public const int DefaultWindow = 1000;

    /// <summary>The most activity buckets a timeline holds.</summary>
    public const int ActivityBuckets = 400;

    /// <summary>The most author bands a timeline holds before they are taken from the activity buckets instead.</summary>
    public const int MaxBands = 1000;

    public static IEndpointRouteBuilder MapHistoryApi(this IEndpointRouteBuilder app)
    {
        var history = app.MapGroup("/api/documents/{name}/history").WithTags("Documents").RequireAuthorization(Policies.Authenticated);
        history.MapGet("/timeline", Timeline).WithName("DocumentHistoryTimeline")
            .WithSummary("The history at a glance for a timeline: revisions, time span, author bands, activity in at most 400 buckets, comments (quoted as made) and gaps; no patches");
        history.MapGet("/revisions", Window).WithName("DocumentHistoryWindow")
            .WithSummary("Revisions from..from+count-1 (count at most 5000, default 1000) with time, contributor and patches, after the exact text at from-1 and who typed it");
        return app;
    }

    private static async Task<Ok<HistoryTimelineResponse>> Timeline(string name, Caller caller, ITraceStore store, DataReads reads, CancellationToken ct)
    {
        await using var session = await store.OpenAsync(write: false, ct);
        var document = await DataReads.RequireVisibleAsync(session, caller, DocumentsApi.Name(name), reads.Today(), ct);
        await reads.LogDocumentReadAsync(session, caller, document, new { what = "history timeline" }, ct);
        var names = (await session.ListContributorsAsync(ct)).ToDictionary(c => c.Id, c => c.Name);
        string? NameOf(long? id) => id is { } i ? names.GetValueOrDefault(i) : null;

        var timeline = await HistoryReader.TimelineAsync(session, document, ActivityBuckets, MaxBands, ct);
        var events = await session.EventsAsync(document.Id, ct);
        var comments = (await HistoryReader.CommentsAsync(session, document, events, ct))
            .Select(c => new HistoryCommentDto(
                c.Id,
                NameOf(c.AuthorId),
                c.Text,
                Time(c.Time),
                c.Revision,
                c.Start,
                c.End,
                c.Quote,
                c.ResolvedAtRevision is not null,
                NameOf(c.ResolvedBy),
                c.ResolvedAtRevision))
            .ToList();
        var gaps = Gaps(events);
        var contributors = timeline.Bands.Select(b => NameOf(b.ContributorId)).Concat(comments.Select(c => c.Author))
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new HistoryTimelineResponse(
            DocumentNames.Shown(caller, document.Name),
            document.Source.Name(),
            document.Revisions,
            document.Length,
            timeline.FirstTime is { } first ? Time(first) : null,
            timeline.LastTime is { } last ? Time(last) : null,
            contributors,
            timeline.Bands.Select(b => new HistoryBandDto(b.From, b.To, NameOf(b.ContributorId))).ToList(),
            timeline.Activity.Select(a => new HistoryActivityDto(a.From, a.To, Time(a.FirstTime), Time(a.LastTime), a.Inserted, a.Deleted, NameOf(a.ContributorId))).ToList(),
            comments,
            gaps,
            MaxWindow));
    }

    private static async Task<Ok<HistoryWindowResponse>> Window(string name, int? from, int? count, Caller caller, ITraceStore store, DataReads reads, CancellationToken ct)
    {
        var size = count ?? DefaultWindow;
        if (size is < 0 or > MaxWindow)
        {
            throw PlumblineException.BadInput($"count: a window holds 0 to {MaxWindow} revisions (asked for {size})");
        }

        await using var session = await store.OpenAsync(write: false, ct);
        var document = await DataReads.RequireVisibleAsync(session, caller, DocumentsApi.Name(name), reads.Today(), ct);
        var start = from ?? 1;
        if (start < 1 || start > document.Revisions + 1)
        {
            throw PlumblineException.BadInput($"from: document '{DocumentNames.Shown(caller, document.Name)}' has revisions 1 to {document.Revisions}; a window starts at 1 to {document.Revisions + 1} (asked for {start})");
        }

        var end = (int)Math.Min((long)start + size - 1, document.Revisions);
        await reads.LogDocumentReadAsync(session, caller, document, new { what = "history", from = start, to = end }, ct);
        var names = (await session.ListContributorsAsync(ct)).ToDictionary(c => c.Id, c => c.Name);
        string? NameOf(long? id) => id is { } i ? names.GetValueOrDefault(i) : null;

        var text = await DocumentReader.LoadAsync(session, document, start - 1, ct);
        var authors = await HistoryReader.AuthorsAtAsync(session, document, start - 1, text.Length, ct);
        var revisions = new List<HistoryRevisionDto>(Math.Max(0, end - start + 1));
        if (end >= start)
        {
            await foreach (var r in DocumentReader.RevisionsAsync(session, document, start, end, ct))
            {
                revisions.Add(Revision(r, names));
            }
        }

        return TypedResults.Ok(new HistoryWindowResponse(
            DocumentNames.Shown(caller, document.Name),
            document.Revisions,
            start,
            end,
            start - 1,
            text.ToString(),
            authors.Select(a => new HistoryAuthorRunDto(NameOf(a.ContributorId), a.Withheld, a.Length)).ToList(),
            revisions));
    }

    private static DateTimeOffset Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    /// <summary>A stored revision as the history answers show it: time, contributor, kind and patches in code points.</summary>
    internal static HistoryRevisionDto Revision(StoredRevision r, IReadOnlyDictionary<long, string> names) => new(
        r.Revision,
        Time(r.Time),
        r.ContributorId is { } c ? names.GetValueOrDefault(c) : null,
        r.Kind == RevisionKind.Gap ? "gap" : "edit",
        r.Patches.Select(p => new PatchDto(p.Position, p.Delete, p.Insert)).ToList());

    /// <summary>The gaps among a document's row events: withheld runs stored only as their net length change.</summary>
    internal static List<HistoryGapDto> Gaps(IReadOnlyList<StoredEvent> events)
    {
        var gaps = new List<HistoryGapDto>();
        foreach (var e in events.Where(e => e.Kind == EventKind.Gap))
        {
            using var payload = JsonDocument.Parse(e.Payload);
            var root = payload.RootElement;
            gaps.Add(new HistoryGapDto(
                e.Revision ?? 0,
                root.TryGetProperty("reason", out var reason) ? reason.GetString() ?? "" : "",
                Time(root.TryGetProperty("from", out var f) ? f.GetInt64() : e.Time),
                Time(root.TryGetProperty("to", out var t) ? t.GetInt64() : e.Time),
                root.TryGetProperty("transactions", out var n) ? n.GetInt32() : 0));
        }

        return gaps;
    }
}
