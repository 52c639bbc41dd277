using Plumbline.Core.Datasets;

namespace Plumbline.Core.Tests.Datasets;

public class DatasetPiecesTests
{
    [Fact]
    public void Hunk_ReplacedLine_HasContextRemovedAndAdded() =>
        Assert.Equal("@@ -4,3 +4,3 @@\n a\n-b\n+B\n c\n", UnifiedDiff.Hunk("a\nb\nc", "a\nB\nc", 4));

    [Fact]
    public void Hunk_AddedLines_CountsOnlyWhatEachSideHas() =>
        Assert.Equal("@@ -1,2 +1,4 @@\n x\n+y\n+z\n \n", UnifiedDiff.Hunk("x\n", "x\ny\nz\n", 1));

    [Fact]
    public void Hunk_Equal_IsEmpty() => Assert.Equal("", UnifiedDiff.Hunk("same", "same", 1));

    [Fact]
    public void File_NamesBothSides() =>
        Assert.Equal("--- a/src/a.py\n+++ b/src/a.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\n", UnifiedDiff.File("src/a.py", "x = 1", "x = 2"));

    [Fact]
    public void NearDuplicates_SameContextSameChange_IsRemoved()
    {
        var index = new NearDuplicateIndex(0.8);

        Assert.True(index.TryAdd("The quick brown fox jumps over the lazy dog", "-\0+quick"));
        Assert.False(index.TryAdd("The quick brown fox jumps over the lazy dog", "-\0+quick"));
        Assert.Equal(1, index.Removed);
    }

    [Fact]
    public void NearDuplicates_SameContextOtherChange_IsKept()
    {
        var index = new NearDuplicateIndex(0.8);

        Assert.True(index.TryAdd("The quick brown fox jumps over the lazy dog", "-\0+quick "));
        Assert.True(index.TryAdd("The quick brown fox jumps over the lazy dog", "-\0+brown "));
        Assert.True(index.TryAdd("Something else entirely, about reward models", "-\0+quick "));
        Assert.Equal(0, index.Removed);
    }

    [Fact]
    public void NearDuplicates_DuplicateOfAnOlderBucketMember_IsFoundDownTheChain()
    {
        var index = new NearDuplicateIndex(0.8);
        var contexts = new[] { "reward model drift in round two", "policy gradient with a KL penalty", "the loss plateaued after steps", "we tried a smaller learning rate", "evaluation shows drift" };

        Assert.All(contexts, c => Assert.True(index.TryAdd(c, "-\0+same ")));
        Assert.False(index.TryAdd(contexts[1], "-\0+same "));
        Assert.False(index.TryAdd(contexts[0], "-\0+same "));
        Assert.Equal(2, index.Removed);
    }

    [Fact]
    public void Similarity_IdenticalTexts_IsOne() => Assert.Equal(1.0, NearDuplicateIndex.Similarity("reward hacking", "reward hacking", 5));

    [Fact]
    public void Split_SameSeedAndKey_AlwaysSameSplit()
    {
        var a = new SplitAssigner([0.5, 0.25, 0.25], 7);
        var b = new SplitAssigner([0.5, 0.25, 0.25], 7);
        var keys = Enumerable.Range(0, 200).Select(i => $"contributor:c{i}").ToList();

        Assert.Equal(keys.Select(a.Assign), keys.Select(b.Assign));
        Assert.Equal(["train", "validation", "test"], a.Names);
        Assert.All(new[] { "train", "validation", "test" }, name => Assert.Contains(name, keys.Select(a.Assign)));
    }

    [Fact]
    public void Split_OneFraction_PutsEverythingInTrain() =>
        Assert.Equal("train", new SplitAssigner([1.0], 3).Assign("document:x"));

    [Theory]
    [InlineData("0.9,0.2", "--split: the fractions must add up to 1 (they add up to 1.1)")]
    [InlineData("0.5,abc,0.5", "--split: 'abc' is not a fraction between 0 and 1")]
    [InlineData("0.25,0.25,0.25,0.25", "--split: expected 1 to 3 fractions (train,validation,test), got '0.25,0.25,0.25,0.25'")]
    public void Split_Parse_BadInput_NamesTheOption(string text, string message)
    {
        var error = Assert.Throws<PlumblineException>(() => SplitAssigner.Parse(text));

        Assert.Equal(FailureKind.BadInput, error.Kind);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void DialogueTurns_MergeSpeakerCues_MarkPausesWithheldAndUnknown()
    {
        DialogueCue[] cues =
        [
            new(1, 0, 1000, "Alice", "Shall we start?", 1),
            new(2, 1000, 2000, "Alice", "The loss plateaued.", 1),
            new(3, 2500, 3000, "Bob", "At which step?", 2),
            new(4, 20_000, 21_000, "Bob", "Sorry, I was muted.", 2),
            new(5, 21_000, 22_000, null, null, null),
            new(6, 22_000, 23_000, null, "Anyone?", null),
        ];

        var turns = DialogueTurns.Build(cues, 10_000, out var unknown);

        Assert.Equal(
            [
                "Alice: Shall we start? The loss plateaued.",
                "Bob: At which step?",
                "[pause 17 s]",
                "Bob: Sorry, I was muted.",
                "[withheld]",
                "Unknown speaker: Anyone?",
            ],
            turns.Select(t => t.Render()));
        Assert.Equal([1L, 2L], turns[0].Seqs);
        Assert.Equal(1, unknown);
    }

    [Fact]
    public void Zeta_Line_HasExactlyEventsInputOutput()
    {
        var parts = new NextEditParts("n.md", ["@@ -1 +1 @@\n-a\n+ab\n"], true, "", "ab", "", "", "abc");

        var line = ExampleText.FromNextEdit(parts).ToJsonLine(DatasetFormat.Zeta);

        Assert.Equal(
            "{\"events\":\"User edited \\\"n.md\\\":\\n```diff\\n@@ -1 +1 @@\\n-a\\n+ab\\n```\\n\\n\",\"input\":\"```n.md\\n<|start_of_file|>\\n<|editable_region_start|>\\nab<|user_cursor_is_here|>\\n<|editable_region_end|>\\n```\",\"output\":\"<|editable_region_start|>\\nabc\\n<|editable_region_end|>\"}",
            line);
    }

    [Fact]
    public void Completion_Line_HasPromptAndCompletion()
    {
        var line = new ExampleText("sys", "p", "c", "", "").ToJsonLine(DatasetFormat.Completion);

        Assert.Equal("{\"prompt\":\"p\",\"completion\":\"c\"}", line);
        Assert.Equal(
            "{\"messages\":[{\"role\":\"system\",\"content\":\"sys\"},{\"role\":\"user\",\"content\":\"p\"},{\"role\":\"assistant\",\"content\":\"c\"}]}",
            new ExampleText("sys", "p", "c", "", "").ToJsonLine(DatasetFormat.Chat));
    }
}
