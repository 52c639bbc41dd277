using System.CommandLine;
using System.Globalization;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Consent;
using Plumbline.Storage.Consent;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb consent set NAME --sources ... --uses ... [--embargo YYYY-MM-DD]</c></summary>
internal static class ConsentSetCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The contributor (name or id)" };
        var sources = new Option<string>("--sources")
        {
            Description = "Comma list of documents, code, meetings, commentary, keystrokes; or all, none",
            Required = true,
        };
        var uses = new Option<string>("--uses")
        {
            Description = "Comma list of research, training, public; or all, none",
            Required = true,
        };
        var embargo = new Option<string?>("--embargo") { Description = "Nothing is released before this date (YYYY-MM-DD)" };
        var statement = new Option<FileInfo?>("--statement") { Description = "A file with the consent statement shown (default: the built-in one)" };
        var recordedBy = new Option<string?>("--recorded-by") { Description = "Who recorded this consent (default: the current OS user)" };
        var command = new Command("set", "Record a new version of a contributor's consent")
        {
            name, sources, uses, embargo, statement, recordedBy,
        };
        return command.WithAction(async (context, ct) =>
        {
            var terms = new ConsentTerms(
                ConsentTerms.ParseSources(context.Get(sources), "--sources"),
                ConsentTerms.ParseUses(context.Get(uses), "--uses"),
                ParseDate(context.Get(embargo)));
            string? text = null;
            if (context.Get(statement) is { } file)
            {
                text = file.Exists ? await File.ReadAllTextAsync(file.FullName, ct) : throw PlumblineException.BadInput($"--statement: {file.FullName}: no such file");
            }

            ConsentRecord record;
            if (context.Team)
            {
                if (context.Get(recordedBy) is not null)
                {
                    throw PlumblineException.BadInput("--recorded-by: not used with --server; the server records the token that set the consent");
                }

                var request = new Server.Contracts.ConsentRequest(
                    terms.Sources.Order().Select(s => s.Name()).ToList(),
                    terms.Uses.Order().Select(ConsentTerms.Name).ToList(),
                    terms.Embargo,
                    text);
                record = TeamMode.Status(await context.Api.SetConsentAsync(context.Get(name), request, ct)).Current!;
            }
            else
            {
                record = await new ContributorService(context.Store, context.Time).SetConsentAsync(
                    context.Get(name),
                    terms,
                    text,
                    context.Get(recordedBy) ?? Environment.UserName,
                    ct);
                var who = await new ContributorService(context.Store, context.Time).StatusAsync(context.Get(name), ct);
                await context.Audit.RecordAsync(Storage.Audit.AuditEvents.ConsentChanged(Storage.Audit.AuditLog.LocalActor, who.Contributor.Name, record), ct);
            }

            if (context.Json)
            {
                context.WriteJson(ConsentShowCommand.ToJson(record));
            }

            context.Say($"Consent version {record.Version} recorded: sources {ConsentShowCommand.Sources(record)}; uses {ConsentShowCommand.Uses(record)}" +
                (terms.Embargo is { } e ? $"; embargoed until {e:yyyy-MM-dd}" : ""));
            return ExitCodes.Success;
        });
    }

    private static DateOnly? ParseDate(string? text)
    {
        if (text is null)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw PlumblineException.BadInput($"--embargo: '{text}' is not a date YYYY-MM-DD");
    }
}
