using Plumbline.Core.Text;

namespace Plumbline.Core.Capture;

/// <summary>
/// A comment's range [<see cref="Start"/>, <see cref="End"/>) in code points, carried through later edits.
/// Rules: text inserted at or before the start moves the range; text inserted strictly inside it, or
/// that replaces deleted text of the range, grows it; text inserted at the end stays outside; deleting
/// commented text shrinks the range, and deleting all of it leaves an empty range (an orphaned comment).
/// </summary>
public readonly record struct CommentAnchor(int Start, int End)
{
    public int Length => End - Start;

    public CommentAnchor Through(in Patch patch)
    {
        var start = Start;
        var end = End;
        var position = patch.Position;
        var deleteEnd = position + patch.Delete;
        var touched = patch.Delete > 0 && position < end && deleteEnd > start;
        if (patch.Delete > 0)
        {
            start -= Math.Clamp(start - position, 0, patch.Delete);
            end -= Math.Clamp(end - position, 0, patch.Delete);
        }

        var inserted = patch.InsertLength;
        if (inserted > 0)
        {
            if (touched && position >= start && position <= end)
            {
                end += inserted;
            }
            else if (position <= start)
            {
                start += inserted;
                end += inserted;
            }
            else if (position < end)
            {
                end += inserted;
            }
        }

        return new CommentAnchor(start, end);
    }
}
