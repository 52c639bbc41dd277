using Plumbline.Core.Supervision.Tasks;

namespace Plumbline.Tasks.Tests.Mutation;

/// <summary>Small sources with hand-known sites, and the check that a mutant differs only in its recorded lines.</summary>
internal static class Sources
{
    public const string Calc = """
        namespace Demo;

        public static class Calc
        {
            public static int Clamp(int value, int max)
            {
                if (value < 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(value));
                }

                return value > max ? max : value;
            }
        }

        """;

    /// <summary>Lines with their line ends.</summary>
    public static List<string> Lines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            lines.Add(text[start..]);
        }

        return lines;
    }

    /// <summary>original = prefix + Original + suffix and mutant = prefix + Mutated + suffix, with Original ≠ Mutated, and the mutant span where Mutated is.</summary>
    public static void AssertDiffersOnlyInRecordedLines(string original, BugTask task)
    {
        var o = Lines(original);
        var m = Lines(task.Code);
        var (start, end) = (task.Lines.Start, task.Lines.End);
        var mutatedCount = Lines(task.Mutated).Count;
        Assert.Equal(o.Take(start - 1), m.Take(start - 1));
        Assert.Equal(task.Original, string.Concat(o.Skip(start - 1).Take(end - start + 1)));
        Assert.Equal(task.Mutated, string.Concat(m.Skip(start - 1).Take(mutatedCount)));
        Assert.Equal(o.Skip(end), m.Skip(start - 1 + mutatedCount));
        Assert.NotEqual(task.Original, task.Mutated);
        if (mutatedCount > 0)
        {
            Assert.Equal(new LineSpan(start, start + mutatedCount - 1), task.MutantLines);
        }
        else
        {
            Assert.Equal(new LineSpan(Math.Max(1, start - 1), start), task.MutantLines);
        }
    }
}
