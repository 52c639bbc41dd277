using System.CommandLine;
using Plumbline.Cli.Infrastructure;
using Plumbline.Storage.Consent;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb pause --as NAME</c> and <c>plumb resume --as NAME</c> (in team mode: the token's contributor).</summary>
internal static class PauseCommand
{
    public static Command CreatePause()
    {
        var actor = GlobalOptions.As("The contributor whose recording pauses");
        var command = new Command("pause", "Pause recording: until resume, events are dropped and kept only as a gap") { actor };
        return command.WithAction(async (context, ct) =>
        {
            var who = context.Actor(actor);
            long start;
            if (context.Team)
            {
                var status = await context.Api.PauseAsync(Self(await context.Api.MeAsync(ct)), ct);
                start = status.Pauses.Single(p => p.End is null).Start.ToUnixTimeMilliseconds();
            }
            else
            {
                start = (await new ContributorService(context.Store, context.Time).PauseAsync(who!, ct)).Start;
            }

            if (context.Json)
            {
                context.WriteJson(new { paused = true, since = ConsentShowCommand.Time(start) });
            }

            context.Say($"Recording paused since {ConsentShowCommand.Time(start)}. Resume with: plumb resume" + (who is null ? "" : $" --as {who}"));
            return ExitCodes.Success;
        });
    }

    private static string Self(Server.Contracts.MeResponse me) =>
        me.Contributor ?? throw Core.PlumblineException.BadInput("--token: pause and resume act for the token's contributor, and this token speaks for none (it is a curator or admin token)");

    public static Command CreateResume()
    {
        var actor = GlobalOptions.As("The contributor whose recording resumes");
        var command = new Command("resume", "Resume recording after a pause; the pause is logged as a gap") { actor };
        return command.WithAction(async (context, ct) =>
        {
            var who = context.Actor(actor);
            Core.Consent.PauseInterval pause;
            if (context.Team)
            {
                var status = await context.Api.ResumeAsync(Self(await context.Api.MeAsync(ct)), ct);
                var last = status.Pauses[^1];
                pause = new Core.Consent.PauseInterval(0, status.Id, last.Start.ToUnixTimeMilliseconds(), last.End!.Value.ToUnixTimeMilliseconds());
            }
            else
            {
                pause = await new ContributorService(context.Store, context.Time).ResumeAsync(who!, ct);
            }

            if (context.Json)
            {
                context.WriteJson(new { paused = false, gap = new { from = ConsentShowCommand.Time(pause.Start), to = ConsentShowCommand.Time(pause.End!.Value) } });
            }

            context.Say($"Recording resumed; the pause {ConsentShowCommand.Time(pause.Start)} – {ConsentShowCommand.Time(pause.End!.Value)} is logged as a gap.");
            return ExitCodes.Success;
        });
    }
}
