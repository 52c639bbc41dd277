using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Plumbline.Core;

namespace Plumbline.Storage.Documents;

/// <summary>
/// Where a reader of the event log stands, passed to clients as an opaque string (base64url) so the backend's
/// ordering key is not part of any contract. Each carries the store's log epoch (see <see cref="LogState"/>):
/// a cursor from another store, or from this one before a restore, is refused rather than silently skipping
/// events. Two forms:
/// <list type="bullet">
/// <item><c>s.EPOCH.AFTER</c> (SQLite): every event with seq at or below AFTER was delivered.</item>
/// <item><c>p.EPOCH.FROM.UPTO.AFTER</c> (PostgreSQL): everything committed as FROM saw it was delivered (<c>-</c>:
/// nothing), and of what committed between FROM and UPTO (<c>-</c>: the reading session's snapshot), the seqs up
/// to AFTER. FROM and UPTO are snapshots in the text form <c>xmin:xmax:xip,…</c>.</item>
/// </list>
/// </summary>
internal sealed partial record LogCursor(long Epoch, bool Snapshots, string? From, string? Upto, long After)
{
    private const string None = "-";

    public static LogCursor Start(long epoch, bool snapshots) => new(epoch, snapshots, null, null, 0);

    public string Encode()
    {
        var text = Snapshots
            ? string.Create(CultureInfo.InvariantCulture, $"p.{Epoch}.{From ?? None}.{Upto ?? None}.{After}")
            : string.Create(CultureInfo.InvariantCulture, $"s.{Epoch}.{After}");
        return Convert.ToBase64String(Encoding.ASCII.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>
    /// The cursor a client passed back (null or empty: the start of the log) to a store whose log epoch is
    /// <paramref name="epoch"/>; a bad one, or one of another epoch, is bad input.
    /// </summary>
    public static LogCursor Parse(string? cursor, long epoch, bool snapshots)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return Start(epoch, snapshots);
        }

        string text;
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            text = Encoding.ASCII.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=')));
        }
        catch (FormatException)
        {
            throw Bad();
        }

        var parts = text.Split('.');
        var parsed = parts switch
        {
            ["s", var e, var after] when Number(e) is { } issued && Number(after) is { } seq => new LogCursor(issued, false, null, null, seq),
            ["p", var e, var from, var upto, var after] when Number(e) is { } issued && Snapshot(from) && Snapshot(upto) && Number(after) is { } seq =>
                new LogCursor(issued, true, from == None ? null : from, upto == None ? null : upto, seq),
            _ => throw Bad(),
        };

        if (parsed.Epoch != epoch)
        {
            throw PlumblineException.BadInput("cursor: it was issued by another store, or by this one before it was restored from a backup; start again without a cursor");
        }

        if (parsed.Snapshots != snapshots)
        {
            throw PlumblineException.BadInput("cursor: it was issued by a store of another kind; start again without a cursor");
        }

        return parsed;
    }

    private static PlumblineException Bad() => PlumblineException.BadInput("cursor: not a cursor this server issued (pass back the cursor of the previous page unchanged)");

    private static long? Number(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : null;

    private static bool Snapshot(string text)
    {
        if (text == None)
        {
            return true;
        }

        var match = SnapshotText().Match(text);
        if (!match.Success ||
            !ulong.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var xmin) ||
            !ulong.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var xmax) ||
            xmin == 0 || xmin > xmax)
        {
            return false;
        }

        // As PostgreSQL's pg_snapshot input wants them: in-progress ids ascending, within [xmin, xmax).
        var last = xmin;
        foreach (var part in match.Groups[3].Value.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var xip) || xip < last || xip >= xmax)
            {
                return false;
            }

            last = xip;
        }

        return true;
    }

    [GeneratedRegex(@"^([0-9]{1,19}):([0-9]{1,19}):([0-9]{1,19}(,[0-9]{1,19})*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SnapshotText();
}
