using Plumbline.Core.Datasets;
using Plumbline.Core.Text;

namespace Plumbline.Core.Tests.Datasets;

public class NextEditDocumentTests
{
    private static EditUnit Unit(params (int Position, int Delete, string Insert)[] patches)
    {
        var grouper = new EditUnitGrouper(EditUnitOptions.Default with { MaxUnitPatches = 1000, WordBoundaryChars = 1000, BreakAtLineEnd = false }, false);
        var revision = 1;
        foreach (var (position, delete, insert) in patches)
        {
            Assert.Empty(grouper.Push(new UnitRevision(revision, 0, 1, false, [new Patch(position, delete, insert)], revision)));
            revision++;
        }

        return grouper.Flush()!;
    }

    [Fact]
    public void Next_InsertInsideLine_MarksRegionCursorAndTarget()
    {
        var document = new NextEditDocument("doc", "alpha\nbeta\ngamma\ndelta\n", 0, NextEditOptions.Default);

        var parts = document.Next(Unit((8, 0, "X"), (9, 0, "Y")), out var skip);

        Assert.Equal(NextEditSkip.None, skip);
        Assert.NotNull(parts);
        Assert.Equal(
            "```doc\n<|start_of_file|>\n<|editable_region_start|>\nalpha\nbe<|user_cursor_is_here|>ta\ngamma\n<|editable_region_end|>\ndelta\n\n```",
            parts.Input);
        Assert.Equal("<|editable_region_start|>\nalpha\nbeXYta\ngamma\n<|editable_region_end|>", parts.Target);
        Assert.Equal("", parts.Events);
        Assert.Equal("-\u0000+XY", parts.Change);
        Assert.Equal("alpha\nbeXYta\ngamma\ndelta\n", document.Text);
    }

    [Fact]
    public void Next_SecondUnit_HasFirstAsUnifiedDiffHistory()
    {
        var document = new NextEditDocument("doc", "alpha\nbeta\ngamma\ndelta\n", 0, NextEditOptions.Default);
        document.Next(Unit((8, 0, "X"), (9, 0, "Y")), out _);

        var parts = document.Next(Unit((19, 5, "")), out _)!;

        Assert.Equal("User edited \"doc\":\n```diff\n@@ -1,3 +1,3 @@\n alpha\n-beta\n+beXYta\n gamma\n```\n\n", parts.Events);
        Assert.Equal("<|editable_region_start|>\ngamma\n\n\n<|editable_region_end|>", parts.Target); // "gamma\ndelta\n" (the line after is the empty last line) loses "delta"
        Assert.Equal(1, parts.HistoryFrom);
    }

    [Fact]
    public void Next_ContextWindow_KeepsWholeLinesWithinMaxChars()
    {
        var text = string.Concat(Enumerable.Range(0, 40).Select(i => $"line {i:D2}\n"));
        var document = new NextEditDocument("doc", text, 0, NextEditOptions.Default with { MaxChars = 60, History = 0 });

        var parts = document.Next(Unit((8 * 20, 0, "!")), out _)!;

        Assert.Equal("line 19\nline 20\nline 21", parts.EditableBeforeCursor + parts.EditableAfterCursor);
        Assert.Equal("line 17\nline 18\n", parts.Prefix);
        Assert.Equal("\nline 22\nline 23", parts.Suffix);
        Assert.False(parts.StartOfFile);
        Assert.True(parts.Prefix.Length + parts.EditableBeforeCursor.Length + parts.EditableAfterCursor.Length + parts.Suffix.Length <= 60);
    }

    [Fact]
    public void Next_UnitWithNoNetChange_IsSkippedAndStillApplied()
    {
        var document = new NextEditDocument("doc", "ab", 0, NextEditOptions.Default);

        var parts = document.Next(Unit((2, 0, "c"), (2, 1, "")), out var skip);

        Assert.Null(parts);
        Assert.Equal(NextEditSkip.NoChange, skip);
        Assert.Equal("ab", document.Text);
    }

    [Fact]
    public void Next_UnitLargerThanEditableLimit_IsSkipped()
    {
        var document = new NextEditDocument("doc", "", 0, NextEditOptions.Default with { MaxEditableChars = 10, MaxChars = 20 });

        Assert.Null(document.Next(Unit((0, 0, new string('x', 11))), out var skip));
        Assert.Equal(NextEditSkip.TooLarge, skip);
        Assert.Equal(11, document.Length);
    }

    [Fact]
    public void Next_DeletionOnly_TargetsTheShorterRegion()
    {
        var document = new NextEditDocument("doc", "keep\ndrop me\nkeep", 0, NextEditOptions.Default with { EditableContextLines = 0 });

        var parts = document.Next(Unit((9, 3, "")), out _)!;

        Assert.Equal("drop me", parts.EditableBeforeCursor); // a deletion's cursor is after the deleted text (backspace)
        Assert.Equal("", parts.EditableAfterCursor);
        Assert.Equal("<|editable_region_start|>\ndrop\n<|editable_region_end|>", parts.Target);
    }

    [Fact]
    public void Next_CodePointsBeyondBmp_CountAsOne()
    {
        var document = new NextEditDocument("doc", "a😀b", 0, NextEditOptions.Default);

        var parts = document.Next(Unit((2, 0, "c")), out _)!;

        Assert.Equal("a😀", parts.EditableBeforeCursor);
        Assert.Equal("<|editable_region_start|>\na😀cb\n<|editable_region_end|>", parts.Target);
    }
}
