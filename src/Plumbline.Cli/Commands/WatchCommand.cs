using System.CommandLine;
using Plumbline.Capture.Watch;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Storage.Ingest;
using Spectre.Console;

namespace Plumbline.Cli.Commands;

/// <summary>
/// <c>plumb watch DIR --as NAME [--exclude GLOB ...]</c>: record every save as character-level edits. In team mode each
/// save of a file is one API batch carrying the file's whole new text, which the server diffs in its ingest pipeline.
/// </summary>
internal static class WatchCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("DIR") { Description = "The folder to record (recursively)" };
        var actor = GlobalOptions.As("Whose work this is");
        var exclude = new Option<string[]>("--exclude") { Description = "Also leave out paths matching this glob (repeatable; adds to the defaults, never replaces them)" };
        var prefix = new Option<string?>("--prefix") { Description = "Document names are PREFIX/path (default: the folder's name)" };
        var maxSize = new Option<long>("--max-size") { Description = "Leave out files larger than this many bytes", DefaultValueFactory = _ => 1024 * 1024 };
        var once = new Option<bool>("--once") { Description = "Record the folder as it is now and exit, without watching" };
        var command = new Command("watch", "Record edits to the text files in a folder, as a minimal diff on every save, until Ctrl-C")
        {
            folder, actor, exclude, prefix, maxSize, once,
        };
        return command.WithAction(async (context, ct) =>
        {
            var options = new FolderRecorderOptions
            {
                Actor = context.Actor(actor) ?? (await context.Api.MeAsync(ct)).Contributor
                    ?? throw PlumblineException.Refused("--token: an admin or curator token records no one's work; use a contributor's token"),
                Exclude = context.Get(exclude) ?? [],
                Prefix = context.Get(prefix),
                MaxFileBytes = context.Get(maxSize),
            };
            await using var recorder = context.Team
                ? new FolderRecorder(new ApiRecorderSink(context), context.Time, context.Get(folder).FullName, options)
                : new FolderRecorder(context.Store, context.Time, context.Get(folder).FullName, options);
            long saves = 0;
            long patches = 0;
            recorder.Flushed += flush =>
            {
                Interlocked.Add(ref saves, flush.Files);
                Interlocked.Add(ref patches, flush.Patches);
                if (context.Json)
                {
                    context.WriteJson(new { stored = flush.Documents, patches = flush.Patches, lag_ms = Math.Round(flush.Lag.TotalMilliseconds, 1) });
                }
                else
                {
                    context.Say($"stored {string.Join(", ", flush.Documents)} ({flush.Patches} patches, {flush.Lag.TotalMilliseconds:F0} ms after the change)");
                }
            };

            var initial = await recorder.StartAsync(ct);
            if (!context.Json)
            {
                context.Error.MarkupLine($"[green]●[/] recording {Markup.Escape(context.Get(folder).FullName)} as {Markup.Escape(options.Actor)} " +
                    $"({initial.Files} files stored now); leaving out {Markup.Escape(string.Join(" ", recorder.ExcludePatterns))}. Ctrl-C stops.");
            }

            if (context.Get(once))
            {
                return ExitCodes.Success;
            }

            await recorder.RunAsync(ct);
            if (!context.Json)
            {
                context.Error.MarkupLine($"stopped; {saves} saves ({patches} patches) stored.");
            }

            return ExitCodes.Cancelled;
        });
    }
}

/// <summary>Team mode: the documents come from the API and every save is sent as one batch per file.</summary>
internal sealed class ApiRecorderSink(CliContext context) : IRecorderSink
{
    public async Task<IReadOnlyDictionary<string, string>> DocumentsAsync(string prefix, CancellationToken cancellationToken)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var document in (await context.Api.ListDocumentsAsync(cancellationToken)).Documents)
        {
            if (document.Source == "documents" && document.Name.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                texts[document.Name] = (await context.Api.ReplayAsync(document.Name, null, null, cancellationToken)).Text;
            }
        }

        return texts;
    }

    public async Task<IReadOnlyList<IngestResult>> IngestAsync(IReadOnlyList<EditBatch> batches, CancellationToken cancellationToken)
    {
        var results = new List<IngestResult>(batches.Count);
        foreach (var batch in batches)
        {
            // A file seen for the first time is sent as its whole text typed into an empty document (revision 1, the
            // contributor's), not as a bare start content: a document holding no revision of theirs is not theirs to see.
            var sent = batch is { Transactions.Count: 0, StartContent: { } start }
                ? batch with { StartContent = "", SourceStartContent = "", Transactions = [EditTransaction.ToText(context.Time.GetUtcNow().ToUnixTimeMilliseconds(), start)] }
                : batch;
            results.Add(await TeamMode.IngestAsync(context, sent, null, cancellationToken));
        }

        return results;
    }
}
