using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core.Capture;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Ingest;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb log [--doc DOC] [--json]</c>: the event log in id order.</summary>
internal static class LogCommand
{
    public static Command Create()
    {
        var doc = new Option<string?>("--doc") { Description = "Only the events of this document" };
        var limit = new Option<int?>("--limit") { Description = "Stop after this many events" };
        var command = new Command("log", "List events: edits (one per patch), comments, gaps") { doc, limit };
        return command.WithAction(async (context, ct) =>
        {
            if (context.Team)
            {
                await LogThroughServerAsync(context, context.Get(doc), context.Get(limit) ?? int.MaxValue, ct);
                return ExitCodes.Success;
            }

            await using var session = await context.Store.OpenAsync(write: false, ct);
            var document = context.Get(doc) is { } name ? await DocumentReader.RequireAsync(session, name, ct) : null;
            var names = (await session.ListContributorsAsync(ct)).ToDictionary(c => c.Id, c => c.Name);
            if (document is not null)
            {
                await LocalAudit.ReadAsync(context, session, document, "log", ct);
            }
            else
            {
                await LocalAudit.ReadAllAsync(context, names.Values, "log", ct);
            }

            var max = context.Get(limit) ?? int.MaxValue;
            await using var stdout = Console.OpenStandardOutput();
            await using var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Encoder = CliContext.JsonOptions.Encoder });
            if (context.Json)
            {
                writer.WriteStartObject();
                writer.WriteStartArray("events");
            }

            var count = 0;
            await foreach (var entry in EventLog.ReadAsync(session, document, ct))
            {
                if (count++ >= max)
                {
                    break;
                }

                if (context.Json)
                {
                    Write(writer, entry, names);
                    if (writer.BytesPending > 1 << 16)
                    {
                        await writer.FlushAsync(ct);
                    }
                }
                else
                {
                    await writer.FlushAsync(ct);
                    var line = System.Text.Encoding.UTF8.GetBytes(Describe(entry, names) + "\n");
                    await stdout.WriteAsync(line, ct);
                }
            }

            if (context.Json)
            {
                writer.WriteEndArray();
                writer.WriteEndObject();
                await writer.FlushAsync(ct);
                await stdout.WriteAsync("\n"u8.ToArray(), ct);
            }

            return ExitCodes.Success;
        });
    }

    /// <summary>
    /// The same output, page by page from the server (which shows a contributor only their documents and events), each
    /// page after the previous one's cursor, until the server has no more: on PostgreSQL an event committed late by a
    /// concurrent writer comes after the events already listed, never skipped.
    /// </summary>
    private static async Task LogThroughServerAsync(CliContext context, string? document, int max, CancellationToken ct)
    {
        await using var stdout = Console.OpenStandardOutput();
        await using var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Encoder = CliContext.JsonOptions.Encoder });
        if (context.Json)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("events");
        }

        var count = 0;
        string? cursor = null;
        while (count < max)
        {
            var page = await context.Api.EventPageAsync(document, cursor, Math.Min(10_000, max - count), ct);
            foreach (var e in page.Events)
            {
                count++;
                if (context.Json)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("id", e.Id);
                    writer.WriteString("kind", e.Kind);
                    writer.WriteString("source", e.Source);
                    writer.WriteString("contributor", e.Contributor);
                    writer.WriteString("document", e.Document);
                    if (e.Revision is { } r)
                    {
                        writer.WriteNumber("revision", r);
                    }

                    if (e.Patch is { } p)
                    {
                        writer.WriteNumber("patch", p);
                    }

                    writer.WriteString("time", ConsentShowCommand.Time(e.Time.ToUnixTimeMilliseconds()));
                    writer.WriteNumber("consent_version", e.ConsentVersion);
                    writer.WritePropertyName("payload");
                    e.Payload.WriteTo(writer);
                    writer.WriteEndObject();
                }
                else
                {
                    await writer.FlushAsync(ct);
                    var where = e.Document is null ? "" : $" {e.Document}" + (e.Revision is { } r ? $"@{r}" : "");
                    var line = string.Create(CultureInfo.InvariantCulture, $"{e.Id,8} {ConsentShowCommand.Time(e.Time.ToUnixTimeMilliseconds())} {e.Kind,-16} {e.Contributor ?? "-"}{where} {e.Payload.GetRawText()}\n");
                    await stdout.WriteAsync(System.Text.Encoding.UTF8.GetBytes(line), ct);
                }
            }

            if (!page.More)
            {
                break;
            }

            cursor = page.Cursor;
        }

        if (context.Json)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
            await writer.FlushAsync(ct);
            await stdout.WriteAsync("\n"u8.ToArray(), ct);
        }
    }

    private static void Write(Utf8JsonWriter writer, LogEntry entry, Dictionary<long, string> names)
    {
        writer.WriteStartObject();
        writer.WriteNumber("id", entry.Id);
        writer.WriteString("kind", entry.Kind.Name());
        writer.WriteString("source", entry.Source.Name());
        if (entry.ContributorId is { } c)
        {
            writer.WriteString("contributor", names.GetValueOrDefault(c));
        }
        else
        {
            writer.WriteNull("contributor");
        }

        writer.WriteString("document", entry.Document);
        if (entry.Revision is { } r)
        {
            writer.WriteNumber("revision", r);
        }

        if (entry.PatchIndex is { } p)
        {
            writer.WriteNumber("patch", p);
        }

        writer.WriteString("time", ConsentShowCommand.Time(entry.Time));
        writer.WriteNumber("consent_version", entry.ConsentVersion);
        writer.WritePropertyName("payload");
        if (entry.Patch is { } patch)
        {
            writer.WriteStartObject();
            writer.WriteNumber("position", patch.Position);
            writer.WriteNumber("delete", patch.Delete);
            if (entry.Kind == EventKind.Gap)
            {
                writer.WriteNumber("inserted_length", patch.InsertLength);
                writer.WriteBoolean("withheld", true);
            }
            else
            {
                writer.WriteString("insert", patch.Insert);
            }

            writer.WriteEndObject();
        }
        else
        {
            using var payload = JsonDocument.Parse(entry.Payload ?? "{}");
            payload.RootElement.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    private static string Describe(LogEntry e, Dictionary<long, string> names)
    {
        var who = e.ContributorId is { } c ? names.GetValueOrDefault(c, "?") : "-";
        var where = e.Document is null ? "" : $" {e.Document}" + (e.Revision is { } r ? $"@{r}" : "");
        var what = e.Patch is { } p
            ? e.Kind == EventKind.Gap
                ? $"[{p.Position}, {p.Delete}, <{p.InsertLength} withheld>]"
                : $"[{p.Position}, {p.Delete}, {JsonSerializer.Serialize(p.Insert, CliContext.JsonOptions)}]"
            : e.Payload;
        return string.Create(CultureInfo.InvariantCulture, $"{e.Id,8} {ConsentShowCommand.Time(e.Time)} {e.Kind.Name(),-16} {who}{where} {what}");
    }
}
