using System.CommandLine;
using System.Globalization;
using System.Text;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Ingest;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb replay DOC [--rev N | --time T]</c>: the exact text, byte for byte, with no added newline.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var doc = new Argument<string>("DOC") { Description = "The document name" };
        var rev = new Option<string?>("--rev") { Description = "The revision (0 is the start content; default: the latest), or for a file imported from git a commit id" };
        var at = new Option<string?>("--time") { Description = "The latest revision at or before this ISO 8601 time" };
        var command = new Command("replay", "Print a document's text at a revision") { doc, rev, at };
        return command.WithAction(async (context, ct) =>
        {
            if (context.Get(rev) is not null && context.Get(at) is not null)
            {
                throw PlumblineException.BadInput("--rev and --time: give one of them, not both");
            }

            if (context.Team)
            {
                await ReplayThroughServerAsync(context, context.Get(doc), context.Get(rev), context.Get(at), ct);
                return ExitCodes.Success;
            }

            await using var session = await context.Store.OpenAsync(write: false, ct);
            var document = await DocumentReader.RequireAsync(session, context.Get(doc), ct);
            await LocalAudit.ReadAsync(context, session, document, "replay", ct);
            if (document.Source == Core.Capture.SourceKind.Meetings)
            {
                var cues = await MeetingReader.CuesAsync(session, document, ct);
                if (context.Json)
                {
                    context.WriteJson(new { meeting = document.Name, cues });
                }
                else
                {
                    await Console.Out.WriteAsync(MeetingReader.Render(cues));
                }

                return ExitCodes.Success;
            }

            var given = context.Get(rev);
            var revision = given is null ? document.Revisions
                : await GitCommitIndex.FindRevisionAtCommitAsync(session, document, given, ct) is { } atCommit ? atCommit
                : int.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number
                : await GitCommitIndex.RevisionAtCommitAsync(session, document, given, ct);
            if (context.Get(at) is { } timeText)
            {
                if (!DateTimeOffset.TryParse(timeText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                {
                    throw PlumblineException.BadInput($"--time: '{timeText}' is not an ISO 8601 time");
                }

                revision = await DocumentReader.RevisionAtTimeAsync(session, document, time.ToUnixTimeMilliseconds(), ct);
            }

            var text = (await DocumentReader.LoadAsync(session, document, revision, ct)).ToString();
            if (context.Json)
            {
                context.WriteJson(new { document = document.Name, revision, revisions = document.Revisions, length = Core.Text.CodePoints.Count(text), text });
                return ExitCodes.Success;
            }

            await using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(new UTF8Encoding(false).GetBytes(text), ct);
            return ExitCodes.Success;
        });
    }

    private static async Task ReplayThroughServerAsync(CliContext context, string name, string? rev, string? at, CancellationToken ct)
    {
        int? revision = null;
        if (rev is not null)
        {
            revision = int.TryParse(rev, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw PlumblineException.BadInput($"--rev: with --server give a revision number ('{rev}' is not one; commit ids need direct store access)");
        }

        DateTimeOffset? time = null;
        if (at is not null)
        {
            time = DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : throw PlumblineException.BadInput($"--time: '{at}' is not an ISO 8601 time");
        }

        var r = await context.Api.ReplayAsync(name, revision, time, ct);
        if (context.Json)
        {
            context.WriteJson(new { document = r.Document, revision = r.Revision, revisions = r.Revisions, length = r.Length, text = r.Text });
            return;
        }

        await using var stdout = Console.OpenStandardOutput();
        await stdout.WriteAsync(new UTF8Encoding(false).GetBytes(r.Text), ct);
    }
}
