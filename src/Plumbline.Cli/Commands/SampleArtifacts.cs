using Plumbline.Core.Consent;
using Plumbline.Core.Datasets;
using Plumbline.Cli.Infrastructure;
using Plumbline.Storage;
using Plumbline.Storage.Datasets;
using Plumbline.Storage.Samples;

namespace Plumbline.Cli.Commands;

/// <summary>
/// What <c>plumb serve --sample</c> makes from the sample workspace besides the store, once, in a folder
/// beside the store (<c>.plumbline/sample/</c> for the default store): a next-edit dataset built from the
/// sample's documents (recorded in the store as an export, like any build), and the offline behaviour-diff
/// report of the repository's <c>samples/diff</c> files (real model-written statements with planted shifts).
/// </summary>
internal static class SampleArtifacts
{
    /// <summary>Documents the sample dataset is built from: the scripted note and two of the real traces (the large ones would make the first start slow).</summary>
    private static readonly string[] DatasetDocuments = [SampleWorkspace.NoteDocument, "seph-blog1", "sveltecomponent"];

    public static string Folder(CliContext context)
    {
        var store = context.StorePath;
        var beside = TraceStores.IsPostgres(store) ? Path.GetFullPath(".plumbline") : Path.GetDirectoryName(Path.GetFullPath(store))!;
        return Path.Combine(beside, "sample");
    }

    /// <summary>Builds what is missing; returns the lines to print.</summary>
    public static async Task<IReadOnlyList<string>> EnsureAsync(CliContext context, ITraceStore store, CancellationToken ct)
    {
        var lines = new List<string>();
        var folder = Folder(context);
        var dataset = Path.Combine(folder, "dataset-next-edit");
        if (!File.Exists(Path.Combine(dataset, "manifest.json")))
        {
            if (Directory.Exists(dataset))
            {
                Directory.Delete(dataset, recursive: true); // a build cut short: it is written aside and moved in whole, so this holds nothing of value
            }

            Directory.CreateDirectory(folder);
            var options = new DatasetBuildOptions
            {
                Kind = DatasetKind.NextEdit,
                Use = DataUse.Training,
                Output = dataset,
                Format = DatasetFormat.Zeta,
                SplitBy = SplitBy.Document,
                Documents = DatasetDocuments,
                CommandLine = "plumb serve --sample (dataset build next-edit --use training --format zeta --split-by document)",
            };
            var result = await context.WithProgressAsync("Building the sample dataset", p => new DatasetBuilder(store, context.Time, new Storage.Audit.AuditLog(store, context.Keys, context.Time), Storage.Audit.AuditLog.LocalActor).BuildAsync(options, p, ct));
            lines.Add($"  dataset   {dataset}  ({result.Examples:N0} next-edit examples, zeta format; see its README.md)");
        }
        else
        {
            lines.Add($"  dataset   {dataset}");
        }

        var report = Path.Combine(folder, "diff-report");
        if (!File.Exists(Path.Combine(report, "report.html")))
        {
            if (RepositoryFolders.Find(Path.Combine("samples", "diff")) is { } samples)
            {
                await context.WithProgressAsync("Diffing the sample responses", async _ =>
                    await Diff.DiffCommand.WriteReportAsync(
                        context,
                        new FileInfo(Path.Combine(samples, "before.jsonl")),
                        new FileInfo(Path.Combine(samples, "after.jsonl")),
                        new DirectoryInfo(report),
                        ct));
                lines.Add($"  diff      {Path.Combine(report, "report.html")}  (behaviour diff of samples/diff: open it in a browser)");
            }
            else
            {
                lines.Add("  diff      samples/diff not found beside this build: no sample diff report");
            }
        }
        else
        {
            lines.Add($"  diff      {Path.Combine(report, "report.html")}");
        }

        return lines;
    }
}
