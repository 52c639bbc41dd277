using Plumbline.Core.Text;

namespace Plumbline.Storage.Ingest;

/// <summary>
/// A run of consecutive transactions that must not be stored as content (paused, unconsented or
/// unmapped author). The run collapses to one gap revision: the net change between the text before
/// and after it, with every inserted code point replaced by <see cref="Fill"/>, so positions after the
/// gap stay valid while nothing of the withheld content, nor its keystroke timing, is kept.
/// </summary>
internal sealed class GapRun
{
    /// <summary>The code point that stands for withheld text: U+2591 LIGHT SHADE.</summary>
    public const int Fill = 0x2591;

    private readonly int _lengthBefore;
    private int _prefix;
    private int _suffix;

    public GapRun(int lengthBefore, long firstTime, long? contributorId, string reason)
    {
        _lengthBefore = lengthBefore;
        _prefix = lengthBefore;
        _suffix = lengthBefore;
        FirstTime = firstTime;
        LastTime = firstTime;
        ContributorId = contributorId;
        Reason = reason;
    }

    public long FirstTime { get; }

    public long LastTime { get; private set; }

    public long? ContributorId { get; private set; }

    public string Reason { get; private set; }

    public int Transactions { get; private set; }

    /// <summary>Notes a transaction of the run; call before its patches are applied.</summary>
    public void Add(long time, long? contributorId, string reason)
    {
        Transactions++;
        LastTime = time;
        if (contributorId != ContributorId)
        {
            ContributorId = null;
        }

        if (reason != Reason)
        {
            Reason = "mixed";
        }
    }

    /// <summary>Notes a patch of the run, given the text length before it.</summary>
    public void Track(in Patch patch, int lengthBeforePatch)
    {
        _prefix = Math.Min(_prefix, patch.Position);
        _suffix = Math.Min(_suffix, lengthBeforePatch - patch.Position - patch.Delete);
    }

    /// <summary>Masks the withheld text in <paramref name="text"/> (already edited by the run) and returns the gap's one patch.</summary>
    public Patch Close(TextBuffer text)
    {
        var lengthAfter = text.Length;
        var suffix = Math.Min(_suffix, Math.Min(_lengthBefore, lengthAfter) - _prefix);
        var deleted = _lengthBefore - _prefix - suffix;
        var inserted = lengthAfter - _prefix - suffix;
        text.Fill(_prefix, inserted, Fill);
        return new Patch(_prefix, deleted, new string((char)Fill, inserted));
    }
}
