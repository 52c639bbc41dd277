using System.CommandLine;
using System.Globalization;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core.Capture;
using Plumbline.Core.Consent;
using Plumbline.Storage.Consent;
using Spectre.Console;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb consent show NAME</c>: the current consent, its history and pauses.</summary>
internal static class ConsentShowCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The contributor (name or id)" };
        var command = new Command("show", "Show a contributor's consent, its history and pauses") { name };
        return command.WithAction(async (context, ct) =>
        {
            var status = context.Team
                ? TeamMode.Status(await context.Api.GetContributorAsync(context.Get(name), ct))
                : await new ContributorService(context.Store, context.Time).StatusAsync(context.Get(name), ct);
            if (context.Json)
            {
                context.WriteJson(ToJson(status));
                return ExitCodes.Success;
            }

            context.Say($"{status.Contributor.Name} (id {status.Contributor.Id}){(status.Paused ? " — recording paused" : "")}");
            var table = new Table().AddColumns("version", "sources", "uses", "embargo", "recorded", "by", "statement sha256");
            foreach (var r in status.History)
            {
                table.AddRow(
                    r.Version.ToString(CultureInfo.InvariantCulture),
                    Sources(r),
                    Uses(r),
                    r.Terms.Embargo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
                    Time(r.RecordedAt),
                    Markup.Escape(r.RecordedBy),
                    r.StatementSha256[..12]);
            }

            if (status.History.Count == 0)
            {
                context.Say("No consent recorded: nothing of theirs can be stored.");
            }
            else
            {
                AnsiConsole.Write(table);
            }

            foreach (var p in status.Pauses)
            {
                context.Say($"paused {Time(p.Start)} – {(p.End is { } end ? Time(end) : "now")}");
            }

            return ExitCodes.Success;
        });
    }

    public static string Sources(ConsentRecord? r) => r is null || r.Terms.Sources.Count == 0 ? "none" : string.Join(",", r.Terms.Sources.Order().Select(s => s.Name()));

    public static string Uses(ConsentRecord? r) => r is null || r.Terms.Uses.Count == 0 ? "none" : string.Join(",", r.Terms.Uses.Order().Select(ConsentTerms.Name));

    public static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    public static object ToJson(ConsentRecord r) => new
    {
        version = r.Version,
        sources = r.Terms.Sources.Order().Select(s => s.Name()),
        uses = r.Terms.Uses.Order().Select(ConsentTerms.Name),
        embargo = r.Terms.Embargo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        statement_sha256 = r.StatementSha256,
        recorded_by = r.RecordedBy,
        recorded_at = Time(r.RecordedAt),
    };

    public static object ToJson(ContributorStatus s) => new
    {
        id = s.Contributor.Id,
        name = s.Contributor.Name,
        paused = s.Paused,
        consent = s.Current is null ? null : ToJson(s.Current),
        history = s.History.Select(ToJson),
        pauses = s.Pauses.Select(p => new { from = Time(p.Start), to = p.End is { } e ? Time(e) : null }),
    };
}
