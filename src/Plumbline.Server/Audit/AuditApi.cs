using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Plumbline.Core;
using Plumbline.Server.Access;
using Plumbline.Server.Contracts;
using Plumbline.Storage;
using Plumbline.Storage.Archive;
using Plumbline.Storage.Audit;

namespace Plumbline.Server.Audit;

/// <summary>
/// A contributor's view of the audit log and "export all my data": self or admin; anyone else (curators
/// included) gets the same 404 as for a contributor that does not exist.
/// </summary>
internal static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/contributors").WithTags("Audit").RequireAuthorization(Policies.Authenticated);
        group.MapGet("/{name}/audit", List).WithName("ListAuditEntries")
            .WithSummary("The audit entries about the contributor's data (who read or exported it, consent changes, withdrawals) and the log's head (self or admin)");
        group.MapGet("/{name}/archive", Archive).WithName("DownloadArchive")
            .WithSummary("Everything recorded about the contributor as one zip: events, documents replayed, consent history, pauses, terms, audit entries, manifest (self or admin)");
        return app;
    }

    private static async Task<Ok<AuditListResponse>> List(string name, Caller caller, ITraceStore store, AuditLog audit, CancellationToken ct)
    {
        var contributor = await RequireSelfOrAdminAsync(store, caller, name, ct);
        var entries = await audit.EntriesAboutAsync(contributor.Name, ct);
        var head = await audit.HeadAsync(ct);
        return TypedResults.Ok(new AuditListResponse(
            entries.Select(e => new AuditEntryDto(
                e.Seq,
                DateTimeOffset.FromUnixTimeMilliseconds(e.Time),
                e.Actor,
                e.Action,
                e.Contributor,
                e.Subject,
                JsonDocument.Parse(e.Detail).RootElement.Clone())).ToList(),
            new AuditHeadDto(head.Count, head.Hash)));
    }

    private static async Task<FileContentHttpResult> Archive(string name, Caller caller, ITraceStore store, AuditLog audit, TimeProvider time, CancellationToken ct)
    {
        var contributor = await RequireSelfOrAdminAsync(store, caller, name, ct);
        using var buffer = new MemoryStream();
        await new ContributorArchive(store, audit, time).WriteAsync(contributor.Name, buffer, AuditApiActor.Of(caller), ct);
        var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.File(buffer.ToArray(), "application/zip", $"plumbline-{contributor.Name}-{stamp}.zip");
    }

    private static async Task<Contributor> RequireSelfOrAdminAsync(ITraceStore store, Caller caller, string name, CancellationToken ct)
    {
        await using var session = await store.OpenAsync(write: false, ct);
        var contributor = await session.FindContributorAsync(name, ct);
        return contributor is not null && caller.MayManage(contributor)
            ? contributor
            : throw PlumblineException.NotFound($"contributor: no contributor named '{name}'");
    }
}

/// <summary>How an API caller is named in the audit log: <c>NAME (api token ID)</c> or <c>ROLE (api token ID)</c>.</summary>
internal static class AuditApiActor
{
    public static string Of(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.ContributorName is { } self
            ? $"{self} (api token {caller.TokenId})"
            : $"{Storage.Access.TokenService.RoleName(caller.Role)} (api token {caller.TokenId})";
    }
}
