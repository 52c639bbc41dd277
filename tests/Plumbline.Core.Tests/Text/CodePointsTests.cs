using Plumbline.Core.Text;

namespace Plumbline.Core.Tests.Text;

public class CodePointsTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("abc", 3)]
    [InlineData("😀", 1)]
    [InlineData("a😀b🎉", 4)]
    public void Count_CountsSurrogatePairsOnce(string text, int expected) =>
        Assert.Equal(expected, CodePoints.Count(text));

    [Fact]
    public void Count_LoneSurrogate_CountsAsOne() =>
        Assert.Equal(2, CodePoints.Count(new string([(char)0xD800, 'x'])));

    [Fact]
    public void ToUtf16Index_AndBack_RoundTrip()
    {
        const string text = "a😀b🎉c";

        Assert.Equal(3, CodePoints.ToUtf16Index(text, 2));
        Assert.Equal(7, CodePoints.ToUtf16Index(text, 5));
        Assert.Equal(2, CodePoints.FromUtf16Index(text, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => CodePoints.ToUtf16Index(text, 6));
    }
}
