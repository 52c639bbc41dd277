using System.CommandLine;
using Plumbline.Cli.Infrastructure;
using Plumbline.Storage.Consent;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb terms add|remove|list NAME [TERM ...]</c>: a contributor's own terms, redacted as [TERM].</summary>
internal static class TermsCommand
{
    public static Command Create() => new("terms", "A contributor's own terms (names, code words), redacted as [TERM] in everything of theirs stored from now on")
    {
        Verb("add", "Add terms", (service, name, terms, ct) => service.AddTermsAsync(name, terms, ct)),
        Verb("remove", "Remove terms", (service, name, terms, ct) => service.RemoveTermsAsync(name, terms, ct)),
        Verb("list", "List the terms", (service, name, _, ct) => service.TermsAsync(name, ct)),
    };

    private static Command Verb(string verb, string description, Func<ContributorService, string, string[], CancellationToken, Task<IReadOnlyList<string>>> act)
    {
        var name = new Argument<string>("NAME") { Description = "The contributor (name or id)" };
        var terms = new Argument<string[]>("TERM") { Description = "Terms, matched case-insensitively as whole words", Arity = verb == "list" ? ArgumentArity.Zero : ArgumentArity.OneOrMore };
        var command = new Command(verb, description) { name, terms };
        return command.WithAction(async (context, ct) =>
        {
            var all = await act(new ContributorService(context.Store, context.Time), context.Get(name), context.Get(terms) ?? [], ct);
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
