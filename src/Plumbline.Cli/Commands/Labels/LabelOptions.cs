using System.CommandLine;
using Plumbline.Core;
using Plumbline.Core.Curation.Aggregation;

namespace Plumbline.Cli.Commands.Labels;

/// <summary>Options shared by several label verbs, and the parsing of their names.</summary>
internal static class LabelOptions
{
    public static readonly string[] Methods = ["mv", "wawa", "ds", "glad", "mace"];

    public static Option<string> Method(string fallback, string description) => new Option<string>("--method")
    {
        Description = description,
        DefaultValueFactory = _ => fallback,
    };

    public static Option<int> Seed() => new("--seed") { Description = "Seed of the bootstrap and of random draws (default 0)", DefaultValueFactory = _ => 0 };

    public static AggregationMethod ParseMethod(string name) => name switch
    {
        "mv" => AggregationMethod.MajorityVote,
        "wawa" => AggregationMethod.Wawa,
        "ds" => AggregationMethod.DawidSkene,
        "glad" => AggregationMethod.Glad,
        "mace" => AggregationMethod.Mace,
        _ => throw PlumblineException.BadInput($"--method: '{name}' is not one of {string.Join(", ", Methods)}"),
    };

    public static string F(double value, string format = "0.000") =>
        double.IsNaN(value) ? "–" : value.ToString(format, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>JSON has no NaN: undefined coefficients are written as null.</summary>
    public static double? Json(double value) => double.IsNaN(value) || double.IsInfinity(value) ? null : Math.Round(value, 6);
}
