using System.CommandLine;
using Plumbline.Cli.Infrastructure;
using Plumbline.Storage.Consent;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb terms add|remove|list NAME [TERM ...]</c>: a contributor's own terms, redacted as [TERM] (in team mode through the API: self or admin).</summary>
internal static class TermsCommand
{
    public static Command Create() => new("terms", "A contributor's own terms (names, code words), redacted as [TERM] in everything of theirs stored from now on")
    {
        Verb("add", "Add terms", (context, name, terms, ct) => context.Team
            ? Terms(context.Api.AddTermsAsync(name, terms, ct))
            : new ContributorService(context.Store, context.Time).AddTermsAsync(name, terms, ct)),
        Verb("remove", "Remove terms", async (context, name, terms, ct) =>
        {
            if (!context.Team)
            {
                return await new ContributorService(context.Store, context.Time).RemoveTermsAsync(name, terms, ct);
            }

            IReadOnlyList<string> left = [];
            foreach (var term in terms)
            {
                left = (await context.Api.RemoveTermAsync(name, term.Trim(), ct)).Terms;
            }

            return left;
        }),
        Verb("list", "List the terms", (context, name, _, ct) => context.Team
            ? Terms(context.Api.TermsAsync(name, ct))
            : new ContributorService(context.Store, context.Time).TermsAsync(name, ct)),
    };

    private static async Task<IReadOnlyList<string>> Terms(Task<Server.Contracts.TermsResponse> response) => (await response).Terms;

    private static Command Verb(string verb, string description, Func<CliContext, string, string[], CancellationToken, Task<IReadOnlyList<string>>> act)
    {
        var name = new Argument<string>("NAME") { Description = "The contributor (name or id)" };
        var terms = new Argument<string[]>("TERM") { Description = "Terms, matched case-insensitively as whole words", Arity = verb == "list" ? ArgumentArity.Zero : ArgumentArity.OneOrMore };
        var command = new Command(verb, description) { name, terms };
        return command.WithAction(async (context, ct) =>
        {
            var all = await act(context, context.Get(name), context.Get(terms) ?? [], ct);
            if (context.Json)
            {
                context.WriteJson(new { contributor = context.Get(name), terms = all });
            }
            else
            {
                context.Say(all.Count == 0 ? "No terms." : string.Join('\n', all));
            }

            return ExitCodes.Success;
        });
    }
}
