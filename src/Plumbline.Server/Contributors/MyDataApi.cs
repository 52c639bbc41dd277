using Microsoft.AspNetCore.Http.HttpResults;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Datasets;
using Plumbline.Server.Access;
using Plumbline.Server.Contracts;
using Plumbline.Storage;
using Plumbline.Storage.Review;
using Plumbline.Storage.Withdrawal;

namespace Plumbline.Server.Contributors;

/// <summary>
/// A contributor's control over what is recorded about them: the counts (summary), redaction of their own text
/// (review before release) and withdrawal. Self or admin (a curator may read the summary); another contributor
/// answers as one that does not exist.
/// </summary>
internal static class MyDataApi
{
    public static IEndpointRouteBuilder MapMyDataApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/contributors").WithTags("My data").RequireAuthorization(Policies.Authenticated);
        group.MapGet("/{name}/summary", Summary).WithName("GetContributorSummary").WithSummary("What is recorded about the contributor: counts by source and by day, paused or not (self, curator or admin)");
        group.MapPost("/{name}/withdraw", Withdraw).WithName("Withdraw").WithSummary("Delete the contributor's recorded events (optionally of one source); confirm must equal the name (self or admin)");
        group.MapPost("/{name}/redactions", Redact).WithName("Redact").WithSummary("Redact own text in every revision: a span of a document's latest revision, or a time range (self or admin)");
        group.MapGet("/{name}/redactions", Redactions).WithName("ListRedactions").WithSummary("The contributor's own redactions: who, when, which range, never the text (self or admin)");
        return app;
    }

    private static async Task<Ok<ContributorSummaryResponse>> Summary(string name, Caller caller, ITraceStore store, Storage.Audit.AuditLog audit, CancellationToken ct)
    {
        var who = await ContributorsApi.RequireAsync(store, caller, name, readOnly: true, ct);
        var summary = await new ContributorSummary(store).ForAsync(who.Name, ct);
        if (who.Id != caller.ContributorId)
        {
            await audit.RecordAsync([new Storage.Audit.AuditEvent(Audit.AuditApiActor.Of(caller), Storage.Audit.AuditActions.Read, who.Name, null, new { what = "summary" })], ct);
        }

        return TypedResults.Ok(new ContributorSummaryResponse(
            who.Name,
            summary.Paused,
            summary.Sources.Select(s => new SourceSummaryDto(s.Source.Name(), s.Events, s.Documents, Time(s.First), Time(s.Last))).ToList(),
            summary.Days.Select(d => new DaySummaryDto(d.Day, d.Source.Name(), d.Events)).ToList()));
    }

    private static async Task<Ok<WithdrawResponse>> Withdraw(string name, WithdrawRequest request, Caller caller, ITraceStore store, TimeProvider time, Storage.Audit.AuditLog audit, CancellationToken ct)
    {
        var who = await ContributorsApi.RequireAsync(store, caller, name, readOnly: false, ct);
        if (!string.Equals(request.Confirm, who.Name, StringComparison.Ordinal))
        {
            throw PlumblineException.BadInput($"$.confirm: must be exactly the contributor's name '{who.Name}' to confirm the withdrawal; nothing was withdrawn");
        }

        var source = ParseSource(request.Source, "$.source");
        var result = await new ContributorWithdrawal(store, time).WithdrawAsync(who.Name, source, ContributorsApi.RecordedBy(caller), ct);
        await audit.RecordAsync(Storage.Audit.AuditEvents.Withdrew(Audit.AuditApiActor.Of(caller), result), ct);
        var exports = result.ExportsTouched
            .Select(e => (IsDataset: IsDatasetKind(e.Kind), Dto: new AffectedExportDto(e.Id, e.Kind, e.Use, e.Path, e.Examples, Time(e.CreatedAt))))
            .ToList();
        return TypedResults.Ok(new WithdrawResponse(
            result.Id,
            result.Contributor,
            result.Source,
            result.EditEvents + result.RowEvents,
            result.EditEvents,
            result.RowEvents,
            result.DocumentsDeleted,
            result.DocumentsMasked,
            exports.Where(e => !e.IsDataset).Select(e => e.Dto).ToList(),
            exports.Where(e => e.IsDataset).Select(e => e.Dto).ToList()));
    }

    private static async Task<Ok<RedactionResponse>> Redact(string name, RedactionRequest request, Caller caller, ITraceStore store, TimeProvider time, CancellationToken ct)
    {
        var who = await ContributorsApi.RequireAsync(store, caller, name, readOnly: false, ct);
        var redaction = new ReviewRedaction(store, time);
        var span = request.Document is not null || request.Start is not null || request.End is not null;
        var range = request.From is not null || request.To is not null || request.Source is not null;
        ReviewRedactionResult result;
        if (span && range)
        {
            throw PlumblineException.BadInput("$: give either document, start and end (a span) or from and to (a time range), not both; nothing was changed");
        }

        if (span)
        {
            var document = request.Document ?? throw PlumblineException.BadInput("$.document: required for a span (with start and end); nothing was changed");
            var start = request.Start ?? throw PlumblineException.BadInput("$.start: required for a span (code points at the latest revision); nothing was changed");
            var end = request.End ?? throw PlumblineException.BadInput("$.end: required for a span (code points at the latest revision); nothing was changed");
            await RequireReadableAsync(store, caller, document, ct);
            result = await redaction.RedactSpanAsync(who.Name, document, start, end, ContributorsApi.RecordedBy(caller), ct);
        }
        else if (range)
        {
            var from = request.From ?? throw PlumblineException.BadInput("$.from: required for a time range (ISO-8601); nothing was changed");
            var to = request.To ?? throw PlumblineException.BadInput("$.to: required for a time range (ISO-8601); nothing was changed");
            result = await redaction.RedactRangeAsync(who.Name, from, to, ParseSource(request.Source, "$.source"), ContributorsApi.RecordedBy(caller), ct);
        }
        else
        {
            throw PlumblineException.BadInput("$: give document, start and end (a span) or from and to (a time range); nothing was changed");
        }

        return TypedResults.Ok(new RedactionResponse(result.Id, result.EventsRewritten, result.RevisionsAffected, result.Documents));
    }

    private static async Task<Ok<RedactionListResponse>> Redactions(string name, Caller caller, ITraceStore store, TimeProvider time, CancellationToken ct)
    {
        var who = await ContributorsApi.RequireAsync(store, caller, name, readOnly: false, ct);
        var (_, list) = await new ReviewRedaction(store, time).ListAsync(who.Name, ct);
        return TypedResults.Ok(new RedactionListResponse(who.Name, list.Select(RedactionDto.Of).ToList()));
    }

    /// <summary>A document the caller may not read answers as one that does not exist (its authors are not revealed).</summary>
    private static async Task RequireReadableAsync(ITraceStore store, Caller caller, string document, CancellationToken ct)
    {
        if (caller.IsAdmin)
        {
            return;
        }

        await using var session = await store.OpenAsync(write: false, ct);
        var info = await session.FindDocumentAsync(document, ct);
        if (info is null || !(await session.DocumentContributorsAsync(info.Id, ct)).Contains(caller.ContributorId ?? -1))
        {
            throw PlumblineException.NotFound($"DOC: there is no document named '{document}' (plumb docs lists them)");
        }
    }

    private static SourceKind? ParseSource(string? name, string field) =>
        name is null ? null
        : EventNames.TryParseSource(name, out var source) ? source
        : throw PlumblineException.BadInput($"{field}: '{name}' is not one of documents, code, meetings, commentary, keystrokes");

    private static bool IsDatasetKind(string kind) => Enum.GetValues<DatasetKind>().Any(k => k.Name() == kind);

    private static DateTimeOffset Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
}
