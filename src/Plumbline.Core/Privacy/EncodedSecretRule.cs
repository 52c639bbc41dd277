using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Plumbline.Core.Privacy;

/// <summary>
/// Base64 (or base64url) blobs of 40 or more characters whose decoded text holds a secret — a Kubernetes Secret
/// pasted as base64, a docker config inside a CI variable: the whole blob is a secret. Decoding recurses to depth 2.
/// </summary>
internal static partial class EncodedSecretRule
{
    public const int MinLength = 40;

    private const int MaxLength = 64 * 1024;

    public static void Run(Scan scan, Action<Scan> runRules)
    {
        if (scan.Depth >= Scan.MaxDepth)
        {
            return;
        }

        for (var m = Blob().Match(scan.Text, scan.Start, scan.Length); m.Success; m = m.NextMatch())
        {
            if (m.Length <= MaxLength && Decode(m.ValueSpan) is { } decoded)
            {
                var inner = new Scan(decoded, 0, decoded.Length, scan.Rules, scan.Depth + 1);
                runRules(inner);
                if (inner.FoundSecret())
                {
                    scan.Add(FindingKind.Secret, m.Index, m.Index + m.Length, DetectorRules.EncodedSecret);
                }
            }
        }
    }

    /// <summary>The decoded text, or null when the blob is not base64 of mostly printable UTF-8 text.</summary>
    internal static string? Decode(ReadOnlySpan<char> blob)
    {
        var standard = blob.ContainsAny('+', '/');
        var urlSafe = blob.ContainsAny('-', '_');
        if (standard && urlSafe)
        {
            return null;
        }

        var body = blob.TrimEnd('=');
        if (body.Length % 4 == 1)
        {
            return null;
        }

        var padded = new char[(body.Length + 3) / 4 * 4];
        body.CopyTo(padded);
        padded.AsSpan(body.Length).Fill('=');
        if (urlSafe)
        {
            padded.AsSpan().Replace('-', '+');
            padded.AsSpan().Replace('_', '/');
        }

        var bytes = ArrayPool<byte>.Shared.Rent(padded.Length);
        try
        {
            if (!Convert.TryFromBase64Chars(padded, bytes, out var written) || !Utf8.IsValid(bytes.AsSpan(0, written)))
            {
                return null;
            }

            var text = Encoding.UTF8.GetString(bytes, 0, written);
            var printable = text.Count(c => !char.IsControl(c) || c is '\n' or '\r' or '\t');
            return printable >= text.Length * 0.95 ? text : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{40,}={0,2}(?![A-Za-z0-9+/=_-])", RegexOptions.CultureInvariant)]
    private static partial Regex Blob();
}
