using System.CommandLine;
using Plumbline.Cli.Infrastructure;
using Plumbline.Storage.Consent;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb contributor add NAME</c></summary>
internal static class ContributorAddCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The contributor's name (unique)" };
        var command = new Command("add", "Add a contributor; nothing of theirs is recorded until they consent") { name };
        return command.WithAction(async (context, ct) =>
        {
            var contributor = context.Team
                ? TeamMode.Status(await context.Api.AddContributorAsync(context.Get(name), ct)).Contributor
                : await new ContributorService(context.Store, context.Time).AddAsync(context.Get(name), ct);
            if (context.Json)
            {
                context.WriteJson(new { id = contributor.Id, name = contributor.Name });
            }

            context.Say($"Added contributor {contributor.Name} (id {contributor.Id}). Record their consent next: plumb consent set {contributor.Name} --sources ... --uses ...");
            return ExitCodes.Success;
        });
    }
}
