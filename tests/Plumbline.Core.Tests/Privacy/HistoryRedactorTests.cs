using Plumbline.Core.Privacy;
using Plumbline.Core.Text;

namespace Plumbline.Core.Tests.Privacy;

public class HistoryRedactorTests
{
    private const string Key = "AKIAZ7QH3LMNPQ4RST2X";

    private static readonly SecretDetector Detector = new();

    /// <summary>Types <paramref name="text"/> one character per revision at <paramref name="at"/>.</summary>
    private static IEnumerable<Patch[]> Typing(string text, int at) =>
        text.EnumerateRunes().Select((c, i) => new[] { new Patch(at + i, 0, c.ToString()) });

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

    [Fact]
    public void KeyTypedOneCharacterAtATime_NeverShowsAFragment()
    {
        var revisions = Typing("aws_access_key_id = ", 0).Concat(Typing(Key, 20)).Concat(Typing("\nnext line", 40)).ToList();

        var redacted = HistoryRedactor.Redact("", revisions, Detector);

        var states = Replay(redacted.Start, redacted.Revisions);
        Assert.Equal(revisions.Count, redacted.Revisions.Count);
        Assert.All(redacted.Revisions.Zip(revisions), pair => Assert.Equal(pair.Second.Length, pair.First.Length));
        Assert.Equal("aws_access_key_id = [SECRET]\nnext line", states[^1]);
        Assert.Equal("aws_access_key_id = [SECRET]", states[21]); // the placeholder appears with the key's first character
        Assert.All(states, s => Assert.DoesNotContain("AKIA", s, StringComparison.Ordinal));
        Assert.All(states, s => Assert.DoesNotContain("Z7QH", s, StringComparison.Ordinal));
        Assert.Equal(FindingKind.Secret, Assert.Single(redacted.Secrets).Kind);
        Assert.Equal(20, redacted.Secrets[0].Characters);
    }

    [Fact]
    public void KeyWithATypoCorrected_ThenTextEditedAfterIt_RemapsPositions()
    {
        var revisions = new List<Patch[]>();
        revisions.AddRange(Typing("token ", 0));
        revisions.AddRange(Typing(Key[..10], 6));
        revisions.Add([new Patch(16, 0, "#")]);
        revisions.Add([new Patch(16, 1, "")]);
        revisions.AddRange(Typing(Key[10..], 16));
        revisions.AddRange(Typing(" end", 26));
        revisions.Add([new Patch(27, 3, "END")]); // edits after the key: positions must move left by 20 - 8

        var redacted = HistoryRedactor.Redact("", revisions, Detector);

        var states = Replay(redacted.Start, redacted.Revisions);
        Assert.Equal("token [SECRET] END", states[^1]);
        Assert.Equal(new Patch(15, 3, "END"), redacted.Revisions[^1][0]);
        Assert.All(states, s => Assert.DoesNotContain("AKIAZ", s, StringComparison.Ordinal));
    }

    [Fact]
    public void SecretDeletedLater_TakesItsPlaceholderWithIt()
    {
        var revisions = Typing("mail me at ada@lab.org please", 0).ToList();
        revisions.Add([new Patch(11, 12, "")]);

        var redacted = HistoryRedactor.Redact("", revisions, Detector);

        var states = Replay(redacted.Start, redacted.Revisions);
        Assert.Equal("mail me at [EMAIL] please", states[^2]);
        Assert.Equal("mail me at please", states[^1]); // the address and the space after it
        Assert.Equal(FindingKind.Email, Assert.Single(redacted.Secrets).Kind);
    }

    [Fact]
    public void SecretCompletedFromTheStartText_SaysItTouchesTheStart()
    {
        var redacted = HistoryRedactor.Redact("id " + Key[..12], Typing(Key[12..], 15).ToList(), Detector);

        Assert.True(redacted.TouchesStart);
        Assert.Equal("id [SECRET]", redacted.Start);
        Assert.Equal("id [SECRET]", Replay(redacted.Start, redacted.Revisions)[^1]);
    }

    [Fact]
    public void NothingFound_ReturnsTheHistoryUnchanged()
    {
        var revisions = Typing("just prose 😀, nothing secret", 0).ToList();

        var redacted = HistoryRedactor.Redact("", revisions, Detector);

        Assert.Same(revisions, redacted.Revisions);
        Assert.Empty(redacted.Secrets);
    }

    [Fact]
    public void EmojiBeforeTheSecret_PositionsCountCodePoints()
    {
        var revisions = new List<Patch[]> { new[] { new Patch(0, 0, "😀🎉 ada@lab.org x") } };
        revisions.Add([new Patch(15, 1, "y")]);

        var redacted = HistoryRedactor.Redact("", revisions, Detector);

        Assert.Equal("😀🎉 [EMAIL] y", Replay(redacted.Start, redacted.Revisions)[^1]);
        Assert.Equal(new Patch(11, 1, "y"), redacted.Revisions[1][0]);
    }

    /// <summary>
    /// The root cause of the sveltecomponent divergence: a patch that deletes plain text and inserts redacted characters in
    /// one go (a paste over a selection, an undo) lost its deletion, so the old text stayed after the placeholder.
    /// </summary>
    [Fact]
    public void KeyPastedOverASelection_DeletesTheSelection()
    {
        var revisions = new List<Patch[]> { new[] { new Patch(0, 0, "key = placeholder;") }, new[] { new Patch(6, 11, Key) } };

        var redacted = HistoryRedactor.Redact("", revisions, Detector);

        Assert.Equal(["", "key = placeholder;", "key = [SECRET];"], Replay(redacted.Start, redacted.Revisions));
        Assert.Equal(new Patch(6, 11, "[SECRET]"), redacted.Revisions[1][0]);
    }

    [Fact]
    public void ReviewSpanPastedOverASelection_DeletesTheSelection_AndLaterEditsStayInPlace()
    {
        // "Hello world" → "Hello secret friend" by pasting over "world"; then "!" at the end.
        var revisions = new List<Patch[]> { new[] { new Patch(0, 0, "Hello world") }, new[] { new Patch(6, 5, "secret friend") }, new[] { new Patch(19, 0, "!") } };
        var span = HistoryRedactor.TraceSpan("", revisions, 6, 12); // "secret"

        var redacted = HistoryRedactor.RedactCharacters("", revisions, span.Ids.ToHashSet());

        Assert.Equal([2, 2, 2, 2, 2, 2], span.Revisions);
        Assert.Equal(["", "Hello world", "Hello [REDACTED] friend", "Hello [REDACTED] friend!"], Replay(redacted.Start, redacted.Revisions));
        Assert.Equal(new Patch(6, 5, "[REDACTED] friend"), redacted.Revisions[1][0]);
        Assert.Equal(new Patch(23, 0, "!"), redacted.Revisions[2][0]);
    }
}
