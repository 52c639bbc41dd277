using System.Text;
using System.Text.RegularExpressions;

namespace Plumbline.Core.Capture.Watch;

/// <summary>
/// Which files a folder recorder leaves alone. The defaults always apply (fail closed); user patterns
/// add to them. Patterns are globs over paths relative to the watched folder, with <c>/</c> separators:
/// <c>*</c> matches within one path segment, <c>**</c> across segments, <c>?</c> one character; a pattern
/// without <c>/</c> matches a file or folder name at any depth; a trailing <c>/</c> matches a folder and
/// everything below it.
/// </summary>
public sealed class PathFilter
{
    /// <summary>Version control, secrets, key material, and editors' temporary and backup files.</summary>
    public static readonly IReadOnlyList<string> Defaults =
    [
        ".git/", ".hg/", ".svn/", ".plumbline/",
        ".env*", "*.pem", "*.key", "*.p12", "*.pfx", "id_rsa*", "id_ed25519*", "id_ecdsa*",
        "*.swp", "*.swx", "*.swo", "*~", ".#*", "#*#", "4913", "*.tmp", ".DS_Store",
        "node_modules/", "__pycache__/",
    ];

    private readonly List<(string Pattern, Regex Regex, bool Folder)> _rules = [];

    public PathFilter(IEnumerable<string>? extra = null)
    {
        foreach (var pattern in Defaults.Concat(extra ?? []))
        {
            Add(pattern);
        }
    }

    public IReadOnlyList<string> Patterns => _rules.Select(r => r.Pattern).ToList();

    /// <summary>The pattern that excludes <paramref name="relativePath"/>, or null when it is recorded.</summary>
    public string? ExcludedBy(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var path = relativePath.Replace('\\', '/').TrimStart('/');
        var segments = path.Split('/');
        foreach (var (pattern, regex, folder) in _rules)
        {
            // A folder rule matches any leading run of segments that is a folder (not the file itself).
            var candidates = folder ? Prefixes(segments, segments.Length - 1) : Prefixes(segments, segments.Length);
            if (candidates.Any(regex.IsMatch))
            {
                return pattern;
            }
        }

        return null;
    }

    private static IEnumerable<string> Prefixes(string[] segments, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            yield return string.Join('/', segments.Take(i));
        }
    }

    private void Add(string pattern)
    {
        var trimmed = pattern.Trim();
        if (trimmed.Length == 0)
        {
            throw PlumblineException.BadInput("--exclude: an empty pattern");
        }

        var folder = trimmed.EndsWith('/');
        var body = trimmed.TrimEnd('/');
        var anchored = body.Contains('/', StringComparison.Ordinal);
        var regex = new StringBuilder(anchored ? "^" : "^(?:.*/)?");
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '*' && i + 1 < body.Length && body[i + 1] == '*')
            {
                regex.Append(".*");
                i++;
                if (i + 1 < body.Length && body[i + 1] == '/')
                {
                    i++;
                    regex.Append("/?");
                }
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        regex.Append('$');
        _rules.Add((trimmed, new Regex(regex.ToString(), RegexOptions.CultureInvariant), folder));
    }
}
