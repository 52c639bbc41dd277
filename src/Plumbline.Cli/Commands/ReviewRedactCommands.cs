using System.CommandLine;
using System.Globalization;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Server.Contracts;
using Plumbline.Storage.Review;

namespace Plumbline.Cli.Commands;

/// <summary>
/// Review before release: <c>plumb redact span DOC --range START:END --as C</c>, <c>plumb redact range --from T --to T
/// [--source S] --as C</c> and <c>plumb redact list --as C</c> (in team mode: the token's contributor). The redaction
/// reaches every revision; another author's characters in a span refuse it (exit 3, nothing changed).
/// </summary>
internal static class ReviewRedactCommands
{
    public static Command Span()
    {
        var doc = new Argument<string>("DOC") { Description = "The document" };
        var range = new Option<string>("--range") { Description = "START:END in code points at the latest revision", Required = true };
        var actor = GlobalOptions.As("The contributor whose own text it is");
        var command = new Command("span", "Redact a span of your own text as [REDACTED] in every revision that held any of its characters, an older copy of its text you deleted, or text you typed inside it") { doc, range, actor };
        return command.WithAction(async (context, ct) =>
        {
            var (start, end) = RangeOption.Parse(context.Get(range));
            var who = context.Actor(actor);
            var result = context.Team
                ? await ViaApiAsync(context, new RedactionRequest(Document: context.Get(doc), Start: start, End: end), ct)
                : await new ReviewRedaction(context.Store, context.Time).RedactSpanAsync(who!, context.Get(doc), start, end, who!, ct);
            Report(context, result, $"code points {start}:{end} of '{context.Get(doc)}'");
            return ExitCodes.Success;
        });
    }

    public static Command Range()
    {
        var from = new Option<string>("--from") { Description = "Start of the window (ISO-8601; UTC unless an offset is given)", Required = true };
        var to = new Option<string>("--to") { Description = "End of the window, inclusive", Required = true };
        var source = new Option<string?>("--source") { Description = "Only this source: documents, code, meetings, commentary or keystrokes (default: all)" };
        var actor = GlobalOptions.As("The contributor whose own records they are");
        var command = new Command("range", "Redact everything you recorded in a time window: the text your edits inserted (in every revision) and your comments, notes, cues and commit messages") { from, to, source, actor };
        return command.WithAction(async (context, ct) =>
        {
            var (fromTime, toTime) = (ParseTime(context.Get(from), "--from"), ParseTime(context.Get(to), "--to"));
            var only = ParseSource(context.Get(source));
            var who = context.Actor(actor);
            var result = context.Team
                ? await ViaApiAsync(context, new RedactionRequest(From: fromTime, To: toTime, Source: only?.Name()), ct)
                : await new ReviewRedaction(context.Store, context.Time).RedactRangeAsync(who!, fromTime, toTime, only, who!, ct);
            Report(context, result, $"your records from {context.Get(from)} to {context.Get(to)}" + (only is { } s ? $" ({s.Name()})" : ""));
            return ExitCodes.Success;
        });
    }

    public static Command List()
    {
        var actor = GlobalOptions.As("The contributor");
        var command = new Command("list", "Your own redactions: when, which range, what they rewrote (never the text)") { actor };
        return command.WithAction(async (context, ct) =>
        {
            var who = context.Actor(actor);
            RedactionListResponse listed;
            if (context.Team)
            {
                listed = await context.Api.RedactionsAsync(await SelfAsync(context, ct), ct);
            }
            else
            {
                var (contributor, records) = await new ReviewRedaction(context.Store, context.Time).ListAsync(who!, ct);
                listed = new RedactionListResponse(contributor.Name, records.Select(RedactionDto.Of).ToList());
            }

            if (context.Json)
            {
                context.WriteJson(listed);
                return ExitCodes.Success;
            }

            context.Say(listed.Redactions.Count == 0 ? $"{listed.Contributor} has redacted nothing." : $"Redactions of {listed.Contributor}:");
            foreach (var r in listed.Redactions)
            {
                var what = r.Kind == "span"
                    ? $"span {r.Start}:{r.End} of '{r.Document}' (revision {r.Revision})"
                    : $"range {Iso(r.From!.Value)} – {Iso(r.To!.Value)}" + (r.Source is null ? "" : $" ({r.Source})");
                context.Say($"  {r.Id,4}  {Iso(r.RecordedAt)}  {what}: {r.EventsRewritten} event(s) in {r.RevisionsAffected} revision(s), by {r.RecordedBy}");
            }

            return ExitCodes.Success;
        });
    }

    private static async Task<ReviewRedactionResult> ViaApiAsync(CliContext context, RedactionRequest request, CancellationToken ct)
    {
        var self = await SelfAsync(context, ct);
        var r = await context.Api.RedactAsync(self, request, ct);
        return new ReviewRedactionResult(r.Id, self, r.EventsRewritten, r.RevisionsAffected, r.Documents);
    }

    private static async Task<string> SelfAsync(CliContext context, CancellationToken ct) =>
        (await context.Api.MeAsync(ct)).Contributor
        ?? throw PlumblineException.BadInput("--token: a redaction is of your own text, and this token speaks for no contributor (it is a curator or admin token)");

    private static void Report(CliContext context, ReviewRedactionResult result, string what)
    {
        if (context.Json)
        {
            context.WriteJson(new
            {
                redaction = result.Id,
                contributor = result.Contributor,
                events_rewritten = result.EventsRewritten,
                revisions_affected = result.RevisionsAffected,
                documents = result.Documents,
            });
            return;
        }

        context.Say($"Redacted {what} as {Core.Privacy.HistoryRedactor.ReviewPlaceholder} in every revision: {result.EventsRewritten} event(s) rewritten, {result.RevisionsAffected} revision(s) changed.");
    }


    private static DateTimeOffset ParseTime(string text, string option) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : throw PlumblineException.BadInput($"{option}: '{text}' is not a time (ISO-8601, e.g. 2026-11-21T12:00:00Z)");

    internal static SourceKind? ParseSource(string? name) =>
        name is null ? null
        : EventNames.TryParseSource(name, out var parsed) ? parsed
        : throw PlumblineException.BadInput($"--source: '{name}' is not one of documents, code, meetings, commentary, keystrokes");

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
