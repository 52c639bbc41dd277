using System.Globalization;
using Plumbline.Core;

namespace Plumbline.Storage.Audit;

/// <summary>
/// The head of the audit log: how many entries it has and the mac of the last one (64 zeros when empty).
/// Written <c>COUNT:HASH</c>, as export manifests and <c>plumb audit verify --expect-head</c> carry it.
/// </summary>
public readonly record struct AuditHead(long Count, string Hash)
{
    public static readonly string EmptyHash = new('0', 64);

    public static AuditHead Empty => new(0, EmptyHash);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Count}:{Hash}");

    /// <summary>Parses <c>COUNT:HASH</c>; <paramref name="where"/> names the option or file in the error.</summary>
    public static AuditHead Parse(string text, string where)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split(':');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || parts[1].Length != 64
            || !parts[1].All(char.IsAsciiHexDigitLower))
        {
            throw PlumblineException.BadInput($"{where}: '{text.Trim()}' is not an audit head COUNT:HASH (a count and 64 lower-case hex digits)");
        }

        return new AuditHead(count, parts[1]);
    }
}
