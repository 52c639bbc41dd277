using System.CommandLine;
using System.Globalization;
using Plumbline.Cli.Infrastructure;
using Spectre.Console;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb store stats</c>: bytes on disk, by file and by table and index.</summary>
internal static class StoreStatsCommand
{
    public static Command Create()
    {
        var command = new Command("stats", "Fold the write-ahead log into the store and show the bytes it takes, by table and index");
        return command.WithAction(async (context, ct) =>
        {
            var footprint = await context.Store.FootprintAsync(ct);
            if (context.Json)
            {
                context.WriteJson(new { store = context.Store.Description, total_bytes = footprint.TotalBytes, files = footprint.Files, objects = footprint.Objects });
                return ExitCodes.Success;
            }

            context.Say($"{context.Store.Description}: {footprint.TotalBytes:N0} bytes");
            var table = new Table().AddColumns("file or object", "bytes");
            foreach (var (name, bytes) in footprint.Files.Concat(footprint.Objects))
            {
                table.AddRow(Markup.Escape(name), bytes.ToString("N0", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
    }
}
