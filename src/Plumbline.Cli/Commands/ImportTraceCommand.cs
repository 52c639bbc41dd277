using System.CommandLine;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core.Capture;
using Plumbline.Core.Capture.Traces;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb import trace FILE --as NAME [--doc DOC]</c>: a josephg/editing-traces file, plain or gzip.</summary>
internal static class ImportTraceCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A trace {startContent, endContent, txns:[{time, patches:[[pos, del, ins]]}]}, .json or .json.gz" };
        var actor = GlobalOptions.As("The contributor who typed the trace");
        var doc = new Option<string?>("--doc") { Description = "The document name (default: the file name without extensions)" };
        var command = new Command("trace", "Import a keystroke-level editing trace; each transaction becomes a revision") { file, actor, doc };
        return command.WithAction(async (context, ct) =>
        {
            var who = context.Actor(actor);
            var input = ImportFiles.Read(context.Get(file));
            var name = context.Get(doc) ?? ImportFiles.DocumentName(input.File);
            var fallback = context.Time.GetUtcNow().ToUnixTimeMilliseconds();
            var trace = EditingTraceReader.Parse(input.Bytes, input.File.Name, fallback);
            var batch = new EditBatch
            {
                Document = name,
                StartContent = trace.StartContent,
                Transactions = trace.Transactions,
                Actor = who ?? "",
                BatchId = $"trace:{input.Sha256}:{name}",
                ExpectedEnd = trace.EndContent,
                Locate = (t, p) => t < 0 ? $"{input.File.Name}: $.endContent" : $"{input.File.Name}: $.txns[{t}].patches[{p}]",
            };
            var result = await context.WithProgressAsync(
                $"Importing {input.File.Name}",
                progress => TeamMode.IngestAsync(context, batch, progress, ct));
            ImportFiles.Report(context, result);
            return ExitCodes.Success;
        });
    }
}
