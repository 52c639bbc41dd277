using System.CommandLine;

namespace Plumbline.Cli.Infrastructure;

internal static class Cli
{
    /// <summary>Parses and runs; usage errors exit 2 with the parser's message naming the argument.</summary>
    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"plumb: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Run 'plumb --help' (or the command with --help) for usage.");
            return ExitCodes.BadInput;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = true });
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Cancelled;
        }
    }
}
