using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Plumbline.Storage;
using Plumbline.Storage.Access;

namespace Plumbline.Server.Access;

/// <summary>
/// <c>Authorization: Bearer plb_…</c>: the token is verified against the store on every request, so a
/// revocation holds at once, in every server process sharing the store.
/// </summary>
internal sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TokenService tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        string token;
        if (header.Length > 0)
        {
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return AuthenticateResult.Fail("the Authorization header is not 'Bearer TOKEN'");
            }

            token = header["Bearer ".Length..].Trim();
        }
        else if (Request.Cookies.TryGetValue(Ui.SessionCookie.Name, out var cookie) && cookie.Length > 0)
        {
            // The browser's sign-in. A request that changes anything must also carry the custom header, which
            // a page of another origin cannot add without a CORS preflight this server never grants (no CSRF).
            if (!HttpMethods.IsGet(Request.Method) && !HttpMethods.IsHead(Request.Method) && !HttpMethods.IsOptions(Request.Method)
                && Request.Headers[Ui.SessionCookie.CsrfHeader].ToString() != "1")
            {
                return AuthenticateResult.Fail($"a request signed in by cookie that changes anything must send the header {Ui.SessionCookie.CsrfHeader}: 1");
            }

            token = cookie;
        }
        else
        {
            return AuthenticateResult.NoResult();
        }

        var principal = await tokens.VerifyAsync(token, Context.RequestAborted);
        if (principal is null)
        {
            return AuthenticateResult.Fail("the token is not valid (unknown, malformed or revoked)");
        }

        var claims = new List<Claim>
        {
            new(Caller.TokenClaim, principal.TokenId.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Role, TokenService.RoleName(principal.Role)),
        };
        if (principal.ContributorId is { } id)
        {
            claims.Add(new Claim(Caller.ContributorIdClaim, id.ToString(CultureInfo.InvariantCulture)));
            claims.Add(new Claim(ClaimTypes.Name, principal.ContributorName!));
        }

        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}

/// <summary>The policies endpoints require; finer checks (whose data) are made per request.</summary>
internal static class Policies
{
    /// <summary>Any valid token.</summary>
    public const string Authenticated = "authenticated";

    /// <summary>A contributor token: the caller acts as that contributor.</summary>
    public const string Contributor = "contributor";

    /// <summary>Curators and admins.</summary>
    public const string Curator = "curator";

    public const string Admin = "admin";

    public static IServiceCollection AddTokenAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Authenticated, p => p.RequireAuthenticatedUser())
            .AddPolicy(Contributor, p => p.RequireRole("contributor"))
            .AddPolicy(Curator, p => p.RequireRole("curator", "admin"))
            .AddPolicy(Admin, p => p.RequireRole("admin"));
        return services;
    }
}

/// <summary>Who is calling, from the verified token (bound as an endpoint parameter).</summary>
public sealed record Caller(long TokenId, ApiRole Role, long? ContributorId, string? ContributorName)
{
    internal const string TokenClaim = "plumbline:token";
    internal const string ContributorIdClaim = "plumbline:contributor";

    public bool IsAdmin => Role == ApiRole.Admin;

    /// <summary>Curators and admins read every contributor's consented data.</summary>
    public bool ReadsAll => Role is ApiRole.Curator or ApiRole.Admin;

    /// <summary>Whether the caller may act on this contributor's own settings (self, or an admin).</summary>
    public bool MayManage(Contributor contributor) => IsAdmin || ContributorId == contributor.Id;

    /// <summary>The contributor name the caller acts as; only contributor tokens act as someone.</summary>
    public string Actor => ContributorName ?? throw new InvalidOperationException("an admin or curator token acts for no contributor");

    /// <summary>
    /// The documents shared with this contributor (active and revoked shares, read for each request, so a revocation
    /// holds at once): how the caller names them (<see cref="Documents.DocumentNames"/>). Empty for other roles.
    /// </summary>
    internal IReadOnlyList<GranteeShare> Shares { get; init; } = [];

    public static async ValueTask<Caller?> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = context.User;
        if (user.FindFirst(TokenClaim) is not { } token || user.FindFirst(ClaimTypes.Role) is not { } role || !TokenService.TryParseRole(role.Value, out var parsed))
        {
            return null;
        }

        long? contributor = user.FindFirst(ContributorIdClaim) is { } c ? long.Parse(c.Value, CultureInfo.InvariantCulture) : null;
        var caller = new Caller(long.Parse(token.Value, CultureInfo.InvariantCulture), parsed, contributor, user.Identity?.Name);
        if (parsed == ApiRole.Contributor && contributor is { } id)
        {
            var store = context.RequestServices.GetRequiredService<ITraceStore>();
            await using var session = await store.OpenAsync(write: false, context.RequestAborted);
            caller = caller with { Shares = await session.SharesOfGranteeAsync(id, context.RequestAborted) };
        }

        return caller;
    }
}
