using Plumbline.Core.Text;

namespace Plumbline.Core.Datasets;

/// <summary>
/// Line numbers of positions in a text being edited, without rescanning it: a remembered (position, line)
/// pair moves with the patches, and a lookup scans only from there. Edits near the cursor cost O(distance).
/// </summary>
public sealed class LineTracker(TextBuffer text)
{
    private int _position;
    private int _line;

    /// <summary>The 0-based line of <paramref name="position"/>; also remembers it for the next lookup.</summary>
    public int LineAt(int position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(position, text.Length);
        while (_position < position)
        {
            if (text.CodePointAt(_position) == '\n')
            {
                _line++;
            }

            _position++;
        }

        while (_position > position)
        {
            _position--;
            if (text.CodePointAt(_position) == '\n')
            {
                _line--;
            }
        }

        return _line;
    }

    /// <summary>Call before <paramref name="patch"/> is applied to the text.</summary>
    public void BeforePatch(in Patch patch)
    {
        if (patch.Position >= _position)
        {
            return;
        }

        if (patch.Position + patch.Delete <= _position)
        {
            var deleted = 0;
            for (var i = patch.Position; i < patch.Position + patch.Delete; i++)
            {
                if (text.CodePointAt(i) == '\n')
                {
                    deleted++;
                }
            }

            var inserted = 0;
            foreach (var c in patch.Insert)
            {
                if (c == '\n')
                {
                    inserted++;
                }
            }

            _line += inserted - deleted;
            _position += patch.InsertLength - patch.Delete;
            return;
        }

        LineAt(patch.Position);
    }
}
