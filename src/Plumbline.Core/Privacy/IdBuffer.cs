namespace Plumbline.Core.Privacy;

/// <summary>
/// Identities of the characters of a text being edited, kept in step with it: every inserted code
/// point gets the next id, so a character keeps its id however the text around it changes. A gap
/// buffer, like <see cref="Text.TextBuffer"/>.
/// </summary>
internal sealed class IdBuffer
{
    private int[] _ids;
    private int _gapStart;
    private int _gapEnd;

    public IdBuffer(int length)
    {
        _ids = new int[Math.Max(length * 2, 256)];
        _gapStart = length;
        _gapEnd = _ids.Length;
        for (var i = 0; i < length; i++)
        {
            _ids[i] = i;
        }

        NextId = length;
    }

    public int Length => _ids.Length - (_gapEnd - _gapStart);

    /// <summary>The id the next inserted character gets.</summary>
    public int NextId { get; private set; }

    public int this[int index] => index < _gapStart ? _ids[index] : _ids[index + (_gapEnd - _gapStart)];

    /// <summary>Deletes <paramref name="delete"/> ids at <paramref name="position"/> and inserts <paramref name="insert"/> new ones.</summary>
    public void Apply(int position, int delete, int insert)
    {
        MoveGap(position);
        _gapEnd += delete;
        if (_gapEnd - _gapStart < insert)
        {
            Grow(insert);
        }

        for (var i = 0; i < insert; i++)
        {
            _ids[_gapStart++] = NextId++;
        }
    }

    private void MoveGap(int position)
    {
        if (position < _gapStart)
        {
            var count = _gapStart - position;
            Array.Copy(_ids, position, _ids, _gapEnd - count, count);
            _gapStart = position;
            _gapEnd -= count;
        }
        else if (position > _gapStart)
        {
            var count = position - _gapStart;
            Array.Copy(_ids, _gapEnd, _ids, _gapStart, count);
            _gapStart += count;
            _gapEnd += count;
        }
    }

    private void Grow(int needed)
    {
        var bigger = new int[Math.Max(_ids.Length * 2, Length + needed + 256)];
        Array.Copy(_ids, 0, bigger, 0, _gapStart);
        var tail = _ids.Length - _gapEnd;
        Array.Copy(_ids, _gapEnd, bigger, bigger.Length - tail, tail);
        _gapEnd = bigger.Length - tail;
        _ids = bigger;
    }
}
