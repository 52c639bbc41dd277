using Plumbline.Core.Capture;
using Plumbline.Core.Text;

namespace Plumbline.Core.Tests.Capture;

public class CommentAnchorTests
{
    private static readonly CommentAnchor Range = new(5, 10);

    [Theory]
    [InlineData(0, 0, "ab", 7, 12)] // insert before: moves
    [InlineData(5, 0, "ab", 7, 12)] // insert at the start: moves (stays outside)
    [InlineData(7, 0, "ab", 5, 12)] // insert inside: grows
    [InlineData(10, 0, "ab", 5, 10)] // insert at the end: stays outside
    [InlineData(12, 0, "ab", 5, 10)] // insert after: unchanged
    [InlineData(0, 2, "", 3, 8)] // delete before: moves back
    [InlineData(6, 2, "", 5, 8)] // delete inside: shrinks
    [InlineData(3, 4, "", 3, 6)] // delete across the start: clips
    [InlineData(8, 5, "", 5, 8)] // delete across the end: clips
    [InlineData(5, 5, "", 5, 5)] // delete all of it: empty (orphaned)
    [InlineData(3, 4, "xy", 3, 8)] // replace across the start: the new text joins the range
    [InlineData(6, 2, "xyz", 5, 11)] // replace inside: grows by the difference
    public void Through_FollowsTheDocumentedRules(int position, int delete, string insert, int start, int end) =>
        Assert.Equal(new CommentAnchor(start, end), Range.Through(new Patch(position, delete, insert)));

    [Fact]
    public void Through_InsertedTextBeyondBmp_CountsCodePoints() =>
        Assert.Equal(new CommentAnchor(6, 11), Range.Through(new Patch(0, 0, "😀")));
}
