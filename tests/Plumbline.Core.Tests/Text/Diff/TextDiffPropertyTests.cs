using System.Text;
using Plumbline.Core.Text;
using Plumbline.Core.Text.Diff;

namespace Plumbline.Core.Tests.Text.Diff;

public class TextDiffPropertyTests
{
    // Small alphabets make many equally long alignments, which is where a shortest-path search goes wrong.
    // 😀 and 😁 share a high surrogate; the lone surrogates pair up or not depending on their neighbours.
    private static readonly string[][] Alphabets =
    [
        ["a", "b"],
        ["a", "b", "c"],
        ["a", "b", "c", "d", "e", "f", "g", "h"],
        ["a", "😀", "😁", "𝄞"],
        ["x", "😀", "\uD83D", "\uDE00", "\uDE01"],
    ];

    public static TheoryData<int> MergeGaps => [0, 1, 2];

    [Fact]
    public void Diff_RandomSmallPairs_EditCountIsTheBruteForceMinimum()
    {
        var random = new Random(1986);
        for (var round = 0; round < 3000; round++)
        {
            var alphabet = Alphabets[round % Alphabets.Length];
            var before = RandomText(random, alphabet, random.Next(13));
            var after = random.Next(3) == 0 ? RandomText(random, alphabet, random.Next(13)) : Mutate(random, alphabet, before);

            var patches = TextDiff.Diff(before, after);

            Assert.Equal(after, Apply(before, patches));
            Assert.True(
                EditCount(patches) == MinimumEditCount(before, after),
                $"'{before}' → '{after}': {string.Join(", ", patches)} is not minimal ({MinimumEditCount(before, after)} edits)");
        }
    }

    [Fact]
    public void Diff_MyersPaperExample_NeedsFiveEdits()
    {
        // Myers (1986), figure 1: A = abcabba, B = cbabac, D = 5.
        var patches = TextDiff.Diff("abcabba", "cbabac");

        Assert.Equal(5, EditCount(patches));
        Assert.Equal("cbabac", Apply("abcabba", patches));
    }

    [Theory]
    [MemberData(nameof(MergeGaps))]
    public void Diff_RandomEditedPairs_PatchesReproduceTheNewText(int mergeGap)
    {
        var options = new DiffOptions { MergeGap = mergeGap };
        var random = new Random(2024 + mergeGap);
        for (var round = 0; round < 300; round++)
        {
            var alphabet = Alphabets[round % Alphabets.Length];
            var before = RandomText(random, alphabet, random.Next(400));
            var after = Mutate(random, alphabet, before);

            var patches = TextDiff.Diff(before, after, options);

            Assert.Equal(after, Apply(before, patches));
            AssertSeparated(patches, mergeGap);
            if (mergeGap == 0)
            {
                Assert.Equal(MinimumEditCount(before, after), EditCount(patches));
            }
        }
    }

    /// <summary>Every patch changes something, and consecutive patches are apart by more than the merge gap.</summary>
    private static void AssertSeparated(Patch[] patches, int mergeGap)
    {
        for (var i = 0; i < patches.Length; i++)
        {
            Assert.True(patches[i].Delete > 0 || patches[i].InsertLength > 0, $"patch {i} is empty");
            if (i > 0)
            {
                var unchanged = patches[i].Position - (patches[i - 1].Position + patches[i - 1].InsertLength);
                Assert.True(unchanged > mergeGap, $"patches {i - 1} and {i} are {unchanged} code points apart");
            }
        }
    }

    internal static string Apply(string before, IEnumerable<Patch> patches)
    {
        var text = new TextBuffer(before);
        foreach (var patch in patches)
        {
            text.Apply(patch);
        }

        return text.ToString();
    }

    internal static int EditCount(IEnumerable<Patch> patches) => patches.Sum(p => p.Delete + p.InsertLength);

    /// <summary>len(a) + len(b) − 2·LCS, by the textbook dynamic programme over code points.</summary>
    private static int MinimumEditCount(string before, string after)
    {
        var a = Decode(before);
        var b = Decode(after);
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                lcs[i, j] = a[i - 1] == b[j - 1] ? lcs[i - 1, j - 1] + 1 : Math.Max(lcs[i - 1, j], lcs[i, j - 1]);
            }
        }

        return a.Length + b.Length - (2 * lcs[a.Length, b.Length]);
    }

    private static int[] Decode(string text)
    {
        var codePoints = new int[text.Length];
        return codePoints[..CodePoints.Decode(text, codePoints)];
    }

    private static string RandomText(Random random, string[] alphabet, int length)
    {
        var text = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            text.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return text.ToString();
    }

    /// <summary>One to five random inserts, deletes and replacements of whole alphabet tokens.</summary>
    private static string Mutate(Random random, string[] alphabet, string text)
    {
        var tokens = new List<string>(Enumerable.Range(0, text.Length).Select(i => text[i].ToString()));
        var edits = random.Next(1, 6);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(tokens.Count + 1);
            var delete = Math.Min(random.Next(4), tokens.Count - at);
            tokens.RemoveRange(at, random.Next(3) == 0 ? 0 : delete);
            var insert = random.Next(4);
            for (var i = 0; i < insert; i++)
            {
                tokens.Insert(at, alphabet[random.Next(alphabet.Length)]);
            }
        }

        return string.Concat(tokens);
    }
}
