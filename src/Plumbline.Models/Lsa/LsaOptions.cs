namespace Plumbline.Models.Lsa;

/// <summary>
/// How an <see cref="LsaModel"/> is fitted. The TF-IDF weighting follows scikit-learn's
/// <c>TfidfVectorizer</c> defaults (raw term counts, smooth idf <c>ln((1+n)/(1+df)) + 1</c>, rows
/// scaled to unit length) and the SVD follows <c>TruncatedSVD(algorithm="randomized")</c>
/// (Halko, Martinsson and Tropp 2011: Gaussian test matrix, oversampling, power iterations).
/// </summary>
/// <param name="Dimensions">Size of the embedding (number of singular vectors kept); default 100. Capped at the rank the data allows.</param>
/// <param name="Seed">Seed of the random test matrix: the same texts and seed give the same model, bit for bit.</param>
/// <param name="MinDocumentFrequency">A term must occur in at least this many texts to be kept; default 1.</param>
/// <param name="MaxFeatures">Keep only this many terms, the most frequent over the corpus (ties by term); null keeps all.</param>
/// <param name="PowerIterations">Power iterations of the randomized SVD; default 5 (scikit-learn's default).</param>
/// <param name="Oversamples">Extra random directions beyond <paramref name="Dimensions"/>; default 10 (scikit-learn's default).</param>
/// <param name="Normalize">Scale every embedding to unit length (so a dot product is the cosine); default true.</param>
public sealed record LsaOptions(
    int Dimensions = 100,
    int Seed = 0,
    int MinDocumentFrequency = 1,
    int? MaxFeatures = null,
    int PowerIterations = 5,
    int Oversamples = 10,
    bool Normalize = true)
{
    internal void Validate()
    {
        var errors = new List<string>();
        if (Dimensions < 1)
        {
            errors.Add($"Dimensions must be at least 1 (was {Dimensions})");
        }

        if (MinDocumentFrequency < 1)
        {
            errors.Add($"MinDocumentFrequency must be at least 1 (was {MinDocumentFrequency})");
        }

        if (MaxFeatures is < 1)
        {
            errors.Add($"MaxFeatures must be at least 1 or null (was {MaxFeatures})");
        }

        if (PowerIterations < 0)
        {
            errors.Add($"PowerIterations must be 0 or more (was {PowerIterations})");
        }

        if (Oversamples < 0)
        {
            errors.Add($"Oversamples must be 0 or more (was {Oversamples})");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid LSA options: " + string.Join("; ", errors));
        }
    }
}
