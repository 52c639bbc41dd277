using System.CommandLine;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Capture.Etherpad;
using Plumbline.Storage.Ingest;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb import etherpad FILE --as NAME [--doc DOC] [--author AUTHOR_ID=NAME ...]</c></summary>
internal static class ImportEtherpadCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "An Etherpad export (.etherpad JSON)" };
        var actor = GlobalOptions.As("The contributor running the import; changesets with no author are theirs");
        var doc = new Option<string?>("--doc") { Description = "The document name (default: the file name without extension)" };
        var pad = new Option<string?>("--pad") { Description = "Which pad, when the export holds several" };
        var authors = new Option<string[]>("--author")
        {
            Description = "Map an Etherpad author id to a contributor: a.XXXX=NAME (repeatable); unmapped authors' edits become gaps",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("etherpad", "Import an Etherpad pad: every changeset, with author and time, becomes a revision")
        {
            file, actor, doc, pad, authors,
        };
        return command.WithAction(async (context, ct) =>
        {
            var who = context.Actor(actor);
            var input = ImportFiles.Read(context.Get(file));
            var name = context.Get(doc) ?? ImportFiles.DocumentName(input.File);
            var parsed = EtherpadReader.Parse(input.Bytes, input.File.Name, context.Time.GetUtcNow().ToUnixTimeMilliseconds(), context.Get(pad));
            var map = ParseAuthors(context.Get(authors) ?? [], parsed);
            var batch = new EditBatch
            {
                Document = name,
                StartContent = parsed.StartContent,
                Transactions = parsed.Transactions,
                Actor = who ?? "",
                AuthorMap = map,
                BatchId = $"etherpad:{input.Sha256}:{name}:{string.Join(',', map.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => m.Key + "=" + m.Value))}",
                ExpectedEnd = parsed.EndContent,
                Locate = (t, p) => t < 0 ? $"{input.File.Name}: pad:{parsed.PadId}.atext" : $"{input.File.Name}: pad:{parsed.PadId}:revs:{t}, patch {p}",
            };
            var result = await context.WithProgressAsync(
                $"Importing {input.File.Name}",
                progress => TeamMode.IngestAsync(context, batch, progress, ct));
            ImportFiles.Report(context, result);
            var unmapped = parsed.Transactions.Select(t => t.Author).OfType<string>().Distinct().Where(a => !map.ContainsKey(a)).ToList();
            if (unmapped.Count > 0 && !context.Json)
            {
                context.Say($"Unmapped authors (their edits are gaps): {string.Join(", ", unmapped)}. Map them with --author ID=NAME if they consent.");
            }

            return ExitCodes.Success;
        });
    }

    private static Dictionary<string, string> ParseAuthors(string[] pairs, EtherpadPad pad)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == pair.Length - 1)
            {
                throw PlumblineException.BadInput($"--author: '{pair}' is not AUTHOR_ID=NAME");
            }

            var key = pair[..equals];
            if (!pad.Authors.ContainsKey(key))
            {
                throw PlumblineException.BadInput(
                    $"--author: '{key}' is not an author of pad {pad.PadId} (its authors: {string.Join(", ", pad.Authors.Keys)})");
            }

            map[key] = pair[(equals + 1)..];
        }

        return map;
    }
}
