using Microsoft.AspNetCore.Http.HttpResults;
using Plumbline.Core;
using Plumbline.Server.Access;
using Plumbline.Server.Audit;
using Plumbline.Server.Contracts;
using Plumbline.Storage;
using Plumbline.Storage.Audit;
using Plumbline.Storage.Sharing;

namespace Plumbline.Server.Documents;

/// <summary>
/// Sharing a document with a reviewer or an editor (<see cref="DocumentSharing"/> holds the rules). A caller who may
/// not see the document gets the same 404 as for a missing one; one who sees it but does not own it (a grantee, a
/// curator) gets 403. Grants and revocations are written to the audit log about the owner and about the grantee.
/// </summary>
internal static class SharesApi
{
    public static IEndpointRouteBuilder MapSharesApi(this IEndpointRouteBuilder app)
    {
        var shares = app.MapGroup("/api/documents/{name}/shares").WithTags("Documents").RequireAuthorization(Policies.Authenticated);
        shares.MapGet("/", ListShares).WithName("ListShares").WithSummary("Who the document is shared with (its owner or an admin)");
        shares.MapPost("/", Share).WithName("ShareDocument")
            .WithSummary("Share the document with a contributor as reviewer (read + comment) or editor (+ edit); again: change the role");
        shares.MapDelete("/{contributor}", Revoke).WithName("RevokeShare").WithSummary("Revoke a contributor's share; their access ends at once");
        return app;
    }

    private static async Task<Ok<ShareListResponse>> ListShares(string name, Caller caller, ITraceStore store, TimeProvider time, DataReads reads, CancellationToken ct)
    {
        var document = await RequireAsync(store, caller, name, reads, ct);
        var list = await new DocumentSharing(store, time).ListAsync(document, Actor(caller), ct);
        return TypedResults.Ok(new ShareListResponse(DocumentNames.Shown(caller, document.Name), list.Owner, list.Shares.Select(ShareDto.From).ToList()));
    }

    private static async Task<Ok<ShareDto>> Share(string name, ShareRequest request, Caller caller, ITraceStore store, TimeProvider time, DataReads reads, AuditLog audit, CancellationToken ct)
    {
        Validate.Name(request.Contributor, "$.contributor");
        var role = DocumentSharing.ParseRole(request.Role ?? "reviewer", "$.role");
        var document = await RequireAsync(store, caller, name, reads, ct);
        var view = await new DocumentSharing(store, time).GrantAsync(document, request.Contributor, role, Actor(caller), ct);
        await RecordAsync(audit, caller, document, view, "granted", ct);
        return TypedResults.Ok(ShareDto.From(view));
    }

    private static async Task<Ok<ShareDto>> Revoke(string name, string contributor, Caller caller, ITraceStore store, TimeProvider time, DataReads reads, AuditLog audit, CancellationToken ct)
    {
        var document = await RequireAsync(store, caller, name, reads, ct);
        var view = await new DocumentSharing(store, time).RevokeAsync(document, contributor, Actor(caller), ct);
        await RecordAsync(audit, caller, document, view, "revoked", ct);
        return TypedResults.Ok(ShareDto.From(view));
    }

    private static async Task<DocumentInfo> RequireAsync(ITraceStore store, Caller caller, string name, DataReads reads, CancellationToken ct)
    {
        await using var session = await store.OpenAsync(write: false, ct);
        return await DataReads.RequireVisibleAsync(session, caller, DocumentsApi.Name(name), reads.Today(), ct);
    }

    /// <summary>A contributor acts for themselves; an admin for the owner; a curator owns nothing (so is refused).</summary>
    private static ShareActor Actor(Caller caller) =>
        caller.IsAdmin ? ShareActor.Admin(AuditApiActor.Of(caller)) : new ShareActor(caller.ContributorName ?? AuditApiActor.Of(caller), caller.ContributorId, IsAdmin: false);

    private static Task RecordAsync(AuditLog audit, Caller caller, DocumentInfo document, ShareView view, string what, CancellationToken ct) =>
        audit.RecordAsync(AuditEvents.Shared(AuditApiActor.Of(caller), document.Name, view, what), ct);
}
