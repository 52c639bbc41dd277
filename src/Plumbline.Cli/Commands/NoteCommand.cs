using System.CommandLine;
using System.Globalization;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Storage.Ingest;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb note TEXT --as NAME [--at TIME] [--doc DOC [--rev N]]</c>: running commentary.</summary>
internal static class NoteCommand
{
    public static Command Create()
    {
        var text = new Argument<string>("TEXT") { Description = "The note" };
        var actor = GlobalOptions.As("Whose note it is");
        var at = new Option<string?>("--at") { Description = "When the note is about (ISO 8601), for notes written later about earlier work" };
        var doc = new Option<string?>("--doc") { Description = "Attach the note to this document, at its revision at that time" };
        var rev = new Option<int?>("--rev") { Description = "With --doc: attach to this revision" };
        var command = new Command("note", "Record running commentary on the same clock as the edits") { text, actor, at, doc, rev };
        return command.WithAction(async (context, ct) =>
        {
            DateTimeOffset? when = null;
            if (context.Get(at) is { } atText)
            {
                when = DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                    ? parsed
                    : throw PlumblineException.BadInput($"--at: '{atText}' is not an ISO 8601 time");
            }

            var who = context.Actor(actor);
            var result = context.Team
                ? TeamMode.Result(await context.Api.AddNoteAsync(new Server.Contracts.NoteRequest(context.Get(text), when, context.Get(doc), context.Get(rev)), ct))
                : await new NoteIngest(context.Store, context.Time).AddAsync(context.Get(text), who!, when, context.Get(doc), context.Get(rev), ct);
            CommentOutput.Report(context, result, "Note");
            return ExitCodes.Success;
        });
    }
}
