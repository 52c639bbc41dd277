using System.CommandLine;
using System.Globalization;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Server.Contracts;
using Plumbline.Storage;
using Plumbline.Storage.Audit;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Sharing;
using Spectre.Console;

namespace Plumbline.Cli.Commands;

/// <summary>
/// <c>plumb share DOC --with C [--role reviewer|editor]</c>, <c>plumb share list DOC</c>, <c>plumb share revoke DOC --with C</c>:
/// a document's owner (or an admin) shares it with a reviewer (read + comment) or an editor (+ edit). On a local
/// store <c>--as</c> names the owner acting (listing is direct store access, admin access); with <c>--server</c> the
/// token decides, and the grantee then names the document <c>~OWNER/NAME</c>.
/// </summary>
internal static class ShareCommands
{
    public static Command Create()
    {
        var doc = new Argument<string>("DOC") { Description = "The document (as you name it)" };
        var with = WithOption("The contributor to share it with");
        var role = new Option<string>("--role") { Description = "reviewer (read + comment) or editor (read + comment + edit)", DefaultValueFactory = _ => "reviewer" };
        var actor = GlobalOptions.As("The document's owner (on a local store)");
        var command = new Command("share", "Share a document with a reviewer or an editor; list or revoke its shares")
        {
            doc, with, role, actor, ListVerb(), RevokeVerb(),
        };
        return command.WithAction(async (context, ct) =>
        {
            var parsed = DocumentSharing.ParseRole(context.Get(role), "--role");
            ShareDto share;
            if (context.Team)
            {
                _ = context.Actor(actor);
                share = await context.Api.ShareAsync(context.Get(doc), new ShareRequest(context.Get(with), DocumentSharing.RoleName(parsed)), ct);
            }
            else
            {
                var (document, owner) = await LocalAsync(context, context.Get(doc), context.Actor(actor)!, ct);
                var view = await new DocumentSharing(context.Store, context.Time).GrantAsync(document, context.Get(with), parsed, owner, ct);
                await AuditAsync(context, document, view, "granted", ct);
                share = ShareDto.From(view);
            }

            Report(context, context.Get(doc), share, $"Shared '{context.Get(doc)}' with {share.Contributor} as {share.Role}.");
            return ExitCodes.Success;
        });
    }

    private static Command ListVerb()
    {
        var doc = new Argument<string>("DOC") { Description = "The document" };
        var command = new Command("list", "Who a document is shared with (its owner or an admin)") { doc };
        return command.WithAction(async (context, ct) =>
        {
            ShareListResponse list;
            if (context.Team)
            {
                list = await context.Api.ListSharesAsync(context.Get(doc), ct);
            }
            else
            {
                await using var session = await context.Store.OpenAsync(write: false, ct);
                var document = await DocumentReader.RequireAsync(session, context.Get(doc), ct);
                var local = await new DocumentSharing(context.Store, context.Time).ListAsync(document, ShareActor.Admin(AuditLog.LocalActor), ct);
                list = new ShareListResponse(document.Name, local.Owner, local.Shares.Select(ShareDto.From).ToList());
            }

            if (context.Json)
            {
                context.WriteJson(list);
                return ExitCodes.Success;
            }

            if (list.Shares.Count == 0)
            {
                context.Say($"'{list.Document}' (owner {list.Owner}) is not shared.");
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("contributor", "role", "granted", "by", "state");
            foreach (var s in list.Shares)
            {
                var state = s.RevokedAt is { } r ? $"revoked {r.ToString("u", CultureInfo.InvariantCulture)} by {s.RevokedBy}"
                    : s.WithheldBy.Count > 0 ? $"closed for now: text by {string.Join(", ", s.WithheldBy)} (not in this share)"
                    : "active";
                table.AddRow(Markup.Escape(s.Contributor), s.Role, s.GrantedAt.ToString("u", CultureInfo.InvariantCulture), Markup.Escape(s.GrantedBy), Markup.Escape(state));
            }

            context.Say($"'{list.Document}' (owner {list.Owner}):");
            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
    }

    private static Command RevokeVerb()
    {
        var doc = new Argument<string>("DOC") { Description = "The document" };
        var with = WithOption("The contributor whose share ends");
        var actor = GlobalOptions.As("The document's owner (on a local store)");
        var command = new Command("revoke", "Revoke a contributor's share; their access ends at once") { doc, with, actor };
        return command.WithAction(async (context, ct) =>
        {
            ShareDto share;
            if (context.Team)
            {
                _ = context.Actor(actor);
                share = await context.Api.RevokeShareAsync(context.Get(doc), context.Get(with), ct);
            }
            else
            {
                var (document, owner) = await LocalAsync(context, context.Get(doc), context.Actor(actor)!, ct);
                var view = await new DocumentSharing(context.Store, context.Time).RevokeAsync(document, context.Get(with), owner, ct);
                await AuditAsync(context, document, view, "revoked", ct);
                share = ShareDto.From(view);
            }

            Report(context, context.Get(doc), share, $"Revoked {share.Contributor}'s share of '{context.Get(doc)}'.");
            return ExitCodes.Success;
        });
    }

    private static Option<string> WithOption(string description) => new("--with") { Description = description, Required = true };

    private static async Task<(DocumentInfo Document, ShareActor Owner)> LocalAsync(CliContext context, string name, string actorName, CancellationToken ct)
    {
        await using var session = await context.Store.OpenAsync(write: false, ct);
        var document = await DocumentReader.RequireAsync(session, name, ct);
        var actor = await session.FindContributorAsync(actorName, ct)
            ?? throw PlumblineException.NotFound($"--as: there is no contributor named '{actorName}' (plumb contributor list)");
        return (document, new ShareActor(actor.Name, actor.Id, IsAdmin: false));
    }

    private static Task AuditAsync(CliContext context, DocumentInfo document, ShareView view, string what, CancellationToken ct) =>
        context.Audit.RecordAsync(AuditEvents.Shared(AuditLog.LocalActor, document.Name, view, what), ct);

    private static void Report(CliContext context, string document, ShareDto share, string message)
    {
        if (context.Json)
        {
            context.WriteJson(new
            {
                document,
                contributor = share.Contributor,
                role = share.Role,
                owner = share.Owner,
                granted_by = share.GrantedBy,
                granted_at = share.GrantedAt,
                revoked_by = share.RevokedBy,
                revoked_at = share.RevokedAt,
                withheld_by = share.WithheldBy,
            });
            return;
        }

        context.Say(message);
        if (share.RevokedAt is null && share.WithheldBy.Count > 0)
        {
            context.Error.MarkupLine(Markup.Escape(
                $"Closed to {share.Contributor} for now: the document has text by {string.Join(", ", share.WithheldBy)}, who is not part of this share (share it with them too)."));
        }
    }
}
