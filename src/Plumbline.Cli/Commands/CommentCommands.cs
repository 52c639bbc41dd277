using System.CommandLine;
using System.Globalization;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Storage.Documents;
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
            var (start, end) = ParseRange(context.Get(range));
            var result = await new CommentIngest(context.Store, context.Time).AddAsync(context.Get(doc), start, end, context.Get(text), context.Get(actor), ct);
            CommentOutput.Report(context, result, "Comment");
            return ExitCodes.Success;
        });
    }

    private static (int Start, int End) ParseRange(string text)
    {
        var parts = text.Split(':');
        if (parts.Length == 2 &&
            int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start) &&
            int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end))
        {
            return (start, end);
        }

        throw PlumblineException.BadInput($"--range: '{text}' is not START:END (two non-negative integers)");
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
            var result = await new CommentIngest(context.Store, context.Time).ResolveAsync(context.Get(id), context.Get(actor), ct);
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
            await using var session = await context.Store.OpenAsync(write: false, ct);
            var document = await DocumentReader.RequireAsync(session, context.Get(doc), ct);
            var revision = context.Get(rev) ?? document.Revisions;
            _ = await DocumentReader.LoadAsync(session, document, Math.Min(revision, document.Revisions), ct);
            var names = (await session.ListContributorsAsync(ct)).ToDictionary(c => c.Id, c => c.Name);
            var comments = await CommentReader.AtRevisionAsync(session, document, revision, ct);
            var rows = comments.Select(c => new
            {
                id = c.Id,
                author = c.AuthorId is { } a ? names.GetValueOrDefault(a) : null,
                text = c.Text,
                created_revision = c.CreatedAtRevision,
                created_start = c.CreatedRange.Start,
                created_end = c.CreatedRange.End,
                start = c.Range.Start,
                end = c.Range.End,
                quote = c.Quote,
                orphaned = c.Orphaned,
                resolved = c.Resolved,
                resolved_by = c.ResolvedBy is { } r ? names.GetValueOrDefault(r) : null,
            }).ToList();
            if (context.Json)
            {
                context.WriteJson(new { document = document.Name, revision, comments = rows });
                return ExitCodes.Success;
            }

            foreach (var c in rows)
            {
                var state = c.resolved ? $"resolved by {c.resolved_by}" : c.orphaned ? "orphaned: its text was deleted" : "open";
                context.Say($"#{c.id} {c.author} @{c.created_revision} [{c.start}:{c.end}] ({state}) {c.text}\n    “{c.quote}”");
            }

            return ExitCodes.Success;
        });
    }
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
