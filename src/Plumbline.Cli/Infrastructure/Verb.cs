using System.CommandLine;
using System.CommandLine.Invocation;
using Plumbline.Core;

namespace Plumbline.Cli.Infrastructure;

/// <summary>Exit codes of the contract.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
    public const int CheckFailed = 3;
    public const int Cancelled = 130;

    public static int For(FailureKind kind) => kind switch
    {
        FailureKind.BadInput or FailureKind.NotFound or FailureKind.Conflict => BadInput,
        FailureKind.Refused => CheckFailed,
        _ => Failure,
    };
}

/// <summary>Wires a verb's body to its command, mapping expected failures to exit codes at this one edge.</summary>
internal static class Verb
{
    public static Command WithAction(this Command command, Func<CliContext, CancellationToken, Task<int>> body)
    {
        command.SetAction((parse, cancellationToken) => RunAsync(parse, body, cancellationToken));
        return command;
    }

    /// <summary>Makes an option a verb of its own (<c>plumb redact --check FILE</c>): given, it runs <paramref name="body"/>.</summary>
    public static Option<T> WithAction<T>(this Option<T> option, Func<CliContext, CancellationToken, Task<int>> body)
    {
        option.Action = new OptionAction(body);
        return option;
    }

    private static async Task<int> RunAsync(ParseResult parse, Func<CliContext, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        var context = new CliContext(parse, TimeProvider.System);
        try
        {
            return await body(context, cancellationToken);
        }
        catch (PlumblineException e)
        {
            await Console.Error.WriteLineAsync($"plumb: {e.Message}");
            return ExitCodes.For(e.Kind);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("plumb: cancelled; nothing of the unfinished step was stored");
            return ExitCodes.Cancelled;
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"plumb: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (UnauthorizedAccessException e)
        {
            await Console.Error.WriteLineAsync($"plumb: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"plumb: internal error ({e.GetType().Name}): {e.Message}");
            if (Environment.GetEnvironmentVariable("PLUMBLINE_DEBUG") is { Length: > 0 })
            {
                await Console.Error.WriteLineAsync(e.ToString());
            }

            return ExitCodes.Failure;
        }
        finally
        {
            await context.DisposeStoreAsync();
        }
    }

    private sealed class OptionAction(Func<CliContext, CancellationToken, Task<int>> body) : AsynchronousCommandLineAction
    {
        public override Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default) =>
            RunAsync(parseResult, body, cancellationToken);
    }
}
