using System.CommandLine;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Core.Consent;
using Plumbline.Core.Datasets;
using Plumbline.Storage.Datasets;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb dataset build KIND --use USE --out DIR</c> and <c>plumb dataset verify DIR [--prune]</c>.</summary>
internal static class DatasetCommands
{
    public static Command Create() => new("dataset", "Build training datasets from consented records, with provenance; verify them later")
    {
        Build(),
        Verify(),
    };

    private static Command Build()
    {
        var kind = new Argument<string>("KIND") { Description = "next-edit, feedback, dialogue or commits" };
        var use = new Option<string>("--use") { Description = "research, training or public: only what every contributor's CURRENT consent releases for it", Required = true };
        var output = new Option<string>("--out") { Description = "The dataset folder to create (must not exist or be empty)", Required = true };
        var format = new Option<string>("--format") { Description = "chat, completion, or zeta (next-edit only)", DefaultValueFactory = _ => "chat" };
        var split = new Option<string>("--split") { Description = "train,validation,test fractions", DefaultValueFactory = _ => "0.9,0.05,0.05" };
        var splitBy = new Option<string>("--split-by") { Description = "contributor or document: never one in two splits", DefaultValueFactory = _ => "contributor" };
        var seed = new Option<long>("--seed") { Description = "Seed of the split", DefaultValueFactory = _ => 1 };
        var maxChars = new Option<int>("--max-chars") { Description = "The excerpt / prompt context is at most this many code points", DefaultValueFactory = _ => NextEditOptions.Default.MaxChars };
        var maxEditable = new Option<int>("--max-editable-chars") { Description = "next-edit: the editable region is at most this many code points", DefaultValueFactory = _ => NextEditOptions.Default.MaxEditableChars };
        var contextLines = new Option<int>("--context-lines") { Description = "next-edit: lines of context inside the editable region around the change", DefaultValueFactory = _ => NextEditOptions.Default.EditableContextLines };
        var history = new Option<int>("--history") { Description = "next-edit: earlier edit units given as diffs", DefaultValueFactory = _ => NextEditOptions.Default.History };
        var pause = new Option<long>("--pause-ms") { Description = "edit units: a pause longer than this ends a unit (where timestamps are usable)", DefaultValueFactory = _ => EditUnitOptions.Default.PauseMs };
        var jump = new Option<int>("--jump-chars") { Description = "edit units: a patch further than this from the cursor starts a new unit", DefaultValueFactory = _ => EditUnitOptions.Default.JumpChars };
        var wordChars = new Option<int>("--word-chars") { Description = "edit units: after this many changed code points a word boundary ends the unit", DefaultValueFactory = _ => EditUnitOptions.Default.WordBoundaryChars };
        var maxPatches = new Option<int>("--max-unit-patches") { Description = "edit units: at most this many patches", DefaultValueFactory = _ => EditUnitOptions.Default.MaxUnitPatches };
        var noLineBreak = new Option<bool>("--no-line-break-units") { Description = "edit units: a typed line break does not end a unit" };
        var timestamps = new Option<string>("--timestamps") { Description = "edit units: auto (use times where a document has them), use, ignore", DefaultValueFactory = _ => "auto" };
        var dedup = new Option<double>("--dedup") { Description = "Near-duplicate Jaccard threshold (MinHash/LSH); 0 turns removal off", DefaultValueFactory = _ => 0.8 };
        var feedbackWindow = new Option<double>("--feedback-window-hours") { Description = "feedback: edits up to this long after an unresolved comment answer it", DefaultValueFactory = _ => 168 };
        var feedbackNear = new Option<int>("--feedback-near") { Description = "feedback: edits this many code points around the range count as in it", DefaultValueFactory = _ => 200 };
        var dialogueGap = new Option<double>("--dialogue-gap-seconds") { Description = "dialogue: a silence longer than this becomes a [pause] marker", DefaultValueFactory = _ => 10 };
        var documents = new Option<string[]>("--doc") { Description = "Only this document, meeting or repository (repeatable)", AllowMultipleArgumentsPerToken = false };
        var command = new Command("build", "Build a dataset folder: split files, manifest.json, provenance.jsonl, README.md card")
        {
            kind, use, output, format, split, splitBy, seed, maxChars, maxEditable, contextLines, history, pause, jump, wordChars, maxPatches,
            noLineBreak, timestamps, dedup, feedbackWindow, feedbackNear, dialogueGap, documents,
        };
        return command.WithAction(async (context, ct) =>
        {
            if (!ConsentTerms.TryParseUse(context.Get(use), out var parsedUse))
            {
                throw PlumblineException.BadInput($"--use: '{context.Get(use)}' is not one of research, training, public");
            }

            var mode = context.Get(timestamps) switch
            {
                "auto" => TimestampMode.Auto,
                "use" => TimestampMode.Use,
                "ignore" => TimestampMode.Ignore,
                var other => throw PlumblineException.BadInput($"--timestamps: '{other}' is not one of auto, use, ignore"),
            };
            var options = new DatasetBuildOptions
            {
                Kind = DatasetNames.ParseKind(context.Get(kind)),
                Use = parsedUse,
                Output = context.Get(output),
                Format = DatasetNames.ParseFormat(context.Get(format)),
                Split = SplitAssigner.Parse(context.Get(split)),
                SplitBy = DatasetNames.ParseSplitBy(context.Get(splitBy)),
                Seed = context.Get(seed),
                NextEdit = new NextEditOptions
                {
                    MaxChars = context.Get(maxChars),
                    MaxEditableChars = Math.Min(context.Get(maxEditable), context.Get(maxChars)),
                    EditableContextLines = context.Get(contextLines),
                    History = context.Get(history),
                },
                Units = new EditUnitOptions
                {
                    PauseMs = context.Get(pause),
                    JumpChars = context.Get(jump),
                    WordBoundaryChars = context.Get(wordChars),
                    MaxUnitPatches = context.Get(maxPatches),
                    BreakAtLineEnd = !context.Get(noLineBreak),
                    Timestamps = mode,
                },
                DedupThreshold = context.Get(dedup),
                FeedbackWindowMs = (long)(context.Get(feedbackWindow) * 3_600_000),
                FeedbackNearChars = context.Get(feedbackNear),
                DialogueGapMs = (long)(context.Get(dialogueGap) * 1000),
                Documents = context.Get(documents) ?? [],
                CommandLine = "plumb " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
            };
            var result = await context.WithProgressAsync($"Building {options.Kind.Name()}", p => new DatasetBuilder(context.Store, context.Time, context.Audit, Storage.Audit.AuditLog.LocalActor).BuildAsync(options, p, ct));
            if (context.Json)
            {
                context.WriteJson(result);
                return ExitCodes.Success;
            }

            context.Say($"Wrote {result.Examples} {result.Kind} example(s) ({result.Format}, use '{result.Use}') to {result.Path}: {string.Join(", ", result.Splits.Select(s => $"{s.Key} {s.Value}"))}.");
            context.Say($"  {result.Documents} document(s), {result.Contributors} contributor(s); {result.DuplicatesRemoved} near-duplicate(s) removed; {result.ExamplesRedacted} example(s) redacted; recorded as export {result.ExportId}.");
            foreach (var (name, count) in result.Counters)
            {
                context.Say($"  {name}: {count}");
            }

            foreach (var excluded in result.Excluded)
            {
                context.Say($"  left out {excluded.Name}: {excluded.Reason}");
            }

            return ExitCodes.Success;
        });
    }

    private static Command Verify()
    {
        var folder = new Argument<string>("DIR") { Description = "A dataset folder built by plumb dataset build" };
        var prune = new Option<bool>("--prune") { Description = "Also write a cleaned copy without the flagged examples" };
        var output = new Option<string?>("--out") { Description = "Where --prune writes the cleaned copy (default: DIR-pruned)" };
        var command = new Command("verify", "Re-check a dataset against the store: withdrawn, missing, redacted, or no longer consented examples (exit 3 if any)") { folder, prune, output };
        return command.WithAction(async (context, ct) =>
        {
            var dir = context.Get(folder);
            var pruneTo = context.Get(prune) ? context.Get(output) ?? Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar) + "-pruned" : null;
            var result = await context.WithProgressAsync("Verifying", _ => new DatasetVerifier(context.Store, context.Time).VerifyAsync(dir, pruneTo, ct));
            if (context.Json)
            {
                context.WriteJson(new
                {
                    path = result.Path,
                    ok = result.Ok,
                    examples = result.Examples,
                    passed = result.Passed,
                    by_status = result.ByStatus,
                    findings = result.Findings,
                    file_problems = result.FileProblems,
                    pruned_to = result.PrunedTo,
                    pruned_examples = result.PrunedExamples,
                });
            }
            else
            {
                context.Say($"{result.Examples} example(s) checked against {context.Store.Description}: {result.Passed} still hold.");
                foreach (var finding in result.Findings)
                {
                    context.Say($"  {finding.Id} ({finding.Split}): {finding.Status}: {finding.Reason}");
                }

                foreach (var problem in result.FileProblems)
                {
                    context.Say($"  file {problem}");
                }

                if (result.PrunedTo is not null)
                {
                    context.Say($"Wrote a cleaned copy with {result.PrunedExamples} example(s) to {result.PrunedTo}.");
                }
            }

            return result.Ok ? ExitCodes.Success : ExitCodes.CheckFailed;
        });
    }
}
