using Microsoft.AspNetCore.Http.HttpResults;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Consent;
using Plumbline.Server.Access;
using Plumbline.Server.Contracts;
using Plumbline.Storage;
using Plumbline.Storage.Consent;

namespace Plumbline.Server.Contributors;

/// <summary>
/// Contributors, consent, pause and resume, own terms. Admins manage everyone; a contributor manages
/// only themselves (another contributor answers as one that does not exist); curators read.
/// </summary>
internal static class ContributorsApi
{
    public static IEndpointRouteBuilder MapContributorsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/contributors").WithTags("Contributors").RequireAuthorization(Policies.Authenticated);
        group.MapGet("/", List).WithName("ListContributors").WithSummary("Contributors with consent (a contributor sees only themselves)");
        group.MapPost("/", Add).WithName("AddContributor").RequireAuthorization(Policies.Admin).WithSummary("Add a contributor (admin)");
        group.MapGet("/{name}", Get).WithName("GetContributor").WithSummary("A contributor's consent history and pauses");
        group.MapPut("/{name}/consent", SetConsent).WithName("SetConsent").WithSummary("Record a new consent version (self or admin)");
        group.MapPost("/{name}/pause", Pause).WithName("PauseRecording").WithSummary("Pause recording (self or admin)");
        group.MapPost("/{name}/resume", Resume).WithName("ResumeRecording").WithSummary("Resume recording; the pause is logged as a gap (self or admin)");
        group.MapGet("/{name}/terms", Terms).WithName("ListTerms").WithSummary("The contributor's own terms, redacted as [TERM] (self or admin)");
        group.MapPost("/{name}/terms", AddTerms).WithName("AddTerms").WithSummary("Add own terms (self or admin)");
        group.MapDelete("/{name}/terms/{term}", RemoveTerm).WithName("RemoveTerm")
            .WithSummary("Remove one of the contributor's own terms (self or admin); removing one that is not there changes nothing");
        app.MapGet("/api/me", Me).WithTags("Contributors").WithName("GetMe").RequireAuthorization(Policies.Authenticated).WithSummary("Who the token speaks for");
        return app;
    }

    private static Ok<MeResponse> Me(Caller caller) =>
        TypedResults.Ok(new MeResponse(caller.TokenId, Storage.Access.TokenService.RoleName(caller.Role), caller.ContributorName));

    private static async Task<Ok<ContributorListResponse>> List(Caller caller, ContributorService contributors, CancellationToken ct)
    {
        var all = await contributors.ListAsync(ct);
        return TypedResults.Ok(new ContributorListResponse(all.Where(s => caller.ReadsAll || s.Contributor.Id == caller.ContributorId).Select(Dto).ToList()));
    }

    private static async Task<Created<ContributorDto>> Add(ContributorRequest request, ContributorService contributors, CancellationToken ct)
    {
        var added = await contributors.AddAsync(request.Name, ct);
        var status = await contributors.StatusAsync(added.Name, ct);
        return TypedResults.Created($"/api/contributors/{Uri.EscapeDataString(added.Name)}", Dto(status));
    }

    private static async Task<Ok<ContributorDto>> Get(string name, Caller caller, ITraceStore store, ContributorService contributors, CancellationToken ct)
    {
        await RequireAsync(store, caller, name, readOnly: true, ct);
        return TypedResults.Ok(Dto(await contributors.StatusAsync(name, ct)));
    }

    private static async Task<Ok<ContributorDto>> SetConsent(string name, ConsentRequest request, Caller caller, ITraceStore store, ContributorService contributors, Storage.Audit.AuditLog audit, CancellationToken ct)
    {
        var who = await RequireAsync(store, caller, name, readOnly: false, ct);
        var terms = new ConsentTerms(
            ConsentTerms.ParseSources(string.Join(',', request.Sources), "$.sources"),
            ConsentTerms.ParseUses(string.Join(',', request.Uses), "$.uses"),
            request.Embargo);
        Documents.Validate.Text(request.Statement, "$.statement");
        var record = await contributors.SetConsentAsync(name, terms, request.Statement, RecordedBy(caller), ct);
        await audit.RecordAsync(Storage.Audit.AuditEvents.ConsentChanged(Audit.AuditApiActor.Of(caller), who.Name, record), ct);
        return TypedResults.Ok(Dto(await contributors.StatusAsync(name, ct)));
    }

    private static async Task<Ok<ContributorDto>> Pause(string name, Caller caller, ITraceStore store, ContributorService contributors, CancellationToken ct)
    {
        await RequireAsync(store, caller, name, readOnly: false, ct);
        await contributors.PauseAsync(name, ct);
        return TypedResults.Ok(Dto(await contributors.StatusAsync(name, ct)));
    }

    private static async Task<Ok<ContributorDto>> Resume(string name, Caller caller, ITraceStore store, ContributorService contributors, CancellationToken ct)
    {
        await RequireAsync(store, caller, name, readOnly: false, ct);
        await contributors.ResumeAsync(name, ct);
        return TypedResults.Ok(Dto(await contributors.StatusAsync(name, ct)));
    }

    private static async Task<Ok<TermsResponse>> Terms(string name, Caller caller, ITraceStore store, ContributorService contributors, CancellationToken ct)
    {
        var who = await RequireAsync(store, caller, name, readOnly: false, ct);
        return TypedResults.Ok(new TermsResponse(who.Name, await contributors.TermsAsync(name, ct)));
    }

    private static async Task<Ok<TermsResponse>> AddTerms(string name, TermsRequest request, Caller caller, ITraceStore store, ContributorService contributors, CancellationToken ct)
    {
        var who = await RequireAsync(store, caller, name, readOnly: false, ct);
        foreach (var (term, i) in request.Terms.Select((t, i) => (t, i)))
        {
            Documents.Validate.Text(term, $"$.terms[{i}]");
        }

        return TypedResults.Ok(new TermsResponse(who.Name, await contributors.AddTermsAsync(name, request.Terms, ct)));
    }

    private static async Task<Ok<TermsResponse>> RemoveTerm(string name, string term, Caller caller, ITraceStore store, ContributorService contributors, CancellationToken ct)
    {
        var who = await RequireAsync(store, caller, name, readOnly: false, ct);
        term = Documents.DocumentsApi.Name(term);
        Documents.Validate.Text(term, "term");
        return TypedResults.Ok(new TermsResponse(who.Name, await contributors.RemoveTermsAsync(name, [term], ct)));
    }

    /// <summary>The contributor, if the caller may see (or with <paramref name="readOnly"/> false, manage) them; else the same 404 as for nobody.</summary>
    internal static async Task<Contributor> RequireAsync(ITraceStore store, Caller caller, string name, bool readOnly, CancellationToken ct)
    {
        await using var session = await store.OpenAsync(write: false, ct);
        var contributor = await session.FindContributorAsync(name, ct);
        if (contributor is null || !(caller.MayManage(contributor) || (readOnly && caller.ReadsAll)))
        {
            throw PlumblineException.NotFound($"contributor: no contributor named '{name}'");
        }

        if (!readOnly && caller.Role == ApiRole.Curator)
        {
            throw PlumblineException.Refused("only the contributor themselves or an admin may change this");
        }

        return contributor;
    }

    internal static string RecordedBy(Caller caller) =>
        caller.ContributorName is { } self ? $"{self} (api token {caller.TokenId})" : $"{Storage.Access.TokenService.RoleName(caller.Role)} (api token {caller.TokenId})";

    public static ContributorDto Dto(ContributorStatus status) => new(
        status.Contributor.Id,
        status.Contributor.Name,
        DateTimeOffset.FromUnixTimeMilliseconds(status.Contributor.CreatedAt),
        status.Current is { } current ? Consent(current) : null,
        status.History.Select(Consent).ToList(),
        status.Pauses.Select(p => new PauseDto(DateTimeOffset.FromUnixTimeMilliseconds(p.Start), p.End is { } e ? DateTimeOffset.FromUnixTimeMilliseconds(e) : null)).ToList(),
        status.Paused);

    private static ConsentDto Consent(ConsentRecord r) => new(
        r.Version,
        r.Terms.Sources.Order().Select(s => s.Name()).ToList(),
        r.Terms.Uses.Order().Select(ConsentTerms.Name).ToList(),
        r.Terms.Embargo,
        r.StatementSha256,
        r.RecordedBy,
        DateTimeOffset.FromUnixTimeMilliseconds(r.RecordedAt));
}
