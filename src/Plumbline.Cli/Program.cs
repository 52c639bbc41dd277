using System.CommandLine;
using Plumbline.Cli.Commands;
using Plumbline.Cli.Infrastructure;

var root = new RootCommand("plumb — record research work with consent, replay it exactly, build datasets, supervise models")
{
    GlobalOptions.Store,
    GlobalOptions.Keys,
    GlobalOptions.Json,
    GlobalOptions.Server,
    GlobalOptions.Token,
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
    new Command("redact", "Secrets and personal data: show what would be redacted; redact your own text (review before release)") { RedactCheckCommand.Create(), RedactCheckCommand.Terms, RedactCheckCommand.Disable, ReviewRedactCommands.Span(), ReviewRedactCommands.Range(), ReviewRedactCommands.List() },
    ReplayCommand.Create(),
    LogCommand.Create(),
    DocsCommand.Create(),
    new Command("export", "Export what consent releases") { ExportTracesCommand.Create() },
    DatasetCommands.Create(),
    WithdrawCommand.Create(),
    KeysCommands.Create(), BackupCommands.CreateBackup(), BackupCommands.CreateRestore(),
    new Command("store", "The store itself") { StoreStatsCommand.Create() },
    Plumbline.Cli.Commands.Diff.DiffCommand.Create(),
    DemoCommand.Create(),
    SampleCommand.Create(), ModelCommands.Create(),
    Plumbline.Cli.Commands.Labels.LabelsCommand.Create(),
    ServeCommand.Create(),
    TokenCommands.Create(),
    ShareCommands.Create(),
    Plumbline.Cli.Commands.Probes.ProbeCommands.Create(),
    Plumbline.Cli.Commands.Drift.DriftCommand.Create(), Plumbline.Cli.Commands.Drift.SimulateCommand.Create(),
    TasksCommands.Create(),
    AuditCommands.Create(), AuditCommands.Archive(),
};

return await Cli.RunAsync(root, args);
