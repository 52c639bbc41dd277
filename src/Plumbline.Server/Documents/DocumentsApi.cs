using Microsoft.AspNetCore.Http.HttpResults;
using Plumbline.Server.Access;
using Plumbline.Server.Contracts;

namespace Plumbline.Server.Documents;

/// <summary>Documents: list, replay, edit batches, comments, and the event log.</summary>
internal static class DocumentsApi
{
    public static IEndpointRouteBuilder MapDocumentsApi(this IEndpointRouteBuilder app)
    {
        var documents = app.MapGroup("/api/documents").WithTags("Documents").RequireAuthorization(Policies.Authenticated);
        documents.MapGet("/", ListDocuments).WithName("ListDocuments").WithSummary("The documents the caller may see");
        documents.MapGet("/{name}", GetDocument).WithName("GetDocument").WithSummary("A document's revisions and length (a '/' in the name is sent as %2F)");
        documents.MapGet("/{name}/text", Replay).WithName("ReplayDocument").WithSummary("The exact text at a revision (default: the latest) or at a time");
        documents.MapPost("/{name}/batches", PostBatch).WithName("PostEditBatch").RequireAuthorization(Policies.Contributor)
            .WithSummary("Append edits in code points; a retried batch id is a no-op; a stale base_revision is a 409 naming the current revision");
        documents.MapGet("/{name}/comments", ListComments).WithName("ListComments").WithSummary("Comments anchored at a revision");
        documents.MapPost("/{name}/comments", AddComment).WithName("AddComment").RequireAuthorization(Policies.Contributor)
            .WithSummary("Comment on [start, end) in code points at the current revision");

        app.MapPost("/api/comments/{id:long}/resolve", ResolveComment).WithTags("Documents").WithName("ResolveComment")
            .RequireAuthorization(Policies.Contributor).WithSummary("Mark a comment resolved");
        app.MapGet("/api/events", ListEvents).WithTags("Documents").WithName("ListEvents").RequireAuthorization(Policies.Authenticated)
            .WithSummary("The event log (as plumb log --json), paged with an opaque cursor (or the legacy after id) and limit")
            .WithDescription(
                "Pass back the cursor of the previous page (none: from the start) to get every event exactly once, also while others write. " +
                "Order: id order within what committed between two reads; an event committed later can follow one with a higher id. " +
                "more: more events were already committed. after (legacy, exclusive with cursor): the events with an id above it, in id order; " +
                "exact on SQLite, may miss an event committed late on PostgreSQL.");
        return app;
    }

    /// <summary>Route values keep an encoded '/' as %2F (so that names like REPO/PATH fit one segment).</summary>
    public static string Name(string routeValue) => routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    private static async Task<Ok<DocumentListResponse>> ListDocuments(Caller caller, DataReads reads, CancellationToken ct) =>
        TypedResults.Ok(await reads.ListDocumentsAsync(caller, ct));

    private static async Task<Ok<DocumentDto>> GetDocument(string name, Caller caller, DataReads reads, CancellationToken ct) =>
        TypedResults.Ok(await reads.GetDocumentAsync(caller, Name(name), ct));

    private static async Task<Ok<ReplayResponse>> Replay(string name, int? revision, DateTimeOffset? time, Caller caller, DataReads reads, CancellationToken ct) =>
        TypedResults.Ok(await reads.ReplayAsync(caller, Name(name), revision, time, ct));

    private static async Task<Ok<EditBatchResponse>> PostBatch(string name, EditBatchRequest request, Caller caller, DataWrites writes, CancellationToken ct) =>
        TypedResults.Ok(await writes.PostBatchAsync(caller, Name(name), request, ct));

    private static async Task<Ok<CommentListResponse>> ListComments(string name, int? revision, Caller caller, DataReads reads, CancellationToken ct) =>
        TypedResults.Ok(await reads.CommentsAsync(caller, Name(name), revision, ct));

    private static async Task<Ok<EventResultResponse>> AddComment(string name, CommentRequest request, Caller caller, DataWrites writes, CancellationToken ct) =>
        TypedResults.Ok(await writes.AddCommentAsync(caller, Name(name), request, ct));

    private static async Task<Ok<EventResultResponse>> ResolveComment(long id, Caller caller, DataWrites writes, CancellationToken ct) =>
        TypedResults.Ok(await writes.ResolveCommentAsync(caller, id, ct));

    private static async Task<Ok<EventListResponse>> ListEvents(string? document, long? after, string? cursor, int? limit, Caller caller, DataReads reads, CancellationToken ct) =>
        TypedResults.Ok(await reads.EventsAsync(caller, document, after, cursor, limit ?? 1000, ct));
}
