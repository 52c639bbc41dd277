using System.CommandLine;
using Plumbline.Cli.Infrastructure;
using Plumbline.Storage.Consent;
using Spectre.Console;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb contributor list</c></summary>
internal static class ContributorListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "List contributors with their current consent");
        return command.WithAction(async (context, ct) =>
        {
            var all = context.Team
                ? (await context.Api.ListContributorsAsync(ct)).Contributors.Select(TeamMode.Status).ToList()
                : await new ContributorService(context.Store, context.Time).ListAsync(ct);
            if (context.Json)
            {
                context.WriteJson(new { contributors = all.Select(ConsentShowCommand.ToJson) });
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("id", "name", "consent", "sources", "uses", "embargo", "paused");
            foreach (var s in all)
            {
                table.AddRow(
                    s.Contributor.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Markup.Escape(s.Contributor.Name),
                    s.Current is null ? "none" : $"v{s.Current.Version}",
                    ConsentShowCommand.Sources(s.Current),
                    ConsentShowCommand.Uses(s.Current),
                    s.Current?.Terms.Embargo?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "",
                    s.Paused ? "yes" : "");
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
    }
}
