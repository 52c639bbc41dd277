using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Core.Curation;
using Plumbline.Storage;
using Plumbline.Storage.Labels;

namespace Plumbline.Cli.Commands.Labels;

/// <summary>A file read for a command, with its SHA-256 for the report's run block.</summary>
internal sealed record InputFile(string Path, string Sha256);

/// <summary>Labels to analyse: from a CSV file or from a campaign in the store.</summary>
internal sealed record LabelSource(
    string Name,
    IReadOnlyList<LabelRow> Labels,
    IReadOnlyList<PairwiseRow> Comparisons,
    IReadOnlyDictionary<string, string> Gold,
    IReadOnlyList<GuidelineVersion> Guidelines,
    IReadOnlyList<InputFile> Inputs);

/// <summary>The FILE argument and the --campaign/--gold options the analysis verbs share, and how they are read.</summary>
internal sealed class LabelInput
{
    public Argument<FileInfo?> File { get; } = new("FILE")
    {
        Description = "Labels as CSV with a header (crowd-kit conventions): task,worker,label [,guideline] [,group]; with --pairwise worker,task,left,right,label",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public Option<string?> Campaign { get; } = new("--campaign") { Description = "Read the labels of this campaign from the store instead of a file" };

    public Option<FileInfo?> Gold { get; } = new("--gold") { Description = "Known answers as CSV task,label (gold or honeypot items)" };

    public void AddTo(Command command)
    {
        command.Add(File);
        command.Add(Campaign);
        command.Add(Gold);
    }

    public static (string Text, InputFile Input) ReadText(FileInfo file, string what)
    {
        if (!file.Exists)
        {
            throw PlumblineException.BadInput($"{what}: {file.FullName}: no such file");
        }

        var bytes = System.IO.File.ReadAllBytes(file.FullName);
        return (new UTF8Encoding(false).GetString(bytes).TrimStart('\uFEFF'), new InputFile(file.FullName, Convert.ToHexStringLower(SHA256.HashData(bytes))));
    }

    public static IReadOnlyList<GoldRow> ReadGold(FileInfo file, List<InputFile> inputs)
    {
        var (text, input) = ReadText(file, "--gold");
        inputs.Add(input);
        return LabelCsv.ReadGold(new StringReader(text), file.Name);
    }

    public async Task<LabelSource> ReadAsync(CliContext context, bool pairwise, CancellationToken cancellationToken)
    {
        var file = context.Get(File);
        var campaign = context.Get(Campaign);
        var inputs = new List<InputFile>();
        var gold = new Dictionary<string, string>(StringComparer.Ordinal);
        LabelSource source;
        if (file is not null && campaign is not null)
        {
            throw PlumblineException.BadInput("give either FILE or --campaign, not both");
        }

        if (file is not null)
        {
            var (text, input) = ReadText(file, "FILE");
            inputs.Add(input);
            source = pairwise
                ? new LabelSource(file.Name, [], LabelCsv.ReadPairwise(new StringReader(text), file.Name), gold, [], inputs)
                : new LabelSource(file.Name, LabelCsv.ReadLabels(new StringReader(text), file.Name), [], gold, [], inputs);
        }
        else if (campaign is not null)
        {
            var data = await new LabelCampaignService(context.Store, context.Time).LoadAsync(campaign, cancellationToken);
            if ((data.Campaign.Kind == LabelCampaignService.Pairwise) != pairwise)
            {
                throw PlumblineException.BadInput(
                    $"--campaign: '{campaign}' holds {data.Campaign.Kind} labels{(pairwise ? "; drop --pairwise" : "; add --pairwise")}");
            }

            foreach (var (task, answer) in data.Gold)
            {
                gold[task] = answer;
            }

            source = new LabelSource($"campaign {campaign}", data.Labels, data.Comparisons, gold, data.Guidelines, inputs);
        }
        else
        {
            throw PlumblineException.BadInput("give a FILE of labels or --campaign NAME");
        }

        if (context.Get(Gold) is { } goldFile)
        {
            foreach (var row in ReadGold(goldFile, inputs))
            {
                gold[row.Task] = row.Label;
            }
        }

        if (source.Labels.Count == 0 && source.Comparisons.Count == 0)
        {
            throw PlumblineException.BadInput($"{source.Name}: no labels");
        }

        return source;
    }
}
