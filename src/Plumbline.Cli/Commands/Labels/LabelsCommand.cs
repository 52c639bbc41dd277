using System.CommandLine;

namespace Plumbline.Cli.Commands.Labels;

/// <summary><c>plumb labels …</c>: quality control for human labels.</summary>
internal static class LabelsCommand
{
    public static Command Create() => new("labels", "Human labels: agreement, aggregation, rater screening, the quality–quantity curve, campaigns")
    {
        LabelsAgreementCommand.Create(),
        LabelsAggregateCommand.Create(),
        LabelsRatersCommand.Create(),
        LabelsCurveCommand.Create(),
        LabelsCampaignCommands.Import(),
        LabelsCampaignCommands.Assign(),
        LabelsCampaignCommands.Export(),
    };
}
