using System.CommandLine;
using System.Text;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Core.Privacy;

namespace Plumbline.Cli.Commands;

/// <summary>
/// <c>plumb redact --check FILE [--json] [--term WORD ...] [--disable RULE|KIND ...]</c>: what would be redacted in a
/// file, as code point positions (nothing is changed, nothing is stored; exit 0 with or without findings).
/// </summary>
internal static class RedactCheckCommand
{
    /// <summary>The contributor's own terms (shared by every <c>redact</c> mode).</summary>
    public static readonly Option<string[]> Terms = new("--term")
    {
        Description = "One of your own terms to find as [TERM] (case-insensitive, whole word); repeat for more",
        HelpName = "WORD",
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>Rules (by name) or kinds (EMAIL, PHONE, CARD, IP, SECRET, TERM) to switch off.</summary>
    public static readonly Option<string[]> Disable = new("--disable")
    {
        Description = "Switch off a rule (by name, see the README) or a kind (EMAIL, PHONE, CARD, IP, SECRET, TERM); repeat for more",
        HelpName = "RULE|KIND",
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>The <c>--check FILE</c> option, which runs the check when given.</summary>
    public static Option<FileInfo> Create()
    {
        var check = new Option<FileInfo>("--check")
        {
            Description = "Show what would be redacted in FILE: secrets, e-mail addresses, phone, card and IP numbers, your terms",
            HelpName = "FILE",
            Required = true,
        };
        return check.WithAction(async (context, ct) =>
        {
            var file = context.Get(check);
            if (!file.Exists)
            {
                throw PlumblineException.BadInput($"--check: {file.FullName}: no such file");
            }

            var detector = CreateDetector(context.Get(Terms) ?? [], context.Get(Disable) ?? []);
            var text = await File.ReadAllTextAsync(file.FullName, ct);
            var findings = detector.Detect(text);
            if (context.Json)
            {
                context.WriteJson(new { findings = findings.Select(f => new { kind = f.Kind.Name(), start = f.Start, end = f.End, rule = f.Rule }) });
                return ExitCodes.Success;
            }

            await Console.Out.WriteAsync(Describe(file.Name, text, findings));
            return ExitCodes.Success;
        });
    }

    private static SecretDetector CreateDetector(string[] terms, string[] disabled)
    {
        var kinds = disabled.Select(d => Enum.GetValues<FindingKind>().Where(k => k.Name().Equals(d, StringComparison.OrdinalIgnoreCase)).ToArray()).ToArray();
        var options = new SecretDetectorOptions
        {
            Terms = terms,
            DisabledRules = [.. disabled.Where((_, i) => kinds[i].Length == 0)],
            DisabledKinds = [.. kinds.SelectMany(k => k)],
        };
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw PlumblineException.BadInput(string.Join("; ", errors.Select(e => e.Replace("DisabledRules", "--disable", StringComparison.Ordinal).Replace("Terms", "--term", StringComparison.Ordinal))));
        }

        return new SecretDetector(options);
    }

    /// <summary>One line per finding with its line and column (1-based, code points); never the finding's text.</summary>
    internal static string Describe(string name, string text, IReadOnlyList<Finding> findings)
    {
        var output = new StringBuilder();
        output.Append(name).Append(": ").Append(findings.Count switch
        {
            0 => "nothing to redact",
            1 => "1 finding",
            var n => $"{n} findings",
        }).Append('\n');
        int line = 1, column = 1, codePoint = 0, index = 0;
        foreach (var finding in findings)
        {
            while (codePoint < finding.Start && index < text.Length)
            {
                var isPair = char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]);
                (line, column) = text[index] == '\n' ? (line + 1, 1) : (line, column + 1);
                index += isPair ? 2 : 1;
                codePoint++;
            }

            output.Append($"  line {line}, column {column}: {finding.Placeholder} {finding.Rule}, {finding.Length} characters at [{finding.Start}, {finding.End})\n");
        }

        return output.ToString();
    }
}
