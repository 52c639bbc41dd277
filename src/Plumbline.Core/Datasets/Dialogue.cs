using System.Globalization;
using System.Text;

namespace Plumbline.Core.Datasets;

/// <summary>A cue as the dialogue builder sees it; <see cref="Text"/> is null for a withheld cue.</summary>
public sealed record DialogueCue(long Seq, long StartMs, long EndMs, string? Speaker, string? Text, long? ContributorId);

/// <summary>A speaker's turn (consecutive cues merged) or a marker (<c>[pause 12 s]</c>, <c>[withheld]</c>).</summary>
public sealed record DialogueTurn(string? Speaker, string Text, bool IsMarker, IReadOnlyList<long> Seqs, long? ContributorId)
{
    public string Render() => IsMarker ? Text : $"{Speaker}: {Text}";
}

/// <summary>Turns a meeting's cues into turns: consecutive cues of one speaker merge; silences longer than a threshold and withheld cues become markers.</summary>
public static class DialogueTurns
{
    /// <summary>The speaker name given to cues that carry text but no speaker.</summary>
    public const string Unknown = "Unknown speaker";

    public static IReadOnlyList<DialogueTurn> Build(IReadOnlyList<DialogueCue> cues, long gapMs, out int unknownSpeakers)
    {
        ArgumentNullException.ThrowIfNull(cues);
        unknownSpeakers = 0;
        var turns = new List<DialogueTurn>();
        string? speaker = null;
        long? contributor = null;
        var text = new StringBuilder();
        var seqs = new List<long>();
        long? lastEnd = null;

        void Close()
        {
            if (seqs.Count > 0)
            {
                turns.Add(new DialogueTurn(speaker, text.ToString(), false, seqs.ToList(), contributor));
            }

            text.Clear();
            seqs.Clear();
            speaker = null;
        }

        foreach (var cue in cues)
        {
            if (lastEnd is { } end && cue.StartMs - end > gapMs)
            {
                Close();
                turns.Add(new DialogueTurn(null, string.Create(CultureInfo.InvariantCulture, $"[pause {(cue.StartMs - end) / 1000} s]"), true, [], null));
            }

            lastEnd = Math.Max(lastEnd ?? cue.EndMs, cue.EndMs);
            if (cue.Text is null)
            {
                Close();
                if (turns.Count == 0 || turns[^1].Text != "[withheld]")
                {
                    turns.Add(new DialogueTurn(null, "[withheld]", true, [], null));
                }

                continue;
            }

            var name = cue.Speaker;
            if (string.IsNullOrWhiteSpace(name))
            {
                unknownSpeakers++;
                name = Unknown;
            }

            if (seqs.Count > 0 && name != speaker)
            {
                Close();
            }

            speaker = name;
            contributor = cue.ContributorId;
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(cue.Text.Replace('\n', ' '));
            seqs.Add(cue.Seq);
        }

        Close();
        return turns;
    }
}
