using System.CommandLine;
using System.Globalization;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Storage;
using Plumbline.Storage.Archive;
using Plumbline.Storage.Audit;

namespace Plumbline.Cli.Commands;

/// <summary>
/// <c>plumb audit --as C</c> (the entries about C's data), <c>plumb audit verify [--expect-head COUNT:HASH]</c>
/// and <c>plumb archive --as C --out FILE.zip</c> (export all my data).
/// </summary>
internal static class AuditCommands
{
    public static Command Create()
    {
        var who = new Option<string?>("--as") { Description = "The contributor whose data the entries are about" };
        var command = new Command("audit", "The tamper-evident audit log: who read or exported whose data, consent changes, withdrawals") { who, Verify() };
        return command.WithAction(async (context, ct) =>
        {
            var name = context.Get(who) ?? throw PlumblineException.BadInput("--as: name the contributor whose audit entries to list (or run plumb audit verify)");
            IReadOnlyList<AuditRow> rows;
            AuditHead head;
            if (context.Team)
            {
                var response = await context.Api.AuditAsync(name, ct);
                rows = response.Entries.Select(e => new AuditRow(e.Seq, e.Time, e.Actor, e.Action, e.Contributor, e.Subject, e.Detail.GetRawText())).ToList();
                head = new AuditHead(response.Head.Count, response.Head.Hash);
            }
            else
            {
                await using (var session = await context.Store.OpenAsync(write: false, ct))
                {
                    if (await session.FindContributorAsync(name, ct) is not { } contributor)
                    {
                        throw PlumblineException.NotFound($"--as: there is no contributor named '{name}' (plumb contributor list)");
                    }

                    name = contributor.Name;
                }

                rows = (await context.Audit.EntriesAboutAsync(name, ct))
                    .Select(e => new AuditRow(e.Seq, DateTimeOffset.FromUnixTimeMilliseconds(e.Time), e.Actor, e.Action, e.Contributor, e.Subject, e.Detail))
                    .ToList();
                head = await context.Audit.HeadAsync(ct);
            }

            if (context.Json)
            {
                context.WriteJson(new
                {
                    entries = rows.Select(r => new
                    {
                        seq = r.Seq,
                        time = ConsentShowCommand.Time(r.Time.ToUnixTimeMilliseconds()),
                        actor = r.Actor,
                        action = r.Action,
                        contributor = r.Contributor,
                        subject = r.Subject,
                        detail = System.Text.Json.JsonDocument.Parse(r.Detail).RootElement,
                    }),
                    head = new { count = head.Count, hash = head.Hash },
                });
                return ExitCodes.Success;
            }

            context.Say($"{rows.Count} audit entr{(rows.Count == 1 ? "y" : "ies")} about {name}'s data (log head {head}):");
            foreach (var r in rows)
            {
                context.Say(string.Create(CultureInfo.InvariantCulture, $"{r.Seq,6} {ConsentShowCommand.Time(r.Time.ToUnixTimeMilliseconds())} {r.Action,-8} {r.Actor} {r.Subject ?? "-"} {r.Detail}"));
            }

            return ExitCodes.Success;
        });
    }

    private static Command Verify()
    {
        var expect = new Option<string?>("--expect-head") { Description = "COUNT:HASH from an export manifest or an earlier verify: the log must still hold exactly that prefix" };
        var command = new Command("verify", "Check every audit entry's HMAC chain, and the head against audit.head and --expect-head (exit 3 naming the first bad entry)") { expect };
        return command.WithAction(async (context, ct) =>
        {
            var expected = context.Get(expect) is { } text ? AuditHead.Parse(text, "--expect-head") : (AuditHead?)null;
            var result = await context.Audit.VerifyAsync(expected, ct);
            if (context.Json)
            {
                context.WriteJson(new
                {
                    ok = result.Ok,
                    head = new { count = result.Head.Count, hash = result.Head.Hash },
                    first_bad = result.FirstBad,
                    problem = result.Problem,
                    key_folder = context.Keys.Directory,
                });
            }
            else if (result.Ok)
            {
                context.Say($"The audit log is intact: {result.Head.Count} entries, head {result.Head}.");
            }
            else
            {
                context.Say($"The audit log does NOT verify: first bad entry {result.FirstBad}: {result.Problem}.");
                context.Say($"  The entries before it verify (head {result.Head}).");
            }

            return result.Ok ? ExitCodes.Success : ExitCodes.CheckFailed;
        });
    }

    /// <summary><c>plumb archive --as C --out FILE.zip</c>.</summary>
    public static Command Archive()
    {
        var who = new Option<string>("--as") { Description = "The contributor whose data to export (with --server: NAME, and the token must be theirs or an admin's)", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The zip file to write", Required = true };
        var command = new Command("archive", "Export all my data: one zip with my events, the documents I edited replayed, consent history, pauses, terms and the audit entries about me") { who, output };
        return command.WithAction(async (context, ct) =>
        {
            var path = context.Get(output).FullName;
            if (context.Team)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var partial = path + ".partial";
                await using (var file = File.Create(partial))
                {
                    await context.Api.ArchiveAsync(context.Get(who), file, ct);
                }

                File.Move(partial, path, overwrite: true);
                if (context.Json)
                {
                    context.WriteJson(new { path, contributor = context.Get(who) });
                }

                context.Say($"Downloaded {context.Get(who)}'s archive to {path} (its manifest.json lists every file with its SHA-256).");
                return ExitCodes.Success;
            }

            var result = await new ContributorArchive(context.Store, context.Audit, context.Time).WriteAsync(context.Get(who), path, AuditLog.LocalActor, ct);
            var members = result.Members;
            var head = result.AuditHead;
            if (context.Json)
            {
                context.WriteJson(new { path, contributor = result.Contributor, members = members.Select(m => new { name = m.Name, bytes = m.Bytes, sha256 = m.Sha256, records = m.Records }), audit_head = head });
                return ExitCodes.Success;
            }

            context.Say($"Wrote {result.Contributor}'s archive to {path}: {members.Count} file(s) and manifest.json; audit head {head}.");
            foreach (var m in members)
            {
                context.Say(string.Create(CultureInfo.InvariantCulture, $"  {m.Name}: {m.Records} record(s), {m.Bytes} bytes"));
            }

            return ExitCodes.Success;
        });
    }

    private sealed record AuditRow(long Seq, DateTimeOffset Time, string Actor, string Action, string? Contributor, string? Subject, string Detail);
}

/// <summary>
/// Reads done with direct store access are admin access: each is logged, about every contributor whose data it
/// shows, with the OS user as the actor (<c>local:NAME</c>), before anything is printed.
/// </summary>
internal static class LocalAudit
{
    public static async Task ReadAsync(CliContext context, IStoreSession session, DocumentInfo document, string what, CancellationToken ct)
    {
        var names = (await session.ListContributorsAsync(ct)).ToDictionary(c => c.Id, c => c.Name);
        var owners = await session.DocumentContributorsAsync(document.Id, ct);
        if (owners.Count == 0)
        {
            return;
        }

        await context.Audit.RecordAsync(
            owners.Select(id => new AuditEvent(AuditLog.LocalActor, AuditActions.Read, names.GetValueOrDefault(id, $"#{id}"), document.Name, new { what })).ToList(),
            ct);
    }

    public static async Task ReadAllAsync(CliContext context, IEnumerable<string> contributors, string what, CancellationToken ct)
    {
        var entries = contributors.Order(StringComparer.Ordinal).Select(c => new AuditEvent(AuditLog.LocalActor, AuditActions.Read, c, null, new { what })).ToList();
        if (entries.Count > 0)
        {
            await context.Audit.RecordAsync(entries, ct);
        }
    }
}
