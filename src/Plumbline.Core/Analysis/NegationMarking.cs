namespace Plumbline.Core.Analysis;

/// <summary>
/// Negation marking for bag-of-words models (Das and Chen 2001; Pang, Lee and Vaithyanathan 2002):
/// every word after a negation cue (not, no, never, nothing, nobody, none, neither, nor, cannot,
/// without, and any word ending in n't or n’t) up to the next clause punctuation (. , ; : ! ?) is
/// repeated at the end of the text with the prefix <c>not_</c>. The original words stay, so "I do not
/// enjoy sports" still shares "sports" with "I enjoy sports" but also carries <c>not_enjoy not_sports</c>:
/// word-count embeddings (LSA) then separate opposite stances on one topic.
/// </summary>
public static class NegationMarking
{
    private static readonly HashSet<string> Cues = new(StringComparer.Ordinal)
    {
        "not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "cannot", "without",
    };

    /// <summary>The text followed by its negated-scope words marked with <c>not_</c> (the text itself when nothing is negated).</summary>
    public static string Mark(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var marked = new List<string>();
        var inScope = false;
        foreach (var token in Tokenizer.Tokenize(text, TokenizerOptions.Generative))
        {
            var lower = token.ToLowerInvariant();
            if (lower is "." or "," or ";" or ":" or "!" or "?")
            {
                inScope = false;
                continue;
            }

            if (!char.IsLetterOrDigit(lower[0]))
            {
                continue;
            }

            if (Cues.Contains(lower) || lower.EndsWith("n't", StringComparison.Ordinal) || lower.EndsWith("n’t", StringComparison.Ordinal))
            {
                inScope = true;
                continue;
            }

            if (inScope)
            {
                marked.Add("not_" + lower);
            }
        }

        return marked.Count == 0 ? text : text + " " + string.Join(" ", marked);
    }
}
