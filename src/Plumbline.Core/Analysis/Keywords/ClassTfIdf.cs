namespace Plumbline.Core.Analysis.Keywords;

/// <summary>A keyword of a class and its c-TF-IDF weight.</summary>
public readonly record struct Keyword(string Term, double Weight);

/// <summary>
/// Class-based TF-IDF (Grootendorst 2022, BERTopic): all texts of a class are one document;
/// W(t, c) = tf(t, c) · ln(1 + A / f(t)), where tf is the term's frequency in the class divided by the
/// class's word count (L1), A is the mean number of words per class and f(t) the term's frequency over
/// all classes. Words come from <see cref="Tokenizer"/> (lower-cased); scikit-learn's English stop words
/// are left out, except the negations (no, not, never, nothing, nobody, none, neither, nor, cannot,
/// without), which carry stance. A tie in weight goes to the term that sorts first (ordinal).
/// </summary>
public static class ClassTfIdf
{
    /// <summary>The top <paramref name="top"/> keywords of every class 0 … classes−1 (a class with no texts gets none).</summary>
    public static IReadOnlyList<Keyword>[] Compute(IReadOnlyList<string> texts, IReadOnlyList<int> labels, int classes, int top = 10)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        if (texts.Count != labels.Count)
        {
            throw new ArgumentException($"{texts.Count} texts but {labels.Count} labels", nameof(labels));
        }

        var perClass = new Dictionary<string, long>[classes];
        var wordsPerClass = new long[classes];
        for (var c = 0; c < classes; c++)
        {
            perClass[c] = new Dictionary<string, long>(StringComparer.Ordinal);
        }

        var overall = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < texts.Count; i++)
        {
            var c = labels[i];
            if (c < 0 || c >= classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), c, $"label of text {i} must be between 0 and {classes - 1}");
            }

            var counts = perClass[c];
            foreach (var token in Tokenizer.Tokenize(texts[i]))
            {
                if (StopWords.Contains(token))
                {
                    continue;
                }

                counts[token] = counts.GetValueOrDefault(token) + 1;
                overall[token] = overall.GetValueOrDefault(token) + 1;
                wordsPerClass[c]++;
            }
        }

        var average = (double)wordsPerClass.Sum() / classes;
        var result = new IReadOnlyList<Keyword>[classes];
        for (var c = 0; c < classes; c++)
        {
            var total = wordsPerClass[c];
            result[c] = total == 0
                ? []
                : perClass[c]
                    .Select(kv => new Keyword(kv.Key, (double)kv.Value / total * Math.Log(1 + (average / overall[kv.Key]))))
                    .OrderByDescending(k => k.Weight)
                    .ThenBy(k => k.Term, StringComparer.Ordinal)
                    .Take(top)
                    .ToArray();
        }

        return result;
    }

    /// <summary>scikit-learn's ENGLISH_STOP_WORDS (BSD-3-Clause) without the negations.</summary>
    internal static readonly HashSet<string> StopWords = new(
        """
        a about above across after afterwards again against all almost alone along already also although always am
        among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere are around as at back
        be became because become becomes becoming been before beforehand behind being below beside besides between
        beyond bill both bottom but by call can cant co con could couldnt cry de describe detail do done down
        due during each eg eight either eleven else elsewhere empty enough etc even ever every everyone everything
        everywhere except few fifteen fifty fill find fire first five for former formerly forty found four from front
        full further get give go had has hasnt have he hence her here hereafter hereby herein hereupon hers herself
        him himself his how however hundred i ie if in inc indeed interest into is it its itself keep last latter
        latterly least less ltd made many may me meanwhile might mill mine more moreover most mostly move much must
        my myself name namely nevertheless next nine noone now nowhere
        of off often on once one only onto or other others otherwise our ours ourselves out over own part per perhaps
        please put rather re same see seem seemed seeming seems serious several she should show side since sincere
        six sixty so some somehow someone something sometime sometimes somewhere still such system take ten than that
        the their them themselves then thence there thereafter thereby therefore therein thereupon these they thick
        thin third this those though three through throughout thru thus to together too top toward towards twelve
        twenty two un under until up upon us very via was we well were what whatever when whence whenever where
        whereafter whereas whereby wherein whereupon wherever whether which while whither who whoever whole whom
        whose why will with within would yet you your yours yourself yourselves
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries),
        StringComparer.Ordinal);
}
