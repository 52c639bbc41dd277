using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.FileProviders;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Server.Access;
using Plumbline.Server.Contracts;
using Plumbline.Server.Documents;
using Plumbline.Storage;
using Plumbline.Storage.Access;
using Plumbline.Storage.Documents;

namespace Plumbline.Server.Ui;

/// <summary>
/// What the web UI needs beyond the API: cookie sign-in, the history of a document for the timeline
/// slider, the recorded exports, and the static front-end (built by the Plumbline.Server project into <c>ui/</c>).
/// </summary>
internal static class UiApi
{
    /// <summary>The folder beside the server's assembly that holds the bundled front-end.</summary>
    public static string Root => Path.Combine(AppContext.BaseDirectory, "ui");

    /// <summary>Serves <c>/</c> and the static files (no token needed: the pages hold no data; every read goes through the API).</summary>
    public static WebApplication UseUiFiles(this WebApplication app)
    {
        if (Directory.Exists(Root))
        {
            var files = new PhysicalFileProvider(Root);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "no-cache",
            });
        }

        return app;
    }

    public static IEndpointRouteBuilder MapUiApi(this IEndpointRouteBuilder app)
    {
        // Every page of the single-page app answers with its shell; the script routes on the path.
        app.MapGet("/app/{**path}", () => File.Exists(Path.Combine(Root, "index.html"))
                ? Results.File(Path.Combine(Root, "index.html"), "text/html; charset=utf-8")
                : Results.Problem(statusCode: 404, detail: "the web UI was not built into this server (ui/index.html is missing)"))
            .AllowAnonymous().ExcludeFromDescription();

        var session = app.MapGroup("/api/session").WithTags("Session");
        session.MapPost("/", SignIn).AllowAnonymous().WithName("SignIn")
            .WithSummary("Sign in with an API token: sets an HttpOnly SameSite=Strict cookie (Secure over https); later requests with the cookie send X-Plumbline: 1 when they change anything");
        session.MapDelete("/", SignOut).AllowAnonymous().WithName("SignOut").WithSummary("Sign out: clears the cookie");

        app.MapGet("/api/documents/{name}/history", History).WithTags("Documents").WithName("DocumentHistory").RequireAuthorization(Policies.Authenticated)
            .WithSummary("Every revision at once (time, contributor, patches in code points), the comments with the revision they were made at, and the gaps; for long documents use history/timeline and history/revisions");
        app.MapHistoryApi();
        app.MapGet("/api/exports", Exports).WithTags("Exports").WithName("ListExports").RequireAuthorization(Policies.Curator)
            .WithSummary("The dataset builds recorded in the store, with their manifests (curator or admin)");
        return app;
    }

    private static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> SignIn(SessionRequest request, HttpContext http, TokenService tokens, CancellationToken ct)
    {
        var principal = await tokens.VerifyAsync(request.Token.Trim(), ct);
        if (principal is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                detail: "$.token: the token is not valid (unknown, malformed or revoked)",
                extensions: new Dictionary<string, object?> { ["kind"] = "unauthorized" });
        }

        http.Response.Cookies.Append(SessionCookie.Name, request.Token.Trim(), SessionCookie.Options(http.Request));
        return TypedResults.Ok(new MeResponse(principal.TokenId, TokenService.RoleName(principal.Role), principal.ContributorName));
    }

    private static NoContent SignOut(HttpContext http)
    {
        http.Response.Cookies.Delete(SessionCookie.Name, SessionCookie.Options(http.Request));
        return TypedResults.NoContent();
    }

    private static async Task<Ok<HistoryResponse>> History(string name, Caller caller, ITraceStore store, DataReads reads, CancellationToken ct)
    {
        await using var session = await store.OpenAsync(write: false, ct);
        var document = await DataReads.RequireVisibleAsync(session, caller, DocumentsApi.Name(name), reads.Today(), ct);
        await reads.LogDocumentReadAsync(session, caller, document, new { what = "history" }, ct);
        var names = (await session.ListContributorsAsync(ct)).ToDictionary(c => c.Id, c => c.Name);
        var start = await session.StartContentAsync(document.Id, ct);
        var revisions = new List<HistoryRevisionDto>(document.Revisions);
        await foreach (var r in DocumentReader.RevisionsAsync(session, document, 1, document.Revisions, ct))
        {
            revisions.Add(HistoryApi.Revision(r, names));
        }

        var events = await session.EventsAsync(document.Id, ct);
        var resolvedAt = new Dictionary<long, int>();
        foreach (var e in events.Where(e => e.Kind == EventKind.CommentResolved))
        {
            using var payload = JsonDocument.Parse(e.Payload);
            if (payload.RootElement.TryGetProperty("comment", out var id) && id.TryGetInt64(out var comment))
            {
                resolvedAt[comment] = e.Revision ?? document.Revisions;
            }
        }

        var gaps = HistoryApi.Gaps(events);
        var comments = (await CommentReader.AtRevisionAsync(session, document, document.Revisions, ct))
            .Select(c => new HistoryCommentDto(
                c.Id,
                c.AuthorId is { } a ? names.GetValueOrDefault(a) : null,
                c.Text,
                DateTimeOffset.FromUnixTimeMilliseconds(c.Time),
                c.CreatedAtRevision,
                c.CreatedRange.Start,
                c.CreatedRange.End,
                c.Quote,
                c.Resolved,
                c.ResolvedBy is { } r ? names.GetValueOrDefault(r) : null,
                resolvedAt.TryGetValue(c.Id, out var at) ? at : null))
            .ToList();
        var contributors = revisions.Select(r => r.Contributor).Concat(comments.Select(c => c.Author))
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new HistoryResponse(DocumentNames.Shown(caller, document.Name), document.Source.Name(), document.Revisions, start, contributors, revisions, comments, gaps));
    }

    private static async Task<Ok<ExportRecordListResponse>> Exports(ITraceStore store, CancellationToken ct)
    {
        await using var session = await store.OpenAsync(write: false, ct);
        var names = (await session.ListContributorsAsync(ct)).ToDictionary(c => c.Id, c => c.Name);
        var list = new List<ExportRecordDto>();
        foreach (var e in await session.ExportsAsync(null, ct))
        {
            var used = await session.ExportContributorsAsync(e.Id, ct);
            list.Add(new ExportRecordDto(
                e.Id,
                e.Kind,
                e.Use,
                DateTimeOffset.FromUnixTimeMilliseconds(e.CreatedAt),
                e.Path,
                e.Examples,
                e.ManifestSha256,
                e.ProvenanceSha256,
                ParseOrNull(e.Parameters),
                ReadManifest(e.Path),
                used.Select(u => names.GetValueOrDefault(u.ContributorId) ?? $"#{u.ContributorId}").Distinct(StringComparer.Ordinal).ToList()));
        }

        return TypedResults.Ok(new ExportRecordListResponse(list));
    }

    private static JsonElement? ParseOrNull(string json)
    {
        try
        {
            using var parsed = JsonDocument.Parse(json);
            return parsed.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The manifest.json of a dataset folder, while it is still on this server's disk (null once moved or deleted).</summary>
    private static JsonElement? ReadManifest(string folder)
    {
        try
        {
            var path = Path.Combine(folder, "manifest.json");
            return File.Exists(path) ? ParseOrNull(File.ReadAllText(path)) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>The sign-in cookie: the token itself, verified against the store on every request like a bearer token.</summary>
internal static class SessionCookie
{
    public const string Name = "plumbline_session";

    /// <summary>The header a cookie-signed request must carry to change anything (a cross-site form cannot set it).</summary>
    public const string CsrfHeader = "X-Plumbline";

    public static CookieOptions Options(HttpRequest request) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = "/",
        IsEssential = true,
    };
}
