using Microsoft.AspNetCore.Http.HttpResults;
using Plumbline.Core;
using Plumbline.Core.Consent;
using Plumbline.Server.Access;
using Plumbline.Server.Contracts;
using Plumbline.Storage;
using Plumbline.Storage.Export;

namespace Plumbline.Server.Exports;

/// <summary>Exports by consent (curators and admins): the same release rules as <c>plumb export traces</c>.</summary>
internal static class ExportsApi
{
    public static IEndpointRouteBuilder MapExportsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/exports/traces", ExportTraces).WithTags("Exports").WithName("ExportTraces").RequireAuthorization(Policies.Curator)
            .WithSummary("Every document consent releases for the use, in the editing-traces JSONL format (curator or admin)");
        return app;
    }

    private static async Task<Ok<ExportResponse>> ExportTraces(ExportRequest request, Caller caller, ITraceStore store, TimeProvider time, Storage.Audit.AuditLog audit, CancellationToken ct)
    {
        if (!ConsentTerms.TryParseUse(request.Use, out var use))
        {
            throw PlumblineException.BadInput($"$.use: '{request.Use}' is not one of research, training, public");
        }

        var folder = Directory.CreateTempSubdirectory("plumbline-export-");
        try
        {
            var result = await new TraceExporter(store, time, audit, Audit.AuditApiActor.Of(caller)).ExportAsync(use, Path.Combine(folder.FullName, "export.jsonl"), ct);
            var jsonl = await File.ReadAllTextAsync(result.Path, ct);
            return TypedResults.Ok(new ExportResponse(
                result.Use,
                result.Documents,
                result.Transactions,
                result.CommentsWithheld,
                result.Excluded.Select(e => new ExcludedDto(e.Document, e.Reasons)).ToList(),
                jsonl,
                result.AuditHead));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
