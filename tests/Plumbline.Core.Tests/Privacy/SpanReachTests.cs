using Plumbline.Core.Privacy;
using Plumbline.Core.Text;

namespace Plumbline.Core.Tests.Privacy;

/// <summary>What redacting a span reaches beyond its own characters: older copies of its text and text typed inside it.</summary>
public class SpanReachTests
{
    private static IEnumerable<Patch[]> Typing(string text, int at) =>
        text.EnumerateRunes().Select((c, i) => new[] { new Patch(at + i, 0, c.ToString()) });

    /// <summary>Backspace from <paramref name="end"/> (exclusive) down to <paramref name="start"/>, one revision each.</summary>
    private static IEnumerable<Patch[]> Backspaces(int start, int end) =>
        Enumerable.Range(0, end - start).Select(i => new[] { new Patch(end - 1 - i, 1, "") });

    private static List<string> Replay(string start, IEnumerable<Patch[]> revisions)
    {
        var text = new TextBuffer(start);
        var states = new List<string> { start };
        foreach (var revision in revisions)
        {
            foreach (var patch in revision)
            {
                text.Apply(patch);
            }

            states.Add(text.ToString());
        }

        return states;
    }

    /// <summary>Reaches the span, redacts what it reaches, and replays the redacted history.</summary>
    private static (SpanReach Reach, List<string> States) Redact(string start, List<Patch[]> revisions, int from, int to, Func<int, bool>? own = null)
    {
        var reach = HistoryRedactor.ReachSpan(start, revisions, from, to, own ?? (_ => true));
        var redacted = HistoryRedactor.RedactCharacters(start, revisions, reach.Ids);
        Assert.Equal(revisions.Count, redacted.Revisions.Count);
        Assert.All(redacted.Revisions.Zip(revisions), pair => Assert.Equal(pair.Second.Length, pair.First.Length)); // one patch per patch
        return (reach, Replay(redacted.Start, redacted.Revisions));
    }

    private static (int, int, int, int, int) Counts(SpanReach reach) =>
        (reach.SpanCharacters, reach.Copies, reach.CopyCharacters, reach.TypedInside, reach.OthersLeft);

    [Fact]
    public void CutAndPastedElsewhere_TheCutCopyIsRedactedToo()
    {
        List<Patch[]> revisions =
        [
            [new Patch(0, 0, "Hello secret world")],
            [new Patch(6, 7, "")], // cut "secret "
            [new Patch(11, 0, " secret")], // paste it back at the end
        ];
        Assert.Equal(["", "Hello secret world", "Hello world", "Hello world secret"], Replay("", revisions));

        var (reach, states) = Redact("", revisions, 12, 18);

        Assert.Equal(["", "Hello [REDACTED] world", "Hello world", "Hello world [REDACTED]"], states);
        Assert.Equal((6, 1, 6, 0, 0), Counts(reach));
    }

    [Fact]
    public void TypedThenUndoneThenRedone_EveryTypingRevisionShowsThePlaceholder()
    {
        var revisions = Typing("Dear Bob, ", 0).Concat(Typing("my PIN is 4711", 10)).ToList();
        revisions.Add([new Patch(10, 14, "")]); // undo the typing
        revisions.Add([new Patch(10, 0, "my PIN is 4711")]); // redo: new characters, same text
        revisions.Add([new Patch(24, 0, ".")]);

        var (reach, states) = Redact("", revisions, 10, 24);

        Assert.Equal(Replay("", revisions)[..11], states[..11]); // "Dear Bob, " before any of it
        Assert.All(states[11..24], s => Assert.Equal("Dear Bob, [REDACTED]", s)); // from its first typed character on
        Assert.Equal(["Dear Bob, [REDACTED]", "Dear Bob, ", "Dear Bob, [REDACTED]", "Dear Bob, [REDACTED]."], states[24..]);
        Assert.All(states, s => Assert.DoesNotContain("PIN", s, StringComparison.Ordinal));
        Assert.Equal((14, 1, 14, 0, 0), Counts(reach));
    }

    [Fact]
    public void DeletedWithBackspacesAndRetyped_TheFirstAttemptWithItsTypoIsRedacted()
    {
        var revisions = Typing("pw: ", 0).Concat(Typing("hunter3", 4)).Concat(Backspaces(4, 11)).Concat(Typing("hunter2", 4)).ToList();
        revisions.Add([new Patch(11, 0, "\nnext")]);
        var original = Replay("", revisions);
        Assert.Contains("pw: hunter3", original);

        var (reach, states) = Redact("", revisions, 4, 11);

        Assert.Equal(["", "p", "pw", "pw:", "pw: "], states[..5]);
        Assert.All(states[5..18], s => Assert.Equal("pw: [REDACTED]", s)); // "hunter3" typed (the typo is a differing end), then erased one by one
        Assert.Equal("pw: ", states[18]);
        Assert.All(states[19..26], s => Assert.Equal("pw: [REDACTED]", s));
        Assert.Equal("pw: [REDACTED]\nnext", states[^1]);
        Assert.All(states, s => Assert.DoesNotContain("hun", s, StringComparison.Ordinal));
        Assert.Equal((7, 1, 7, 0, 0), Counts(reach));
    }

    [Fact]
    public void TypedInsideTheSpanThenDeleted_IsRedacted_ButTextTypedRightAfterItIsNot()
    {
        List<Patch[]> revisions =
        [
            [new Patch(0, 0, "Meet at the old mill.")],
            [new Patch(12, 0, "abandoned ")], // inside "the old mill", while it exists
            [new Patch(12, 10, "")],
            [new Patch(20, 0, " tonight")], // right after it: not inside
            [new Patch(20, 8, "")],
        ];
        Assert.Equal("Meet at the abandoned old mill.", Replay("", revisions)[2]);

        var (reach, states) = Redact("", revisions, 8, 20);

        Assert.Equal(["", "Meet at [REDACTED].", "Meet at [REDACTED].", "Meet at [REDACTED].", "Meet at [REDACTED] tonight.", "Meet at [REDACTED]."], states);
        Assert.Equal((12, 0, 0, 10, 0), Counts(reach));
    }

    [Fact]
    public void OlderCopyWithWordsTypedIntoItAndTakenOut_IsFoundAsItStood_WithThoseWords()
    {
        List<Patch[]> revisions =
        [
            [new Patch(0, 0, "Meet at the old mill.")],
            [new Patch(12, 0, "abandoned ")],
            [new Patch(12, 10, "")],
            [new Patch(8, 12, "")], // cut "the old mill"
            [new Patch(8, 0, "noon by the old mill")], // and typed again with more
        ];
        Assert.Equal("Meet at noon by the old mill.", Replay("", revisions)[^1]);

        var (reach, states) = Redact("", revisions, 16, 28);

        Assert.Equal(["", "Meet at [REDACTED].", "Meet at [REDACTED].", "Meet at [REDACTED].", "Meet at .", "Meet at noon by [REDACTED]."], states);
        Assert.Equal((12, 1, 22, 0, 0), Counts(reach));
    }

    [Fact]
    public void CommonTextThatStandsElsewhereInTheDocument_IsNotACopy()
    {
        // "current_stage" is the span's only match in the deleted line, and it stands outside the span at the end too.
        List<Patch[]> revisions =
        [
            [new Patch(0, 0, "if (current_stage) go()\n")],
            [new Patch(0, 24, "")],
            [new Patch(0, 0, "x = current_stage\nlabel = current_stage.label\n")],
        ];

        var (reach, states) = Redact("", revisions, 26, 45);

        Assert.Equal(["", "if (current_stage) go()\n", "", "x = current_stage\nlabel = [REDACTED]\n"], states);
        Assert.Equal((19, 0, 0, 0, 0), Counts(reach));
    }

    [Fact]
    public void TextThatStoodBetweenTheSpansCharactersBeforeTheyWereTyped_IsNotTypedInside()
    {
        // "x" is there first; "A" is typed before it and "B" after it; then "x" goes. It was never typed inside the span.
        List<Patch[]> revisions = [[new Patch(0, 0, "-x-")], [new Patch(1, 0, "A")], [new Patch(3, 0, "B")], [new Patch(2, 1, "")]];
        Assert.Equal(["", "-x-", "-Ax-", "-AxB-", "-AB-"], Replay("", revisions));

        var (reach, states) = Redact("", revisions, 1, 3);

        Assert.Equal(["", "-x-", "-[REDACTED]x-", "-[REDACTED]x[REDACTED]-", "-[REDACTED]-"], states);
        Assert.Equal((2, 0, 0, 0, 0), Counts(reach));
    }

    [Fact]
    public void MixedAuthorship_AnotherContributorsCharactersStay_EvenWhenTheirTextIsTheSame()
    {
        // Revisions 2, 4 and 5 are rita's; the rest alice's, who redacts her "Falcon".
        List<Patch[]> revisions =
        [
            [new Patch(0, 0, "codename Falcn")],
            [new Patch(13, 0, "o")], // rita fixes alice's typo
            [new Patch(0, 15, "")], // alice cuts it all
            [new Patch(0, 0, "Falcon\n")], // rita writes the same word herself
            [new Patch(0, 7, "")],
            [new Patch(0, 0, "codename Falcon")],
        ];
        bool Alice(int revision) => revision is not (2 or 4 or 5);

        var (reach, states) = Redact("", revisions, 9, 15, Alice);

        Assert.Equal(["", "codename [REDACTED]", "codename [REDACTED]o[REDACTED]", "", "Falcon\n", "", "codename [REDACTED]"], states);
        Assert.Equal((6, 1, 5, 0, 7), Counts(reach)); // left: rita's "o" in alice's copy and rita's own "Falcon"
    }

    [Fact]
    public void TypedInsideByAnotherContributor_Stays()
    {
        List<Patch[]> revisions = [[new Patch(0, 0, "a secret plan")], [new Patch(8, 0, " (rita)")], [new Patch(8, 7, "")]];

        var (reach, states) = Redact("", revisions, 2, 13, r => r != 2);

        Assert.Equal(["", "a [REDACTED]", "a [REDACTED] (rita)[REDACTED]", "a [REDACTED]"], states);
        Assert.Equal((11, 0, 0, 0, 7), Counts(reach));
    }

    [Fact]
    public void SameTextStillInTheLastRevisionOutsideTheSpan_IsNotReached()
    {
        List<Patch[]> revisions = [[new Patch(0, 0, "token token")], [new Patch(5, 0, "!")]];

        var (reach, states) = Redact("", revisions, 7, 12);

        Assert.Equal(["", "token [REDACTED]", "token! [REDACTED]"], states);
        Assert.Equal((5, 0, 0, 0, 0), Counts(reach));
    }

    [Fact]
    public void ShortSpan_HasNoCopiesLookedFor()
    {
        List<Patch[]> revisions = [[new Patch(0, 0, "ok")], [new Patch(0, 2, "")], [new Patch(0, 0, "ok")]];

        var (reach, states) = Redact("", revisions, 0, 2);

        Assert.Equal(["", "ok", "", "[REDACTED]"], states);
        Assert.Equal((2, 0, 0, 0, 0), Counts(reach));
    }

    [Fact]
    public void CopyTwiceRemoved_AndAPartialCopy_AreBothReached_ThroughEmojiBeyondTheBmp()
    {
        const string Span = "meet me at 🏰 gate 7 at noon";
        List<Patch[]> revisions =
        [
            [new Patch(0, 0, "A: " + Span)], // the first copy
            [new Patch(3, 27, "")], // cut
            [new Patch(3, 0, Span + "\n")], // pasted back
            [new Patch(3, 28, "")], // cut again
            [new Patch(3, 0, "meet me at 🏰 g")], // a partial retype, abandoned
            [new Patch(3, 14, "")],
            [new Patch(3, 0, Span)], // pasted for good
        ];
        Assert.Equal(27, CodePoints.Count(Span));

        var (reach, states) = Redact("", revisions, 3, 30);

        Assert.Equal(["", "A: [REDACTED]", "A: ", "A: [REDACTED]\n", "A: ", "A: [REDACTED]", "A: ", "A: [REDACTED]"], states);
        Assert.Equal((27, 2, 27 + 27 + 14, 0, 0), Counts(reach)); // the partial retype lies against the pasted copy: one stretch of deleted text
    }

    [Fact]
    public void SpanOutsideTheText_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HistoryRedactor.ReachSpan("abc", [], 1, 4, _ => true));
        Assert.Throws<ArgumentOutOfRangeException>(() => HistoryRedactor.ReachSpan("abc", [], 2, 1, _ => true));
    }
}

/// <summary>The shortest edit script under the copy search, and the search itself on small cases.</summary>
public class CopyMatchTests
{
    private static int[] Cps(string s)
    {
        var cps = new int[s.Length];
        return cps[..CodePoints.Decode(s, cps)];
    }

    private static string Common(string a, string b, List<(int A, int B, int Length)> blocks) =>
        string.Concat(blocks.Select(x => a.Substring(x.A, x.Length)));

    [Fact]
    public void CommonBlocks_MyersFigure1_AbcabbaToCbabac_HasFourCommonAndFiveEdits()
    {
        // Myers (1986), figure 1: A = ABCABBA, B = CBABAC, D = 5, so the longest common subsequence has (7 + 6 − 5) / 2 = 4.
        var blocks = HistoryRedactor.CommonBlocks(Cps("ABCABBA"), Cps("CBABAC"));

        var common = Common("ABCABBA", "CBABAC", blocks);
        Assert.Equal(4, common.Length);
        Assert.Equal(5, 7 + 6 - (2 * common.Length));
        Assert.All(blocks, x => Assert.Equal("ABCABBA".Substring(x.A, x.Length), "CBABAC".Substring(x.B, x.Length)));
        Assert.Contains(common, new[] { "CABA", "BABA", "CBBA", "CBAB" }); // the common subsequences of length 4
    }

    [Theory]
    [InlineData("", "abc", 0)]
    [InlineData("abc", "abc", 3)]
    [InlineData("abcdefg", "xyz", 0)]
    [InlineData("kitten", "sitting", 4)] // k→s, e→i, +g: "ittn"
    [InlineData("the old mill", "the mill", 8)]
    public void CommonBlocks_MatchTheLongestCommonSubsequence(string a, string b, int expected)
    {
        var blocks = HistoryRedactor.CommonBlocks(Cps(a), Cps(b));

        Assert.Equal(expected, blocks.Sum(x => x.Length));
        Assert.All(blocks, x => Assert.Equal(a.Substring(x.A, x.Length), b.Substring(x.B, x.Length)));
    }

    [Fact]
    public void CommonBlocks_RandomPairs_AreAsLongAsTheDynamicProgrammingLcs()
    {
        var random = new Random(1986);
        for (var round = 0; round < 500; round++)
        {
            var a = new string(Enumerable.Range(0, random.Next(20)).Select(_ => (char)('a' + random.Next(3))).ToArray());
            var b = new string(Enumerable.Range(0, random.Next(20)).Select(_ => (char)('a' + random.Next(3))).ToArray());

            var blocks = HistoryRedactor.CommonBlocks(Cps(a), Cps(b));

            Assert.Equal(Lcs(a, b), blocks.Sum(x => x.Length));
            Assert.All(blocks, x => Assert.Equal(a.Substring(x.A, x.Length), b.Substring(x.B, x.Length)));
        }
    }

    [Theory]
    [InlineData("the old mill by the river", "xx the old mill by the river yy", "the old mill by the river")] // whole
    [InlineData("the old mill by the river", "xx the old mil by the rivr yy", "the old mil by the rivr")] // two typos
    [InlineData("the old mill by the river", "xx the old mill zzzzzzzzzzz", "the old mill zzz")] // a partial copy; the end differs for up to 3
    [InlineData("hunter2", "..hunter3..", "hunter3")] // a differing last character, no more than the span still has
    [InlineData("the old mill by the river", "the quick brown fox jumps", "")] // nothing alike
    [InlineData("the old mill by the river", "a river", "")] // too short a part
    public void CopyMatches_FindNearIdenticalStretches(string span, string window, string expected)
    {
        var matches = HistoryRedactor.CopyMatches(Cps(span), Cps(window));

        Assert.Equal(expected, string.Concat(matches.Select(m => window[m.Start..m.End])));
    }

    private static int Lcs(string a, string b)
    {
        var table = new int[a.Length + 1, b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                table[i, j] = a[i - 1] == b[j - 1] ? table[i - 1, j - 1] + 1 : Math.Max(table[i - 1, j], table[i, j - 1]);
            }
        }

        return table[a.Length, b.Length];
    }
}
