using System.CommandLine;
using System.Globalization;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core.Capture;
using Spectre.Console;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb docs</c>: the documents in the store.</summary>
internal static class DocsCommand
{
    public static Command Create()
    {
        var command = new Command("docs", "List documents with their revisions and length");
        return command.WithAction(async (context, ct) =>
        {
            IReadOnlyList<Storage.DocumentInfo> documents;
            if (context.Team)
            {
                documents = (await context.Api.ListDocumentsAsync(ct)).Documents
                    .Select(d => new Storage.DocumentInfo(0, d.Name, Parse(d.Source), d.Revisions, d.Length, d.Patches, d.CreatedAt.ToUnixTimeMilliseconds(), d.LastTime?.ToUnixTimeMilliseconds()))
                    .ToList();
            }
            else
            {
                await using var session = await context.Store.OpenAsync(write: false, ct);
                documents = await session.ListDocumentsAsync(ct);
            }

            if (context.Json)
            {
                context.WriteJson(new
                {
                    documents = documents.Select(d => new
                    {
                        name = d.Name,
                        source = d.Source.Name(),
                        revisions = d.Revisions,
                        patches = d.Patches,
                        length = d.Length,
                        last_time = d.LastTime is { } t ? ConsentShowCommand.Time(t) : null,
                    }),
                });
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("document", "source", "revisions", "patches", "length", "last edit");
            foreach (var d in documents)
            {
                table.AddRow(
                    Markup.Escape(d.Name),
                    d.Source.Name(),
                    d.Revisions.ToString(CultureInfo.InvariantCulture),
                    d.Patches.ToString(CultureInfo.InvariantCulture),
                    d.Length.ToString(CultureInfo.InvariantCulture),
                    d.LastTime is { } t ? ConsentShowCommand.Time(t) : "");
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
    }

    private static SourceKind Parse(string source) =>
        EventNames.TryParseSource(source, out var parsed) ? parsed : throw new Core.PlumblineException(Core.FailureKind.Runtime, $"the server sent an unknown source '{source}'");
}
