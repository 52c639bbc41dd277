using System.Text.RegularExpressions;

namespace Plumbline.Core.Privacy;

/// <summary>
/// Private key blocks (PEM, OpenSSH, PGP): from the BEGIN line through the END line, or to the end of the text while
/// the END line has not been typed yet.
/// </summary>
internal static partial class PrivateKeyRule
{
    public const string Marker = "-----BEGIN ";

    /// <summary>How far before a window the BEGIN line of a block still being typed is looked for.</summary>
    public const int LookBehind = 64 * 1024;

    public static void Run(Scan scan)
    {
        var text = scan.Text;
        var at = scan.Start;
        while (at < scan.End)
        {
            var hit = text.AsSpan(at, scan.End - at).IndexOf(Marker, StringComparison.Ordinal);
            if (hit < 0)
            {
                return;
            }

            var begin = at + hit;
            at = begin + Marker.Length;
            if (!Header().Match(text, begin, LineEnd(text, begin) - begin).Success)
            {
                continue;
            }

            var end = BlockEnd(text, at);
            scan.Add(FindingKind.Secret, begin, end, DetectorRules.PrivateKey);
            at = Math.Max(at, end);
        }
    }

    /// <summary>
    /// The start of a private key block that is open at <paramref name="position"/> (its BEGIN line is before it and
    /// its END line, if any, is not), or -1.
    /// </summary>
    public static int OpenBlockStart(string text, int position)
    {
        var from = Math.Max(0, position - LookBehind);
        var before = text.AsSpan(from, position - from);
        var hit = before.LastIndexOf(Marker, StringComparison.Ordinal);
        while (hit >= 0)
        {
            var begin = from + hit;
            if (Header().Match(text, begin, LineEnd(text, begin) - begin).Success)
            {
                return BlockEnd(text, begin + Marker.Length) > position ? begin : -1;
            }

            hit = before[..hit].LastIndexOf(Marker, StringComparison.Ordinal);
        }

        return -1;
    }

    /// <summary>The end of the block whose header ends before <paramref name="from"/>: after its END line, or the end of the text.</summary>
    private static int BlockEnd(string text, int from)
    {
        var at = from;
        while (true)
        {
            var hit = text.AsSpan(at).IndexOf("-----", StringComparison.Ordinal);
            if (hit < 0)
            {
                return text.Length;
            }

            var candidate = at + hit;
            var line = LineEnd(text, candidate) - candidate;
            if (text.AsSpan(candidate).StartsWith(Marker, StringComparison.Ordinal) && Header().Match(text, candidate, line).Success)
            {
                return text.Length; // another key begins before this one ends
            }

            if (Footer().Match(text, candidate, line) is { Success: true } footer)
            {
                return footer.Index + footer.Length;
            }

            at = candidate + 5;
        }
    }

    private static int LineEnd(string text, int from)
    {
        var newline = text.AsSpan(from).IndexOfAny('\n', '\r');
        return newline < 0 ? text.Length : from + newline;
    }

    [GeneratedRegex(@"^-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?", RegexOptions.CultureInvariant)]
    private static partial Regex Header();

    [GeneratedRegex(@"^-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----", RegexOptions.CultureInvariant)]
    private static partial Regex Footer();
}
