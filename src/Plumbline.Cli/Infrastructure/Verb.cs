using System.CommandLine;
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
        FailureKind.BadInput or FailureKind.NotFound => BadInput,
        FailureKind.Refused => CheckFailed,
        _ => Failure,
    };
}

/// <summary>Wires a verb's body to its command, mapping expected failures to exit codes at this one edge.</summary>
internal static class Verb
{
    public static Command WithAction(this Command command, Func<CliContext, CancellationToken, Task<int>> body)
    {
        command.SetAction(async (parse, cancellationToken) =>
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
        });
        return command;
    }
}
