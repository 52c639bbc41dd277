namespace Plumbline.Core.Text;

/// <summary>
/// One edit: at <see cref="Position"/>, delete <see cref="Delete"/> code points, then insert <see cref="Insert"/>.
/// Positions and lengths count Unicode code points, never UTF-16 units.
/// </summary>
public readonly record struct Patch
{
    public Patch(int position, int delete, string insert)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfNegative(delete);
        ArgumentNullException.ThrowIfNull(insert);
        Position = position;
        Delete = delete;
        Insert = insert;
        InsertLength = CodePoints.Count(insert);
    }

    public int Position { get; }

    public int Delete { get; }

    public string Insert { get; }

    /// <summary>The length of <see cref="Insert"/> in code points.</summary>
    public int InsertLength { get; }

    public override string ToString() => $"[{Position}, {Delete}, \"{Insert}\"]";
}
