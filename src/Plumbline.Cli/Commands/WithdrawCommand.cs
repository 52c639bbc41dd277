using System.CommandLine;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Server.Contracts;
using Plumbline.Storage;
using Plumbline.Storage.Withdrawal;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb withdraw CONTRIBUTOR [--source S]</c>: the store-level withdrawal, then crypto-shredding of their data keys; with <c>--server</c> through the API (self or admin).</summary>
internal static class WithdrawCommand
{
    public static Command Create()
    {
        var contributor = new Argument<string>("CONTRIBUTOR") { Description = "The contributor withdrawing (name or id)" };
        var source = new Option<string?>("--source") { Description = "Only this source: documents, code, meetings, commentary or keystrokes (default: all)" };
        var recordedBy = new Option<string?>("--recorded-by") { Description = "Who recorded the withdrawal (default: the current OS user)" };
        var command = new Command(
            "withdraw",
            "Delete a contributor's recorded events (optionally of one source) in one transaction and record the withdrawal. " +
            "Documents only they edited are removed; in shared documents their edits become withheld gaps (░). " +
            "Their data keys (of that source, or all) are then destroyed, so backups taken earlier cannot be decrypted for them either. " +
            "Datasets built earlier are listed: run 'plumb dataset verify' on them. Consent is not changed (plumb consent set does that).")
        {
            contributor, source, recordedBy,
        };
        return command.WithAction(async (context, ct) =>
        {
            SourceKind? only = null;
            if (context.Get(source) is { } name)
            {
                only = EventNames.TryParseSource(name, out var parsed)
                    ? parsed
                    : throw PlumblineException.BadInput($"--source: '{name}' is not one of documents, code, meetings, commentary, keystrokes");
            }

            WithdrawalResult result;
            if (context.Team)
            {
                if (context.Get(recordedBy) is not null)
                {
                    throw PlumblineException.BadInput("--recorded-by: not used with --server; the server records the token that asked");
                }

                // Naming the contributor on the command line is the confirmation the API asks for.
                var withdrawing = context.Get(contributor);
                var r = await context.Api.WithdrawAsync(withdrawing, new WithdrawRequest(withdrawing, only?.Name()), ct);
                result = new WithdrawalResult(
                    r.Withdrawal,
                    r.Contributor,
                    r.Source,
                    r.EditEvents,
                    r.RowEvents,
                    r.DocumentsDeleted,
                    r.DocumentsMasked,
                    r.AffectedDatasets.Concat(r.AffectedExports)
                        .Select(e => new ExportRecord(e.Id, e.Kind, e.Use, e.CreatedAt.ToUnixTimeMilliseconds(), e.Path, e.Examples, "", "", ""))
                        .ToList());
            }
            else
            {
                result = await new ContributorWithdrawal(context.Store, context.Time).WithdrawAsync(context.Get(contributor), only, context.Get(recordedBy) ?? Environment.UserName, ct);
                await context.Audit.RecordAsync(Storage.Audit.AuditEvents.Withdrew(Storage.Audit.AuditLog.LocalActor, result), ct);
            }

            if (context.Json)
            {
                context.WriteJson(new
                {
                    withdrawal = result.Id,
                    contributor = result.Contributor,
                    source = result.Source,
                    edit_events = result.EditEvents,
                    row_events = result.RowEvents,
                    documents_deleted = result.DocumentsDeleted,
                    documents_masked = result.DocumentsMasked,
                    exports = result.ExportsTouched.Select(e => new { id = e.Id, kind = e.Kind, path = e.Path, examples = e.Examples }),
                });
                return ExitCodes.Success;
            }

            context.Say($"Withdrew {result.Contributor}'s {result.Source ?? "recorded"} events: {result.EditEvents} edit event(s), {result.RowEvents} other event(s).");
            foreach (var document in result.DocumentsDeleted)
            {
                context.Say($"  removed {document}");
            }

            foreach (var document in result.DocumentsMasked)
            {
                context.Say($"  withheld their edits in {document} (others edited it too)");
            }

            foreach (var export in result.ExportsTouched)
            {
                context.Say($"  dataset {export.Path} ({export.Kind}, {export.Examples} examples) used their events: plumb dataset verify {export.Path} --prune");
            }

            return ExitCodes.Success;
        });
    }
}
