using System.CommandLine;
using System.Globalization;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core.Consent;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Export;
using Plumbline.Storage.Samples;
using Spectre.Console;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb demo</c>: loads the sample workspace into the store and walks through it.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var realData = new Option<DirectoryInfo?>("--realdata") { Description = "The public test data folder (default: ../shared/realdata beside the repository)" };
        var command = new Command("demo", "Load the sample workspace (real traces, an Etherpad pad, a commented note) and show what Plumbline does with it") { realData };
        return command.WithAction(async (context, ct) =>
        {
            var data = context.Get(realData)?.FullName ?? FindRealData();
            var console = AnsiConsole.Console;
            if (!context.Json)
            {
                console.Write(new Rule("[bold]Plumbline sample workspace[/]").LeftJustified());
                console.MarkupLine($"Store: [blue]{Markup.Escape(context.Store.Description)}[/]");
                console.MarkupLine(data is null
                    ? "[yellow]../shared/realdata not found: loading only the scripted note (pass --realdata DIR for the public traces).[/]"
                    : $"Real data: {Markup.Escape(data)}");
            }

            var items = await context.WithProgressAsync("Loading the sample", progress =>
                new SampleWorkspace(context.Store, context.Time).LoadAsync(data, (_, v) => progress?.Report(v), ct));

            await using var session = await context.Store.OpenAsync(write: false, ct);
            var note = await DocumentReader.RequireAsync(session, SampleWorkspace.NoteDocument, ct);
            var draftRevision = (await session.EventsAsync(note.Id, ct)).First(e => e.Kind == Core.Capture.EventKind.Comment).Revision!.Value;
            var comments = await CommentReader.AtRevisionAsync(session, note, note.Revisions, ct);
            var export = await new TraceExporter(context.Store, context.Time, context.Audit, Storage.Audit.AuditLog.LocalActor).ExportAsync(
                DataUse.Training,
                Path.Combine(Path.GetDirectoryName(Path.GetFullPath(context.StorePath))!, "exports", "training.jsonl"),
                ct);
            var footprint = await context.Store.FootprintAsync(ct);
            var documents = await session.ListDocumentsAsync(ct);

            if (context.Json)
            {
                context.WriteJson(new
                {
                    store = context.Store.Description,
                    documents = documents.Select(d => new { name = d.Name, revisions = d.Revisions, patches = d.Patches, length = d.Length }),
                    comments = comments.Select(c => new { id = c.Id, created_revision = c.CreatedAtRevision, start = c.Range.Start, end = c.Range.End, quote = c.Quote }),
                    export = new { path = export.Path, documents = export.Documents, excluded = export.Excluded.Count, comments_withheld = export.CommentsWithheld },
                    store_bytes = footprint.Files.Where(f => !f.Key.EndsWith("-shm", StringComparison.Ordinal)).Sum(f => f.Value),
                });
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("document", "revisions", "patches", "length (code points)", "loaded");
            foreach (var d in documents)
            {
                var item = items.FirstOrDefault(i => i.Document == d.Name);
                table.AddRow(
                    Markup.Escape(d.Name),
                    d.Revisions.ToString("N0", CultureInfo.InvariantCulture),
                    d.Patches.ToString("N0", CultureInfo.InvariantCulture),
                    d.Length.ToString("N0", CultureInfo.InvariantCulture),
                    item is null ? "earlier" : item.AlreadyStored ? "already stored" : "now");
            }

            console.Write(table);
            var draft = (await DocumentReader.LoadAsync(session, note, draftRevision, ct)).ToString();
            var final = (await DocumentReader.LoadAsync(session, note, note.Revisions, ct)).ToString();
            console.Write(new Rule($"[bold]{SampleWorkspace.NoteDocument}[/]: the draft at revision {draftRevision}, when {SampleWorkspace.Reviewer} commented").LeftJustified());
            console.WriteLine(draft);
            console.Write(new Rule($"…and at revision {note.Revisions}, after {SampleWorkspace.Author} revised it").LeftJustified());
            console.WriteLine(final);
            foreach (var c in comments)
            {
                console.MarkupLine(
                    $"Comment #{c.Id} ({SampleWorkspace.Reviewer}, revision {c.CreatedAtRevision}): \"{Markup.Escape(c.Text)}\"\n" +
                    $"  anchored at {c.CreatedRange.Start}:{c.CreatedRange.End} then, {c.Range.Start}:{c.Range.End} now → \"{Markup.Escape(c.Quote)}\"");
            }

            console.Write(new Rule("[bold]Release by consent[/]").LeftJustified());
            console.MarkupLine($"Exported {export.Documents} document(s) for [green]training[/] to {Markup.Escape(export.Path)}; " +
                $"{export.CommentsWithheld} comment(s) held back ({SampleWorkspace.Reviewer} consented to research only).");
            var textBytes = documents.Sum(d => (long)d.Length);
            var storeBytes = footprint.Files.Where(f => !f.Key.EndsWith("-shm", StringComparison.Ordinal)).Sum(f => f.Value);
            console.MarkupLine($"The store holds {documents.Sum(d => d.Patches):N0} edit events in {storeBytes:N0} bytes ({(double)storeBytes / Math.Max(1, textBytes):F2}× the final texts).");
            console.Write(new Rule("[bold]Try next[/]").LeftJustified());
            var store = context.StorePath == Plumbline.Storage.TraceStores.DefaultPath ? ""
                : Plumbline.Storage.TraceStores.IsPostgres(context.StorePath) ? " --store \"…\"" // a connection string may hold a password
                : $" --store {context.StorePath}";
            console.WriteLine($"  plumb{store} replay {SampleWorkspace.NoteDocument} --rev {draftRevision}");
            console.WriteLine($"  plumb{store} comment list {SampleWorkspace.NoteDocument}");
            console.WriteLine($"  plumb{store} log --doc {SampleWorkspace.NoteDocument} --limit 20");
            console.WriteLine($"  plumb{store} consent show {SampleWorkspace.Reviewer}");
            return ExitCodes.Success;
        });
    }

    internal static string? FindRealData() => RepositoryFolders.Find(Path.Combine("..", "shared", "realdata"));
}
