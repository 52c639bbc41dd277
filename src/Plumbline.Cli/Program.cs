using System.CommandLine;
using Plumbline.Cli.Commands;
using Plumbline.Cli.Infrastructure;

var root = new RootCommand("plumb — record research work with consent, replay it exactly, build datasets, supervise models")
{
    GlobalOptions.Store,
    GlobalOptions.Json,
    new Command("contributor", "Contributors") { ContributorAddCommand.Create(), ContributorListCommand.Create() },
    new Command("consent", "Consent: what is recorded, for which uses") { ConsentSetCommand.Create(), ConsentShowCommand.Create() },
    TermsCommand.Create(),
    PauseCommand.CreatePause(),
    PauseCommand.CreateResume(),
    new Command("import", "Import recorded work")
    {
        ImportTraceCommand.Create(),
        ImportEtherpadCommand.Create(),
        ImportGitCommand.Create(),
        ImportTranscriptCommand.Create(Plumbline.Core.Capture.Transcripts.TranscriptFormat.WebVtt),
        ImportTranscriptCommand.Create(Plumbline.Core.Capture.Transcripts.TranscriptFormat.Srt),
    },
    new Command("comment", "Comments anchored to ranges of a document") { CommentAddCommand.Create(), CommentResolveCommand.Create(), CommentListCommand.Create() },
    WatchCommand.Create(),
    NoteCommand.Create(),
    new Command("redact", "Secrets and personal data: show what would be redacted") { RedactCheckCommand.Create(), RedactCheckCommand.Terms, RedactCheckCommand.Disable },
    ReplayCommand.Create(),
    LogCommand.Create(),
    DocsCommand.Create(),
    new Command("export", "Export what consent releases") { ExportTracesCommand.Create() },
    new Command("store", "The store itself") { StoreStatsCommand.Create() },
    DemoCommand.Create(),
    SampleCommand.Create(), ModelCommands.Create(),
    TasksCommands.Create(),
};

return await Cli.RunAsync(root, args);
