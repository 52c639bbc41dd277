using System.CommandLine;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Storage.Documents;
using Plumbline.Server.Contracts;
using Plumbline.Storage.Ingest;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb comment add DOC --range START:END TEXT --as NAME</c></summary>
internal static class CommentAddCommand
{
    public static Command Create()
    {
        var doc = new Argument<string>("DOC") { Description = "The document" };
        var text = new Argument<string>("TEXT") { Description = "The comment" };
        var range = new Option<string>("--range") { Description = "START:END in code points at the current revision", Required = true };
        var actor = GlobalOptions.As("The commenting contributor");
        var command = new Command("add", "Comment on a range of a document; the range stays anchored through later edits") { doc, text, range, actor };
        return command.WithAction(async (context, ct) =>
        {
            var (start, end) = RangeOption.Parse(context.Get(range));
            var who = context.Actor(actor);
            var result = context.Team
                ? TeamMode.Result(await context.Api.AddCommentAsync(context.Get(doc), new CommentRequest(start, end, context.Get(text)), ct))
                : await new CommentIngest(context.Store, context.Time).AddAsync(context.Get(doc), start, end, context.Get(text), who!, ct);
            CommentOutput.Report(context, result, "Comment");
            return ExitCodes.Success;
        });
    }

}

/// <summary><c>plumb comment resolve ID --as NAME</c></summary>
internal static class CommentResolveCommand
{
    public static Command Create()
    {
        var id = new Argument<long>("ID") { Description = "The comment's id (from comment add or comment list)" };
        var actor = GlobalOptions.As("The contributor resolving it");
        var command = new Command("resolve", "Mark a comment resolved") { id, actor };
        return command.WithAction(async (context, ct) =>
        {
            var who = context.Actor(actor);
            var result = context.Team
                ? TeamMode.Result(await context.Api.ResolveCommentAsync(context.Get(id), ct))
                : await new CommentIngest(context.Store, context.Time).ResolveAsync(context.Get(id), who!, ct);
            CommentOutput.Report(context, result, "Resolution");
            return ExitCodes.Success;
        });
    }
}

/// <summary><c>plumb comment list DOC [--rev N]</c>: comments with their ranges carried to that revision.</summary>
internal static class CommentListCommand
{
    public static Command Create()
    {
        var doc = new Argument<string>("DOC") { Description = "The document" };
        var rev = new Option<int?>("--rev") { Description = "Anchor at this revision (default: the latest)" };
        var command = new Command("list", "List a document's comments, anchored at a revision") { doc, rev };
        return command.WithAction(async (context, ct) =>
        {
            if (context.Team)
            {
                var listed = await context.Api.ListCommentsAsync(context.Get(doc), context.Get(rev), ct);
                Print(context, listed.Document, listed.Revision, listed.Comments.Select(c => new Row(
                    c.Id, c.Author, c.Text, c.CreatedRevision, c.CreatedStart, c.CreatedEnd, c.Start, c.End, c.Quote, c.Orphaned, c.Resolved, c.ResolvedBy)).ToList());
                return ExitCodes.Success;
            }

            await using var session = await context.Store.OpenAsync(write: false, ct);
            var document = await DocumentReader.RequireAsync(session, context.Get(doc), ct);
            await LocalAudit.ReadAsync(context, session, document, "comments", ct);
            var revision = context.Get(rev) ?? document.Revisions;
            _ = await DocumentReader.LoadAsync(session, document, Math.Min(revision, document.Revisions), ct);
            var names = (await session.ListContributorsAsync(ct)).ToDictionary(c => c.Id, c => c.Name);
            var comments = await CommentReader.AtRevisionAsync(session, document, revision, ct);
            var rows = comments.Select(c => new Row(
                c.Id,
                c.AuthorId is { } a ? names.GetValueOrDefault(a) : null,
                c.Text,
                c.CreatedAtRevision,
                c.CreatedRange.Start,
                c.CreatedRange.End,
                c.Range.Start,
                c.Range.End,
                c.Quote,
                c.Orphaned,
                c.Resolved,
                c.ResolvedBy is { } r ? names.GetValueOrDefault(r) : null)).ToList();
            Print(context, document.Name, revision, rows);
            return ExitCodes.Success;
        });
    }

    private static void Print(CliContext context, string document, int revision, List<Row> rows)
    {
        if (context.Json)
        {
            context.WriteJson(new { document, revision, comments = rows });
            return;
        }

        foreach (var c in rows)
        {
            var state = c.Resolved ? $"resolved by {c.ResolvedBy}" : c.Orphaned ? "orphaned: its text was deleted" : "open";
            context.Say($"#{c.Id} {c.Author} @{c.CreatedRevision} [{c.Start}:{c.End}] ({state}) {c.Text}\n    “{c.Quote}”");
        }
    }

    /// <summary>A comment as printed (snake_case in --json, as before).</summary>
    private sealed record Row(
        long Id,
        string? Author,
        string Text,
        int CreatedRevision,
        int CreatedStart,
        int CreatedEnd,
        int Start,
        int End,
        string Quote,
        bool Orphaned,
        bool Resolved,
        string? ResolvedBy);
}

internal static class CommentOutput
{
    public static void Report(CliContext context, EventResult result, string what)
    {
        if (context.Json)
        {
            context.WriteJson(new { id = result.Id, stored = result.Stored, dropped_because = result.DroppedBecause, revision = result.Revision });
        }
        else if (result.Stored)
        {
            context.Say($"{what} {result.Id} stored at revision {result.Revision}.");
        }
        else
        {
            context.Say($"{what} not stored: {result.DroppedBecause}.");
        }
    }
}
