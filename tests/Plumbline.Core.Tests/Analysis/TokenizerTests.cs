using Plumbline.Core.Analysis;

namespace Plumbline.Core.Tests.Analysis;

public class TokenizerTests
{
    [Fact]
    public void Tokenize_Words_LowercasesAndDropsPunctuation()
    {
        Assert.Equal(["don't", "stop", "state-of-the-art", "models", "42", "x_y"], Tokenizer.Tokenize("Don't STOP: state-of-the-art models, 42 x_y!"));
    }

    [Fact]
    public void Tokenize_Generative_KeepsCaseAndPunctuationAsTokens()
    {
        Assert.Equal(["Hello", ",", "world", "!", "(", "a", "-", "b", ")"], Tokenizer.Tokenize("Hello, world! (a - b)", TokenizerOptions.Generative));
    }

    [Fact]
    public void Tokenize_TrailingApostropheOrHyphen_IsNotPartOfTheWord()
    {
        Assert.Equal(["dogs", "'", "end", "-"], Tokenizer.Tokenize("dogs' end-", TokenizerOptions.Generative));
    }

    [Fact]
    public void Tokenize_CharactersBeyondBmp_StayWhole()
    {
        // U+1D400 MATHEMATICAL BOLD CAPITAL A is a letter; U+1F600 is a symbol
        Assert.Equal(["a\U0001D400b", "\U0001F600", "c"], Tokenizer.Tokenize("a\U0001D400b \U0001F600c", TokenizerOptions.Generative));
        Assert.Equal(["a\U0001D400b", "c"], Tokenizer.Tokenize("a\U0001D400b \U0001F600c"));
    }

    [Fact]
    public void Tokenize_AccentedAndCombiningLetters_AreWordCharacters()
    {
        Assert.Equal(["café", "nai\u0308ve", "日本語"], Tokenizer.Tokenize("Café nai\u0308ve 日本語"));
    }

    [Fact]
    public void Detokenize_GluesClosingPunctuationAndOpeningBrackets()
    {
        Assert.Equal("Hello, world! (a - b) costs $5.", Tokenizer.Detokenize(["Hello", ",", "world", "!", "(", "a", "-", "b", ")", "costs", "$", "5", "."]));
    }
}
