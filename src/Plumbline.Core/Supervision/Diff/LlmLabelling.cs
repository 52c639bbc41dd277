using Plumbline.Core.Analysis.Clustering;

namespace Plumbline.Core.Supervision.Diff;

/// <summary>
/// Contrastive labels and their validation. For each cluster the labeler sees the members nearest the
/// centroid (the most typical) and the non-members nearest the centroid (the most confusable); the label
/// is then checked on held-out members (a seeded sample of the rest) and the next-nearest non-members.
/// </summary>
internal sealed class LlmLabelling(IClusterLabeler labeler, DiffOptions options, string[] texts, float[] x, int d, KMeansModel model, int[][] members, CancellationToken cancellationToken, IProgress<DiffProgress>? progress)
{
    private const int MaxChars = 600;

    public async Task<(string[] Labels, LabelValidation?[] Validations)> RunAsync()
    {
        var k = members.Length;
        var labels = new string[k];
        var validations = new LabelValidation?[k];
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, k), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (c, ct) =>
        {
            var distance = Enumerable.Range(0, texts.Length).ToDictionary(i => i, i => model.SquaredDistance(x.AsSpan(i * d, d), c));
            var inside = members[c].OrderBy(i => distance[i]).ThenBy(i => i).ToArray();
            var memberSet = members[c].ToHashSet();
            var outside = Enumerable.Range(0, texts.Length).Where(i => !memberSet.Contains(i)).OrderBy(i => distance[i]).ThenBy(i => i).ToArray();
            var shownInside = inside.Take(options.LabelExamples).ToArray();
            var shownOutside = outside.Take(options.LabelExamples).ToArray();
            var label = (await labeler.LabelAsync(shownInside.Select(Clip).ToArray(), shownOutside.Select(Clip).ToArray(), ct)).Trim();
            labels[c] = label.Length == 0 ? "(no label)" : label;

            var random = new Random(unchecked(options.Seed + c));
            var heldMembers = inside.Skip(options.LabelExamples).OrderBy(_ => random.Next()).Take(options.ValidationItems).ToArray();
            var heldOthers = outside.Skip(options.LabelExamples).Take(options.ValidationItems).ToArray();
            if (heldMembers.Length > 0 && heldOthers.Length > 0)
            {
                int truePositive = 0, trueNegative = 0;
                foreach (var i in heldMembers)
                {
                    truePositive += await labeler.MatchesAsync(labels[c], Clip(i), ct) ? 1 : 0;
                }

                foreach (var i in heldOthers)
                {
                    trueNegative += await labeler.MatchesAsync(labels[c], Clip(i), ct) ? 0 : 1;
                }

                var items = heldMembers.Length + heldOthers.Length;
                var accuracy = (double)(truePositive + trueNegative) / items;
                var auc = (((double)truePositive / heldMembers.Length) + ((double)trueNegative / heldOthers.Length)) / 2;
                validations[c] = new LabelValidation(items, accuracy, auc, (double)truePositive / heldMembers.Length, accuracy >= options.LabelThreshold);
            }

            progress?.Report(new DiffProgress("label", (double)Interlocked.Increment(ref done) / k));
        });
        return (labels, validations);
    }

    private string Clip(int i) => texts[i].Length <= MaxChars ? texts[i] : texts[i][..MaxChars] + "…";
}
