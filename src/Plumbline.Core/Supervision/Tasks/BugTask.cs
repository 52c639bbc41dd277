namespace Plumbline.Core.Supervision.Tasks;

/// <summary>An inclusive range of 1-based line numbers. An empty range (<see cref="End"/> = <see cref="Start"/> − 1) marks a place between lines.</summary>
public readonly record struct LineSpan(int Start, int End)
{
    /// <summary>Lines in the range (0 for an empty range).</summary>
    public int Count => End - Start + 1;

    /// <summary>True when both ranges share at least one line.</summary>
    public bool Overlaps(LineSpan other) => Count > 0 && other.Count > 0 && Start <= other.End && other.Start <= End;

    /// <inheritdoc/>
    public override string ToString() => Start == End ? $"{Start}" : $"{Start}-{End}";
}

/// <summary>
/// One planted defect: the mutant file is the original with the lines <see cref="Lines"/> replaced by
/// <see cref="Mutated"/> (which may have another number of lines, or none for a removed check); nothing
/// else differs. <see cref="MutantLines"/> is where the defect is in the mutant — what a model must point
/// at. For a removed check it is the two lines either side of the gap.
/// </summary>
/// <param name="Id">Stable id within the tasks file.</param>
/// <param name="Language">Source language: <c>csharp</c>, <c>python</c>, <c>javascript</c>, <c>typescript</c>, <c>java</c>, <c>go</c>, <c>c</c>, <c>cpp</c> or <c>rust</c>.</param>
/// <param name="File">Path relative to the source folder, with '/'.</param>
/// <param name="Kind">What was planted.</param>
/// <param name="Lines">The replaced lines of the original file.</param>
/// <param name="MutantLines">The defect's lines in the mutant file.</param>
/// <param name="Original">The original text of <see cref="Lines"/> (with line ends).</param>
/// <param name="Mutated">The text that replaced it (with line ends; empty when lines were removed).</param>
/// <param name="Description">What changed, e.g. <c>'&lt;' → '&lt;='</c>.</param>
/// <param name="Code">The whole mutant file.</param>
/// <param name="Engine">What found the site: <c>roslyn</c> (C# syntax tree), <c>python-ast</c> (Python's own parser) or <c>tokens</c> (the token-level fallback).</param>
public sealed record BugTask(
    string Id,
    string Language,
    string File,
    BugKind Kind,
    LineSpan Lines,
    LineSpan MutantLines,
    string Original,
    string Mutated,
    string Description,
    string Code,
    string Engine = "roslyn")
{
    /// <summary>Lines in the mutant file (a last line without a line end counts).</summary>
    public int MutantLineCount => LineText.Count(Code);
}

/// <summary>Line counting shared by mutation and scoring.</summary>
public static class LineText
{
    /// <summary>Lines in <paramref name="text"/>: line ends plus one if the text does not end with one (0 for empty text).</summary>
    public static int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return 0;
        }

        var ends = text.Count(c => c == '\n');
        return text[^1] == '\n' ? ends : ends + 1;
    }
}
