using System.CommandLine;
using Plumbline.Capture.Watch;
using Plumbline.Cli.Infrastructure;
using Spectre.Console;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb watch DIR --as NAME [--exclude GLOB ...]</c>: record every save as character-level edits.</summary>
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
            context.RequireLocal();
            var options = new FolderRecorderOptions
            {
                Actor = context.Actor(actor)!,
                Exclude = context.Get(exclude) ?? [],
                Prefix = context.Get(prefix),
                MaxFileBytes = context.Get(maxSize),
            };
            await using var recorder = new FolderRecorder(context.Store, context.Time, context.Get(folder).FullName, options);
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
