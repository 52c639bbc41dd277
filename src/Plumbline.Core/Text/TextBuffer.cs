namespace Plumbline.Core.Text;

/// <summary>
/// A text being edited, addressed in code points: a gap buffer of UTF-32 values, so that typing runs
/// (the common case in keystroke traces) cost O(1) per patch.
/// </summary>
public sealed class TextBuffer
{
    private int[] _buffer;
    private int _gapStart;
    private int _gapEnd;

    public TextBuffer(string initial = "", int capacity = 0)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _buffer = new int[Math.Max(Math.Max(capacity, initial.Length) + 64, 256)];
        var n = CodePoints.Decode(initial, _buffer);
        var tail = _buffer.Length - n;
        Array.Copy(_buffer, 0, _buffer, tail, n);
        _gapStart = 0;
        _gapEnd = tail;
    }

    /// <summary>The length in code points.</summary>
    public int Length => _buffer.Length - (_gapEnd - _gapStart);

    /// <summary>The code point at <paramref name="index"/>.</summary>
    public int CodePointAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Length);
        return index < _gapStart ? _buffer[index] : _buffer[index + (_gapEnd - _gapStart)];
    }

    /// <summary>Why <paramref name="patch"/> cannot apply to the current text, or null when it can.</summary>
    public string? Check(in Patch patch)
    {
        var length = Length;
        if (patch.Position > length)
        {
            return $"position {patch.Position} is past the end of the document (length {length})";
        }

        if ((long)patch.Position + patch.Delete > length)
        {
            return $"deleting {patch.Delete} at position {patch.Position} runs past the end of the document (length {length})";
        }

        return null;
    }

    /// <summary>Applies a patch; out-of-range patches are rejected, never clamped.</summary>
    public void Apply(in Patch patch)
    {
        var problem = Check(patch);
        if (problem is not null)
        {
            throw new ArgumentOutOfRangeException(nameof(patch), patch, problem);
        }

        MoveGap(patch.Position);
        _gapEnd += patch.Delete;
        var insert = patch.Insert;
        if (insert.Length == 0)
        {
            return;
        }

        EnsureGap(insert.Length);
        if (insert.Length == 1)
        {
            _buffer[_gapStart++] = insert[0];
        }
        else
        {
            _gapStart += CodePoints.Decode(insert, _buffer.AsSpan(_gapStart));
        }
    }

    /// <summary>
    /// Deletes <paramref name="delete"/> code points at <paramref name="position"/> and inserts the
    /// <paramref name="codePoints"/> code points encoded in <paramref name="utf8"/>, with no string in between
    /// (the replay fast path). Out-of-range edits are rejected.
    /// </summary>
    public void Replace(int position, int delete, ReadOnlySpan<byte> utf8, int codePoints)
    {
        var length = Length;
        if (position < 0 || position > length || delete < 0 || (long)position + delete > length)
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, $"deleting {delete} at {position} does not fit a text of {length}");
        }

        MoveGap(position);
        _gapEnd += delete;
        if (codePoints == 0)
        {
            return;
        }

        EnsureGap(codePoints);
        if (utf8.Length == codePoints)
        {
            foreach (var b in utf8)
            {
                _buffer[_gapStart++] = b;
            }

            return;
        }

        while (!utf8.IsEmpty)
        {
            System.Text.Rune.DecodeFromUtf8(utf8, out var rune, out var consumed);
            _buffer[_gapStart++] = rune.Value;
            utf8 = utf8[consumed..];
        }
    }

    /// <summary>Replaces <paramref name="count"/> code points at <paramref name="position"/> with <paramref name="value"/> each.</summary>
    public void Fill(int position, int count, int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)position + count, Length);
        MoveGap(position + count);
        _buffer.AsSpan(position, count).Fill(value);
    }

    /// <summary>The text from <paramref name="start"/> (code points) for <paramref name="length"/> code points.</summary>
    public string Substring(int start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)start + length, Length);

        // Read around the gap rather than moving it: a detector reading near every edit must not cost O(n) per read.
        if (start + length <= _gapStart)
        {
            return CodePoints.Encode(_buffer.AsSpan(start, length));
        }

        var gap = _gapEnd - _gapStart;
        if (start >= _gapStart)
        {
            return CodePoints.Encode(_buffer.AsSpan(start + gap, length));
        }

        return string.Concat(
            CodePoints.Encode(_buffer.AsSpan(start, _gapStart - start)),
            CodePoints.Encode(_buffer.AsSpan(_gapEnd, start + length - _gapStart)));
    }

    public override string ToString() => Substring(0, Length);

    private void MoveGap(int position)
    {
        if (position < _gapStart)
        {
            var count = _gapStart - position;
            Array.Copy(_buffer, position, _buffer, _gapEnd - count, count);
            _gapStart = position;
            _gapEnd -= count;
        }
        else if (position > _gapStart)
        {
            var count = position - _gapStart;
            Array.Copy(_buffer, _gapEnd, _buffer, _gapStart, count);
            _gapStart += count;
            _gapEnd += count;
        }
    }

    private void EnsureGap(int needed)
    {
        if (_gapEnd - _gapStart >= needed)
        {
            return;
        }

        var length = Length;
        var bigger = new int[Math.Max(_buffer.Length * 2, length + needed + 256)];
        Array.Copy(_buffer, 0, bigger, 0, _gapStart);
        var tail = _buffer.Length - _gapEnd;
        Array.Copy(_buffer, _gapEnd, bigger, bigger.Length - tail, tail);
        _gapEnd = bigger.Length - tail;
        _buffer = bigger;
    }
}
