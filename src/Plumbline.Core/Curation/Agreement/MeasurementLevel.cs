namespace Plumbline.Core.Curation.Agreement;

/// <summary>Krippendorff's levels of measurement: which differences between values count, and how much.</summary>
public enum MeasurementLevel
{
    Nominal,
    Ordinal,
    Interval,
    Ratio,
}

/// <summary>Disagreement weights for Cohen's kappa over ordered categories.</summary>
public enum KappaWeights
{
    Unweighted,
    Linear,
    Quadratic,
}
