namespace Plumbline.Core.Supervision.Diff;

/// <summary>
/// Finds what changed between two models' responses without knowing what to look for: embed every
/// response, cluster them all (k-means, k chosen from the data), label the clusters (c-TF-IDF keywords;
/// contrastive LLM labels, validated, with a labeler), test each cluster's share before and after
/// (Fisher exact, or Cochran–Mantel–Haenszel by prompt when both answered the same prompts) with
/// Benjamini–Hochberg q-values, cut every cluster in two to catch shifts inside it (impure clusters),
/// merge coinciding clusters into a coarse level, measure stability by bootstrap, run a null check on
/// two halves of the before-samples, and have a judge weigh each significant difference.
/// </summary>
public static class BehaviourDiff
{
    /// <summary>Runs the diff.</summary>
    /// <exception cref="PlumblineException">BadInput for invalid options or too few samples.</exception>
    public static Task<DiffReport> RunAsync(IReadOnlyList<ModelSample> before, IReadOnlyList<ModelSample> after, DiffModels models, DiffOptions? options = null, IProgress<DiffProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(models);
        options ??= new DiffOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw PlumblineException.BadInput("invalid diff options: " + string.Join("; ", errors));
        }

        if (before.Count < 2 || after.Count < 2)
        {
            throw PlumblineException.BadInput($"a diff needs at least 2 samples on each side (before: {before.Count}, after: {after.Count})");
        }

        return new DiffPipeline(before, after, models, options, progress, cancellationToken).RunAsync();
    }
}
