using Microsoft.AspNetCore.Http.HttpResults;
using Plumbline.Core;
using Plumbline.Server.Contracts;
using Plumbline.Storage.Access;

namespace Plumbline.Server.Access;

/// <summary>Token management (admins). A token's secret is in the response that creates it, and nowhere else.</summary>
internal static class TokensApi
{
    public static IEndpointRouteBuilder MapTokensApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tokens").WithTags("Tokens").RequireAuthorization(Policies.Admin);
        group.MapGet("/", List).WithName("ListTokens").WithSummary("Every token (never a secret)");
        group.MapPost("/", Create).WithName("CreateToken").WithSummary("A new token; its secret is shown once");
        group.MapDelete("/{id:long}", Revoke).WithName("RevokeToken").WithSummary("Revoke a token at once");
        return app;
    }

    private static async Task<Ok<TokenListResponse>> List(TokenService tokens, CancellationToken ct) =>
        TypedResults.Ok(new TokenListResponse((await tokens.ListAsync(ct)).Select(Dto).ToList()));

    private static async Task<Created<TokenCreatedResponse>> Create(TokenRequest request, Caller caller, TokenService tokens, CancellationToken ct)
    {
        if (!TokenService.TryParseRole(request.Role, out var role))
        {
            throw PlumblineException.BadInput($"$.role: '{request.Role}' is not one of contributor, curator, admin");
        }

        var issued = await tokens.CreateAsync(role, request.Contributor, request.Label, $"admin (api token {caller.TokenId})", ct);
        var dto = new TokenDto(issued.Token.Id, TokenService.RoleName(role), issued.ContributorName, issued.Token.Label, issued.Token.CreatedBy, DateTimeOffset.FromUnixTimeMilliseconds(issued.Token.CreatedAt), null);
        return TypedResults.Created($"/api/tokens/{issued.Token.Id}", new TokenCreatedResponse(dto, issued.Secret));
    }

    private static async Task<NoContent> Revoke(long id, TokenService tokens, CancellationToken ct)
    {
        await tokens.RevokeAsync(id, ct);
        return TypedResults.NoContent();
    }

    public static TokenDto Dto(TokenInfo t) => new(
        t.Id,
        TokenService.RoleName(t.Role),
        t.Contributor,
        t.Label,
        t.CreatedBy,
        DateTimeOffset.FromUnixTimeMilliseconds(t.CreatedAt),
        t.RevokedAt is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null);
}
