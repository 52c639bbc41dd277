namespace Plumbline.Core.Supervision.Diff;

/// <summary>Turns texts into vectors (the built-in LSA or an endpoint). All texts compared together are passed in one call.</summary>
public interface IDiffEmbedder
{
    /// <summary>A name for the report (a model reference).</summary>
    string Name { get; }

    /// <summary>One vector per text, in order, all of the same length.</summary>
    Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}

/// <summary>Writes a one-line summary of a response's behaviour (the facet), so clusters follow meaning rather than wording.</summary>
public interface IFacetWriter
{
    /// <summary>The model reference, for the report.</summary>
    string Name { get; }

    /// <summary>One line describing what the response does.</summary>
    Task<string> SummarizeAsync(string prompt, string response, CancellationToken cancellationToken);
}

/// <summary>Writes and checks cluster labels.</summary>
public interface IClusterLabeler
{
    /// <summary>The model reference, for the report.</summary>
    string Name { get; }

    /// <summary>A short label saying what the <paramref name="inside"/> examples share that the <paramref name="outside"/> ones (the nearest non-members) do not.</summary>
    Task<string> LabelAsync(IReadOnlyList<string> inside, IReadOnlyList<string> outside, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="text"/> fits <paramref name="label"/> (used to validate labels on held-out examples).</summary>
    Task<bool> MatchesAsync(string label, string text, CancellationToken cancellationToken);
}

/// <summary>A judge's verdict on one significant difference.</summary>
public enum Verdict
{
    /// <summary>What the fine-tuning was meant to do.</summary>
    Intended,

    /// <summary>Not intended, not obviously harmful.</summary>
    Unexpected,

    /// <summary>Not intended and worrying.</summary>
    Concerning,

    /// <summary>The judge's answer named no verdict (the reason holds the answer).</summary>
    Unreadable,
}

/// <summary>What the judge is shown about a difference.</summary>
/// <param name="Label">The cluster's label.</param>
/// <param name="Keywords">Its keywords.</param>
/// <param name="ShareBefore">Share of the before-samples in the cluster.</param>
/// <param name="ShareAfter">Share of the after-samples in the cluster.</param>
/// <param name="Examples">Example responses from the side that grew.</param>
public sealed record ShiftEvidence(string Label, IReadOnlyList<string> Keywords, double ShareBefore, double ShareAfter, IReadOnlyList<string> Examples);

/// <summary>The judge's verdict and its reason.</summary>
public sealed record JudgeVerdict(Verdict Verdict, string Reason);

/// <summary>Says whether a difference matches the intended change.</summary>
public interface IShiftJudge
{
    /// <summary>The model reference, for the report.</summary>
    string Name { get; }

    /// <summary>The verdict on one difference.</summary>
    Task<JudgeVerdict> JudgeAsync(string intended, ShiftEvidence evidence, CancellationToken cancellationToken);
}

/// <summary>The models a diff uses; only the embedder is required.</summary>
/// <param name="Embedder">Embeds responses (or facets).</param>
/// <param name="Facets">Writes facets first when given.</param>
/// <param name="Labeler">Writes contrastive labels and validates them when given.</param>
/// <param name="Judge">Judges significant differences against <see cref="DiffOptions.Intended"/> when given.</param>
public sealed record DiffModels(IDiffEmbedder Embedder, IFacetWriter? Facets = null, IClusterLabeler? Labeler = null, IShiftJudge? Judge = null);

/// <summary>Progress of a diff: the step and its completed fraction.</summary>
public readonly record struct DiffProgress(string Step, double Fraction);
