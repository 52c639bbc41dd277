using System.Text;
using Plumbline.Core.Privacy;
using Plumbline.Core.Text;
using static Plumbline.Core.Tests.Privacy.Found;

namespace Plumbline.Core.Tests.Privacy;

public class WindowedDetectionTests
{
    private const string Token = "ghp_R2d2C3poLuke5kyWalker0Leia1Han2Solo7";

    [Fact]
    public void Window_ScansOnlyTheLinesItTouches()
    {
        const string text = "mail: ada@example.org\nline two\ncall 415-555-2671\n";
        var detector = new SecretDetector();

        Assert.Equal([new Finding(FindingKind.Phone, 36, 48, "phone")], detector.Detect(text, 40, 41));
        Assert.Empty(detector.Detect(text, 25, 25));
        Assert.Equal([new Finding(FindingKind.Email, 6, 21, "email")], detector.Detect(text, 0, 0));
        Assert.Equal(2, detector.Detect(text, 0, text.Length).Count);
    }

    [Fact]
    public void Window_PositionsAreCodePoints_AfterEmoji()
    {
        const string text = "😀😀 notes\nmail ada@example.org 🎉\n";

        Assert.Equal([new Finding(FindingKind.Email, 14, 29, "email")], new SecretDetector().Detect(text, 20, 21));
        Assert.Equal([new Finding(FindingKind.Email, 14, 29, "email")], new SecretDetector().Detect(new TextBuffer(text), 20, 21));
    }

    [Fact]
    public void Window_OutOfRange_Throws()
    {
        var detector = new SecretDetector();

        Assert.Throws<ArgumentOutOfRangeException>(() => detector.Detect("abc", -1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => detector.Detect("abc", 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => detector.Detect("a😀", 0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => detector.Detect(new TextBuffer("abc"), 0, 4));
    }

    [Fact]
    public void TokenTypedOneCharacterAtATime_EveryFindingIsAPrefixAndTheLastIsTheToken()
    {
        var prefix = string.Concat(Enumerable.Repeat("Some notes about the deployment.\n", 40)) + "GITHUB_TOKEN=";
        var text = new TextBuffer(prefix);
        var start = prefix.Length;
        var detector = new SecretDetector();
        IReadOnlyList<Finding> found = [];
        for (var i = 0; i < Token.Length; i++)
        {
            text.Apply(new Patch(start + i, 0, Token[i].ToString()));
            found = detector.Detect(text, start + i, start + i + 1);
            Assert.All(found, f => Assert.Equal((FindingKind.Secret, start), (f.Kind, f.Start)));
        }

        Assert.Equal([new Finding(FindingKind.Secret, start, start + Token.Length, "github-token")], found);
    }

    [Fact]
    public void PrivateKeyBodyLongerThanTheContext_FoundFromTheBeginLine_ThenThroughTheEndLine()
    {
        var before = string.Concat(Enumerable.Repeat("A paragraph of notes, nothing secret in it.\n", 80));
        var body = string.Concat(Enumerable.Range(0, 30).Select(i => Base64Line(i) + "\n"));
        var text = new TextBuffer(before + "-----BEGIN RSA PRIVATE KEY-----\n" + body);
        var begin = before.Length;
        var detector = new SecretDetector();

        text.Apply(new Patch(text.Length, 0, "Mx"));
        Assert.Equal([new Finding(FindingKind.Secret, begin, text.Length, "private-key")], detector.Detect(text, text.Length - 1, text.Length));
        Assert.Equal([new Finding(FindingKind.Secret, begin, text.Length, "private-key")], detector.Detect(text.ToString(), text.Length - 1, text.Length));

        const string end = "\n-----END RSA PRIVATE KEY-----";
        text.Apply(new Patch(text.Length, 0, end + "\nand more notes after it\n"));
        var endOfBlock = begin + "-----BEGIN RSA PRIVATE KEY-----\n".Length + body.Length + "Mx".Length + end.Length;
        Assert.Equal([new Finding(FindingKind.Secret, begin, endOfBlock, "private-key")], detector.Detect(text, endOfBlock - 3, endOfBlock));

        // An edit in the middle of the body, far from both marker lines, still finds the whole block.
        var middle = begin + 40 + (15 * 65);
        Assert.Equal([new Finding(FindingKind.Secret, begin, endOfBlock, "private-key")], detector.Detect(text, middle, middle + 1));
    }

    [Fact]
    public void LongLine_ATokenCrossingTheCutIsKeptWhole()
    {
        var jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOi" + string.Concat(Enumerable.Range(0, 40).Select(i => $"Ab{i:D2}Cd9Z")) + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        var words = string.Concat(Enumerable.Repeat("lorem ipsum dolor ", 60));
        var text = words + jwt + " " + words;

        var found = new SecretDetector().Detect(text, words.Length + jwt.Length - 1, words.Length + jwt.Length);

        Assert.True(jwt.Length > Window.Context);
        Assert.Equal([new Finding(FindingKind.Secret, words.Length, words.Length + jwt.Length, "jwt")], found);
    }

    [Fact]
    public void BufferAndString_AgreeAtEveryPosition()
    {
        var text = new StringBuilder()
            .Append("Notes 😀 for the deploy\nGITHUB_TOKEN=").Append(Token).Append('\n')
            .Append(string.Concat(Enumerable.Repeat("a long line of words without any newline in it ", 40)))
            .Append("call +44 20 7946 0958 or mail ada@example.org ")
            .Append(string.Concat(Enumerable.Repeat("more words in the same very long line ", 30)))
            .Append("\nssh 10.0.0.1\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDW8OVrrcJ/rZxZ\n")
            .ToString();
        var buffer = new TextBuffer(text);
        var detector = new SecretDetector();
        var length = CodePoints.Count(text);

        for (var p = 0; p < length; p += 3)
        {
            var end = Math.Min(length, p + 2);
            Assert.Equal(detector.Detect(text, p, end), detector.Detect(buffer, p, end));
        }
    }

    private static string Base64Line(int seed)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        return new string([.. Enumerable.Range(0, 64).Select(i => alphabet[((seed * 31) + (i * 17) + (i * i)) % 64])]);
    }
}
