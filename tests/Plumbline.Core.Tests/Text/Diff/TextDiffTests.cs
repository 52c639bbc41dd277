using System.Text;
using Plumbline.Core.Text;
using Plumbline.Core.Text.Diff;
using static Plumbline.Core.Tests.Text.Diff.TextDiffPropertyTests;

namespace Plumbline.Core.Tests.Text.Diff;

public class TextDiffTests
{
    private static readonly string[] Words =
        ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do", "eiusmod", "tempor"];

    [Theory]
    [InlineData("", "")]
    [InlineData("same text", "same text")]
    [InlineData("😀 same 𝄞", "😀 same 𝄞")]
    public void Diff_EqualTexts_GivesNoPatches(string before, string after)
    {
        Assert.Empty(TextDiff.Diff(before, after));
    }

    [Theory]
    [InlineData("", "hello", 0, 0, "hello")]
    [InlineData("hello", "", 0, 5, "")]
    [InlineData("hello world", "hello, world", 5, 0, ",")]
    [InlineData("hello, world", "hello world", 5, 1, "")]
    [InlineData("the quick fox", "the slow fox", 4, 5, "slow")]
    public void Diff_OneChange_GivesOnePatch(string before, string after, int position, int delete, string insert)
    {
        Assert.Equal([new Patch(position, delete, insert)], TextDiff.Diff(before, after));
    }

    [Theory]
    [InlineData("😀a😀", "😀b😀", 1, 1, "b")]
    [InlineData("😀😀😀abc", "😀😀😀aXc", 4, 1, "X")]
    [InlineData("x😀y", "x😁y", 1, 1, "😁")] // the two share their high surrogate
    [InlineData("x😀y", "x😀😁y", 2, 0, "😁")] // …and the new one starts like the old one
    [InlineData("𝄞𝄞", "𝄞🎉𝄞", 1, 0, "🎉")]
    [InlineData("a😀😁b", "a😁b", 1, 1, "")]
    public void Diff_AstralCharactersAroundTheEdit_CountsCodePointsAndNeverSplitsAPair(
        string before, string after, int position, int delete, string insert)
    {
        var patches = TextDiff.Diff(before, after);

        Assert.Equal([new Patch(position, delete, insert)], patches);
        Assert.Equal(after, Apply(before, patches));
    }

    [Fact]
    public void Diff_LoneSurrogatesAroundTheEdit_AreCodePointsOfTheirOwn()
    {
        // Attribute arguments cannot hold lone surrogates (they are stored as UTF-8), hence a fact.
        Assert.Equal([new Patch(1, 1, "😀")], TextDiff.Diff("a\uD83Dz", "a😀z"));
        Assert.Equal([new Patch(1, 1, "\uDE00")], TextDiff.Diff("a😀z", "a\uDE00z"));
        Assert.Equal([new Patch(1, 1, "😀\uDE00")], TextDiff.Diff("a\uD83Dz", "a\uD83D\uDE00\uDE00z"));
    }

    [Fact]
    public void Diff_TwoWordsAKilobyteApartChanged_GivesExactlyTwoReplacements()
    {
        var before = WordText(1200);
        var starts = WordStarts(before);
        var third = starts[2];
        var far = starts.First(s => s >= third + 1000);
        var thirdLength = before.IndexOf(' ', third) - third;
        var farLength = before.IndexOf(' ', far) - far;
        var after = new StringBuilder(before)
            .Remove(far, farLength).Insert(far, "PLUGH")
            .Remove(third, thirdLength).Insert(third, "XYZZY")
            .ToString();

        var patches = TextDiff.Diff(before, after);

        Assert.Equal(1200, before.Length);
        Assert.Equal(
            [new Patch(third, thirdLength, "XYZZY"), new Patch(far + 5 - thirdLength, farLength, "PLUGH")],
            patches);
        Assert.Equal(after, Apply(before, patches));
    }

    [Theory]
    [InlineData(0, new[] { 1, 1, 3, 1 })]
    [InlineData(1, new[] { 1, 3 })]
    [InlineData(2, new[] { 1, 3 })]
    public void Diff_MergeGap_JoinsChangesSeparatedByShortRuns(int mergeGap, int[] positionsAndDeletes)
    {
        var patches = TextDiff.Diff("abcdef", "aXcYef", new DiffOptions { MergeGap = mergeGap });

        Assert.Equal(positionsAndDeletes, patches.SelectMany(p => new[] { p.Position, p.Delete }));
        Assert.Equal(mergeGap == 0 ? new[] { "X", "Y" } : new[] { "XcY" }, patches.Select(p => p.Insert));
    }

    [Fact]
    public void Diff_MergeGap_DoesNotJoinChangesFurtherApart()
    {
        var patches = TextDiff.Diff("ab123cd", "aB123Cd", new DiffOptions { MergeGap = 2 });

        Assert.Equal([new Patch(1, 1, "B"), new Patch(5, 1, "C")], patches);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(20_000)]
    public void Diff_EditDistanceWithinCap_IsMinimal(int cap)
    {
        // D = 4: c→X and f→Y.
        var patches = TextDiff.Diff("abcdef", "abXdeY", new DiffOptions { MaxEditDistance = cap });

        Assert.Equal([new Patch(2, 1, "X"), new Patch(5, 1, "Y")], patches);
    }

    [Fact]
    public void Diff_EditDistanceOverCap_GivesOneReplacementOfTheDifferingMiddle()
    {
        var patches = TextDiff.Diff("abcdef", "abXdeY", new DiffOptions { MaxEditDistance = 3 });

        Assert.Equal([new Patch(2, 4, "XdeY")], patches);
    }

    [Fact]
    public void Diff_KittenToSittingWithinCap_IsMinimal()
    {
        // LCS "ittn": 6 + 7 − 2·4 = 5 edits, in three places.
        var patches = TextDiff.Diff("the kitten sat", "the sitting sat", new DiffOptions { MaxEditDistance = 5 });

        Assert.Equal([new Patch(4, 1, "s"), new Patch(8, 1, "i"), new Patch(10, 0, "g")], patches);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(0)]
    public void Diff_KittenToSittingOverCap_ReplacesTheWordBetweenTheCommonEnds(int cap)
    {
        var patches = TextDiff.Diff("the kitten sat", "the sitting sat", new DiffOptions { MaxEditDistance = cap });

        Assert.Equal([new Patch(4, 6, "sitting")], patches);
    }

    [Fact]
    public void Diff_WholeFileReplaced_GivesOneReplacementPatch()
    {
        // Finding that the cap is exceeded costs about cap²/4 steps whatever the file size, so this test
        // uses a cap of 2,000 rather than the default 5,000.
        var random = new Random(5);
        var before = "# notes\n" + RandomLetters(random, 30_000, 'a', 'm') + "\n";
        var after = "# notes\n" + RandomLetters(random, 30_000, 'n', 'z') + "\n";

        var patches = TextDiff.Diff(before, after, new DiffOptions { MaxEditDistance = 2_000 });

        Assert.Equal([new Patch(8, 30_000, after[8..^1])], patches);
    }

    [Fact]
    public void Diff_LengthsDifferByMoreThanTheCap_GivesOneReplacementPatch()
    {
        var patches = TextDiff.Diff("<😀abc>", "<😀" + new string('z', 50) + ">", new DiffOptions { MaxEditDistance = 10 });

        Assert.Equal([new Patch(2, 3, new string('z', 50))], patches);
    }

    [Fact]
    public void Diff_LargeFileWithOneShortChange_GivesOnePatch()
    {
        var before = RandomLetters(new Random(11), 100_000, 'a', 'z');
        var after = string.Concat(before.AsSpan(0, 61_234), "0123456789", before.AsSpan(61_244));

        Assert.Equal([new Patch(61_234, 10, "0123456789")], TextDiff.Diff(before, after));
    }

    [Fact]
    public void Diff_LargeFileWithFiftyScatteredChanges_GivesExactlyFiftyPatches()
    {
        // Neighbouring letters always differ and the new letters are upper case, so each change has one
        // shortest alignment: a one-letter replacement.
        var before = RandomLetters(new Random(12), 100_000, 'a', 'z');
        var after = new StringBuilder(before);
        var expected = new List<Patch>();
        for (var i = 0; i < 50; i++)
        {
            var position = 1_000 + (i * 1_990) + (i * i % 7);
            var replacement = (char)('A' + (i % 26));
            after[position] = replacement;
            expected.Add(new Patch(position, 1, replacement.ToString()));
        }

        var patches = TextDiff.Diff(before, after.ToString());

        Assert.Equal(expected, patches);
    }

    [Fact]
    public void Diff_NullTexts_AreRejected()
    {
        Assert.Equal("before", Assert.Throws<ArgumentNullException>(() => TextDiff.Diff(null!, "")).ParamName);
        Assert.Equal("after", Assert.Throws<ArgumentNullException>(() => TextDiff.Diff("", null!)).ParamName);
    }

    [Fact]
    public void Diff_InvalidOptions_ReportsEveryProblem()
    {
        var options = new DiffOptions { MergeGap = -1, MaxEditDistance = -2 };

        var error = Assert.Throws<ArgumentException>(() => TextDiff.Diff("a", "b", options));

        Assert.Equal("MergeGap must be at least 0 (was -1); MaxEditDistance must be at least 0 (was -2) (Parameter 'options')", error.Message);
    }

    [Fact]
    public void DiffOptions_Defaults_AreStrictlyMinimalWithA20000Cap()
    {
        Assert.Equal(0, DiffOptions.Default.MergeGap);
        Assert.Equal(5_000, DiffOptions.Default.MaxEditDistance);
        Assert.Empty(DiffOptions.Default.Validate());
    }

    /// <summary>Words separated by single spaces, cut to exactly <paramref name="length"/> characters.</summary>
    private static string WordText(int length)
    {
        var text = new StringBuilder();
        for (var i = 0; text.Length < length; i++)
        {
            text.Append(Words[i * 7 % Words.Length]).Append(' ');
        }

        return text.ToString(0, length);
    }

    private static List<int> WordStarts(string text) =>
        [0, .. Enumerable.Range(1, text.Length - 1).Where(i => text[i - 1] == ' ' && text[i] != ' ')];

    /// <summary>Random letters in [from, to] where no two neighbours are equal.</summary>
    private static string RandomLetters(Random random, int length, char from, char to)
    {
        var letters = new char[length];
        for (var i = 0; i < length; i++)
        {
            do
            {
                letters[i] = (char)random.Next(from, to + 1);
            }
            while (i > 0 && letters[i] == letters[i - 1]);
        }

        return new string(letters);
    }
}
