using Plumbline.Core.Analysis.Keywords;

namespace Plumbline.Core.Tests.Analysis.Keywords;

public class ClassTfIdfTests
{
    [Fact]
    public void Compute_WeightsFollowTheBertopicFormula()
    {
        string[] texts = ["cats purr", "cats sleep", "dogs bark", "dogs do not sleep"];
        var keywords = ClassTfIdf.Compute(texts, [0, 0, 1, 1], 2, top: 3);
        // class 0: cats 2, purr 1, sleep 1 (4 words); class 1: dogs 2, bark 1, not 1, sleep 1 (5 words; "do" is a stop word)
        // A = 4.5; f(cats) = 2, f(sleep) = 2, f(purr) = 1
        Assert.Equal("cats", keywords[0][0].Term);
        Assert.Equal(2.0 / 4 * Math.Log(1 + (4.5 / 2)), keywords[0][0].Weight, 14);
        Assert.Equal("purr", keywords[0][1].Term);
        Assert.Equal(1.0 / 4 * Math.Log(1 + 4.5), keywords[0][1].Weight, 14);
        Assert.Equal(["dogs", "bark", "not"], keywords[1].Select(k => k.Term).ToArray());
    }

    [Fact]
    public void Compute_EmptyClass_HasNoKeywords()
    {
        Assert.Empty(ClassTfIdf.Compute(["a cat"], [0], 2)[1]);
    }
}
