using System.CommandLine;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Core.Consent;
using Plumbline.Storage.Audit;
using Plumbline.Storage.Export;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb export traces --use USE --out FILE.jsonl</c>: only what current consent releases for that use.</summary>
internal static class ExportTracesCommand
{
    public static Command Create()
    {
        var use = new Option<string>("--use") { Description = "research, training or public", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The JSONL file to write (one document a line)", Required = true };
        var command = new Command("traces", "Export document traces that every author's current consent releases for a use") { use, output };
        return command.WithAction(async (context, ct) =>
        {
            if (!ConsentTerms.TryParseUse(context.Get(use), out var parsed))
            {
                throw PlumblineException.BadInput($"--use: '{context.Get(use)}' is not one of research, training, public");
            }

            var result = context.Team
                ? await ExportThroughServerAsync(context, context.Get(use), context.Get(output), ct)
                : await new TraceExporter(context.Store, context.Time, context.Audit, AuditLog.LocalActor).ExportAsync(parsed, context.Get(output).FullName, ct);
            if (context.Json)
            {
                context.WriteJson(result);
                return ExitCodes.Success;
            }

            context.Say($"Wrote {result.Documents} document(s), {result.Transactions} transactions, to {result.Path} for use '{result.Use}'.");
            if (result.AuditHead is not null)
            {
                context.Say($"  logged; audit head {result.AuditHead} (in {result.Manifest ?? "the server's response"})");
            }
            foreach (var excluded in result.Excluded)
            {
                context.Say($"  left out {excluded.Document}: {string.Join("; ", excluded.Reasons)}");
            }

            if (result.CommentsWithheld > 0)
            {
                context.Say($"  {result.CommentsWithheld} comment(s) left out: their authors' consent does not release them for this use.");
            }

            return ExitCodes.Success;
        });
    }

    /// <summary>The server exports; the file appears here whole (written aside, then renamed) or not at all.</summary>
    private static async Task<ExportResult> ExportThroughServerAsync(CliContext context, string use, FileInfo output, CancellationToken ct)
    {
        var response = await context.Api.ExportTracesAsync(use, ct);
        Directory.CreateDirectory(output.DirectoryName!);
        var partial = output.FullName + ".partial";
        await File.WriteAllTextAsync(partial, response.Jsonl, new System.Text.UTF8Encoding(false), ct);
        File.Move(partial, output.FullName, overwrite: true);
        return new ExportResult(output.FullName, response.Use, response.Documents, response.Transactions, response.CommentsWithheld, response.Excluded.Select(e => new ExcludedDocument(e.Document, e.Reasons)).ToList(), response.AuditHead);
    }
}
