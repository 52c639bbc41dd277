using System.CommandLine;
using Plumbline.Capture.Git;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb import git REPO --as NAME [--author EMAIL=NAME ...] [--branch REV]</c>, or with <c>--server URL --token T</c> (no --as) through the team server.</summary>
internal static class ImportGitCommand
{
    public static Command Create()
    {
        var repo = new Argument<DirectoryInfo>("REPO") { Description = "A git repository (its working tree or any folder inside it)" };
        var actor = GlobalOptions.As("The contributor running the import");
        var authors = new Option<string[]>("--author")
        {
            Description = "Map a commit author's e-mail to a contributor: EMAIL=NAME (repeatable); other authors' commits become gaps",
        };
        var branch = new Option<string>("--branch") { Description = "What to import, with its history (default HEAD)", DefaultValueFactory = _ => "HEAD" };
        var batch = new Option<int>("--batch-commits")
        {
            Description = "With --server: the most commits per request (1 to 1000; each request is stored whole or not at all)",
            DefaultValueFactory = _ => 200,
        };
        var command = new Command("git", "Import a git history: one file in one commit is one revision of REPO_NAME/PATH") { repo, actor, authors, branch, batch };
        return command.WithAction(async (context, ct) =>
        {
            var options = new GitImportOptions
            {
                Actor = context.Actor(actor) ?? "",
                Authors = ParseAuthors(context.Get(authors) ?? []),
                Revision = context.Get(branch),
            };
            if (context.Get(batch) is < 1 or > 1000)
            {
                throw PlumblineException.BadInput($"--batch-commits: must be 1 to 1000 (was {context.Get(batch)})");
            }

            var result = await context.WithProgressAsync(
                $"Importing {context.Get(repo).Name}",
                progress => context.Team
                    ? new TeamGitImport(context.Api) { BatchCommits = context.Get(batch) }.ImportAsync(context.Get(repo).FullName, options, progress, ct)
                    : new GitImporter(context.Store, context.Time).ImportAsync(context.Get(repo).FullName, options, progress, ct));
            if (context.Json)
            {
                context.WriteJson(new
                {
                    events = result.Patches + result.Commits,
                    documents = result.Documents,
                    repository = result.Repository,
                    commits = result.Commits,
                    already_imported = result.AlreadyImported,
                    file_changes = result.FileChanges,
                    binary_or_large = result.BinaryOrLargeFiles,
                    withheld_commits = result.WithheldCommits,
                });
                return ExitCodes.Success;
            }

            context.Say(result.Commits == 0
                ? $"Nothing new: all {result.AlreadyImported} commits of {result.Repository} were imported before."
                : $"Imported {result.Commits} commits of {result.Repository} ({result.FileChanges} file changes, {result.Patches} patches) into {result.Documents.Count} documents" +
                  (result.AlreadyImported > 0 ? $"; {result.AlreadyImported} commits were there already." : "."));
            if (result.WithheldCommits > 0)
            {
                context.Say($"{result.WithheldCommits} commits by unmapped or non-consenting authors were stored as gaps (map authors with --author EMAIL=NAME).");
            }

            if (result.BinaryOrLargeFiles > 0)
            {
                context.Say($"{result.BinaryOrLargeFiles} binary, large or submodule changes were recorded as metadata only.");
            }

            return ExitCodes.Success;
        });
    }

    private static Dictionary<string, string> ParseAuthors(string[] pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            var equals = pair.LastIndexOf('=');
            if (equals <= 0 || equals == pair.Length - 1)
            {
                throw PlumblineException.BadInput($"--author: '{pair}' is not EMAIL=NAME");
            }

            map[pair[..equals]] = pair[(equals + 1)..];
        }

        return map;
    }
}
