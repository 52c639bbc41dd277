using System.Globalization;
using System.Text;

namespace Plumbline.Core.Capture.Git;

/// <summary>
/// Parses the output of <c>git log --raw -z -M --no-abbrev --diff-merges=first-parent</c> with
/// <see cref="Format"/>: a header per commit (fields split by U+0002, introduced by U+0001), then its
/// raw diff entries <c>:oldmode newmode oldsha newsha status\0path\0[newpath\0]</c>.
/// </summary>
public static class GitLogParser
{
    /// <summary>The <c>--format</c> this parser reads.</summary>
    public const string Format = "%x01%H%x02%P%x02%ae%x02%an%x02%at%x02%B";

    /// <summary>The arguments that produce what <see cref="Parse"/> reads, oldest commit first.</summary>
    public static IReadOnlyList<string> LogArguments(string revision) =>
        ["log", "--reverse", "--topo-order", "--diff-merges=first-parent", "--raw", "-z", "-M", "--no-abbrev", "--no-color", "-l0", $"--format={Format}", revision, "--"];

    public static List<GitCommit> Parse(byte[] output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var tokens = Encoding.UTF8.GetString(output).Split('\0');
        var commits = new List<GitCommit>();
        GitCommit? current = null;
        List<GitChange>? changes = null;
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i].TrimStart('\n');
            if (token.Length == 0)
            {
                continue;
            }

            if (token[0] == '\u0001')
            {
                if (current is not null)
                {
                    commits.Add(current with { Changes = changes! });
                }

                changes = [];
                current = Header(token[1..]);
            }
            else if (token[0] == ':' && current is not null)
            {
                var meta = token[1..].Split(' ');
                if (meta.Length < 5)
                {
                    throw new FormatException($"git log: malformed raw diff line ':{token[1..]}'");
                }

                var status = meta[4][0];
                if (status is 'R' or 'C')
                {
                    changes!.Add(new GitChange(status, tokens[i + 2], tokens[i + 1], meta[2], meta[3], meta[0], meta[1]));
                    i += 2;
                }
                else
                {
                    changes!.Add(new GitChange(status, tokens[i + 1], null, meta[2], meta[3], meta[0], meta[1]));
                    i += 1;
                }
            }
            else
            {
                throw new FormatException($"git log: unexpected output '{Truncate(token)}'");
            }
        }

        if (current is not null)
        {
            commits.Add(current with { Changes = changes! });
        }

        return commits;
    }

    private static GitCommit Header(string text)
    {
        var fields = text.Split('\u0002', 6);
        if (fields.Length != 6)
        {
            throw new FormatException($"git log: malformed commit header '{Truncate(text)}'");
        }

        var parents = fields[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var seconds = long.Parse(fields[4], NumberStyles.Integer, CultureInfo.InvariantCulture);
        return new GitCommit(fields[0], parents, fields[2], fields[3], seconds * 1000, fields[5].TrimEnd('\n'), []);
    }

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
