using System.CommandLine;
using Plumbline.Cli.Infrastructure;
using Plumbline.Storage.Consent;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb pause --as NAME</c> and <c>plumb resume --as NAME</c>.</summary>
internal static class PauseCommand
{
    public static Command CreatePause()
    {
        var actor = GlobalOptions.As("The contributor whose recording pauses");
        var command = new Command("pause", "Pause recording: until resume, events are dropped and kept only as a gap") { actor };
        return command.WithAction(async (context, ct) =>
        {
            var pause = await new ContributorService(context.Store, context.Time).PauseAsync(context.Get(actor), ct);
            if (context.Json)
            {
                context.WriteJson(new { paused = true, since = ConsentShowCommand.Time(pause.Start) });
            }

            context.Say($"Recording paused since {ConsentShowCommand.Time(pause.Start)}. Resume with: plumb resume --as {context.Get(actor)}");
            return ExitCodes.Success;
        });
    }

    public static Command CreateResume()
    {
        var actor = GlobalOptions.As("The contributor whose recording resumes");
        var command = new Command("resume", "Resume recording after a pause; the pause is logged as a gap") { actor };
        return command.WithAction(async (context, ct) =>
        {
            var pause = await new ContributorService(context.Store, context.Time).ResumeAsync(context.Get(actor), ct);
            if (context.Json)
            {
                context.WriteJson(new { paused = false, gap = new { from = ConsentShowCommand.Time(pause.Start), to = ConsentShowCommand.Time(pause.End!.Value) } });
            }

            context.Say($"Recording resumed; the pause {ConsentShowCommand.Time(pause.Start)} – {ConsentShowCommand.Time(pause.End!.Value)} is logged as a gap.");
            return ExitCodes.Success;
        });
    }
}
