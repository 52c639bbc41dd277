using System.CommandLine;
using System.Globalization;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Server.Contracts;
using Plumbline.Storage;
using Plumbline.Storage.Access;
using Spectre.Console;

namespace Plumbline.Cli.Commands;

/// <summary>
/// <c>plumb token create|list|revoke</c>: API tokens for the team server. On a store this is direct
/// (store access is admin access); with <c>--server</c> it needs an admin token.
/// </summary>
internal static class TokenCommands
{
    public static Command Create() => new("token", "API tokens for the team server (plumb serve): random, shown once, stored only as hashes")
    {
        CreateVerb(),
        ListVerb(),
        RevokeVerb(),
    };

    private static Command CreateVerb()
    {
        var role = new Option<string>("--role") { Description = "contributor (their own data), curator (read consented data, exports) or admin (contributors, tokens)", Required = true };
        var contributor = new Option<string?>("--contributor") { Description = "For a contributor token: whose (name or id)" };
        var label = new Option<string?>("--label") { Description = "A note on what the token is for" };
        var command = new Command("create", "Create a token and print it once") { role, contributor, label };
        return command.WithAction(async (context, ct) =>
        {
            if (!TokenService.TryParseRole(context.Get(role), out var parsed))
            {
                throw PlumblineException.BadInput($"--role: '{context.Get(role)}' is not one of contributor, curator, admin");
            }

            TokenDto token;
            string secret;
            if (context.Team)
            {
                var created = await context.Api.CreateTokenAsync(new TokenRequest(TokenService.RoleName(parsed), context.Get(contributor), context.Get(label)), ct);
                (token, secret) = (created.Token, created.Secret);
            }
            else
            {
                var issued = await new TokenService(context.Store, context.Time).CreateAsync(parsed, context.Get(contributor), context.Get(label), Environment.UserName, ct);
                token = Dto(new TokenInfo(issued.Token.Id, issued.Token.Role, issued.ContributorName, issued.Token.Label, issued.Token.CreatedBy, issued.Token.CreatedAt, null));
                secret = issued.Secret;
            }

            if (context.Json)
            {
                context.WriteJson(new { id = token.Id, role = token.Role, contributor = token.Contributor, label = token.Label, token = secret });
                return ExitCodes.Success;
            }

            context.Error.MarkupLine($"Token {token.Id} ({token.Role}{(token.Contributor is null ? "" : $" for {Markup.Escape(token.Contributor)}")}). It is shown this once; only its hash is kept:");
            context.Say(secret);
            return ExitCodes.Success;
        });
    }

    private static Command ListVerb()
    {
        var command = new Command("list", "List tokens (never their secrets)");
        return command.WithAction(async (context, ct) =>
        {
            var tokens = context.Team
                ? (await context.Api.ListTokensAsync(ct)).Tokens
                : (await new TokenService(context.Store, context.Time).ListAsync(ct)).Select(Dto).ToList();
            if (context.Json)
            {
                context.WriteJson(new
                {
                    tokens = tokens.Select(t => new
                    {
                        id = t.Id,
                        role = t.Role,
                        contributor = t.Contributor,
                        label = t.Label,
                        created_by = t.CreatedBy,
                        created_at = ConsentShowCommand.Time(t.CreatedAt.ToUnixTimeMilliseconds()),
                        revoked_at = t.RevokedAt is { } r ? ConsentShowCommand.Time(r.ToUnixTimeMilliseconds()) : null,
                    }),
                });
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("id", "role", "contributor", "label", "created", "by", "revoked");
            foreach (var t in tokens)
            {
                table.AddRow(
                    t.Id.ToString(CultureInfo.InvariantCulture),
                    t.Role,
                    Markup.Escape(t.Contributor ?? ""),
                    Markup.Escape(t.Label),
                    ConsentShowCommand.Time(t.CreatedAt.ToUnixTimeMilliseconds()),
                    Markup.Escape(t.CreatedBy),
                    t.RevokedAt is { } r ? ConsentShowCommand.Time(r.ToUnixTimeMilliseconds()) : "");
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
    }

    private static Command RevokeVerb()
    {
        var id = new Argument<long>("ID") { Description = "The token's id (from token list)" };
        var command = new Command("revoke", "Revoke a token: every later request with it is refused") { id };
        return command.WithAction(async (context, ct) =>
        {
            if (context.Team)
            {
                await context.Api.RevokeTokenAsync(context.Get(id), ct);
            }
            else
            {
                await new TokenService(context.Store, context.Time).RevokeAsync(context.Get(id), ct);
            }

            if (context.Json)
            {
                context.WriteJson(new { id = context.Get(id), revoked = true });
            }

            context.Say($"Token {context.Get(id)} revoked.");
            return ExitCodes.Success;
        });
    }

    private static TokenDto Dto(TokenInfo t) => new(
        t.Id,
        TokenService.RoleName(t.Role),
        t.Contributor,
        t.Label,
        t.CreatedBy,
        DateTimeOffset.FromUnixTimeMilliseconds(t.CreatedAt),
        t.RevokedAt is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null);
}
