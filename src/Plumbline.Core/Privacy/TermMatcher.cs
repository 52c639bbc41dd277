using System.Buffers;
using System.Text;

namespace Plumbline.Core.Privacy;

/// <summary>A contributor's own terms, found case-insensitively (ordinal, invariant case) as whole words.</summary>
internal sealed class TermMatcher
{
    private readonly string[] _terms;
    private readonly SearchValues<string> _search;

    private TermMatcher(string[] terms)
    {
        _terms = terms;
        _search = SearchValues.Create(terms, StringComparison.OrdinalIgnoreCase);
    }

    public static TermMatcher? Create(IReadOnlyCollection<string> terms)
    {
        // Longest first, so that "Project Falcon" wins over "Falcon" at the same position.
        var cleaned = terms.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(t => t.Length).ToArray();
        return cleaned.Length == 0 ? null : new TermMatcher(cleaned);
    }

    public void Run(Scan scan)
    {
        var text = scan.Text;
        var at = scan.Start;
        while (at < scan.End)
        {
            var hit = text.AsSpan(at, scan.End - at).IndexOfAny(_search);
            if (hit < 0)
            {
                return;
            }

            var start = at + hit;
            at = start + 1;
            foreach (var term in _terms)
            {
                var end = start + term.Length;
                if (end <= scan.End && text.AsSpan(start, term.Length).Equals(term, StringComparison.OrdinalIgnoreCase)
                    && !IsWordCharacterBefore(text, start, scan.Start) && !IsWordCharacterAt(text, end, scan.End))
                {
                    scan.Add(FindingKind.Term, start, end, DetectorRules.Term);
                    at = end;
                    break;
                }
            }
        }
    }

    private static bool IsWordCharacterBefore(string text, int index, int start) =>
        index > start && Rune.DecodeLastFromUtf16(text.AsSpan(start, index - start), out var rune, out _) == OperationStatus.Done && IsWord(rune);

    private static bool IsWordCharacterAt(string text, int index, int end) =>
        index < end && Rune.DecodeFromUtf16(text.AsSpan(index, end - index), out var rune, out _) == OperationStatus.Done && IsWord(rune);

    private static bool IsWord(Rune rune) => Rune.IsLetterOrDigit(rune) || rune.Value == '_';
}
