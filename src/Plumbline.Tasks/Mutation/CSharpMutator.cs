using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Plumbline.Core.Supervision.Tasks;

namespace Plumbline.Tasks.Mutation;

/// <summary>
/// A place in a C# syntax tree where one mutation operator applies, and the text edit that plants it.
/// <see cref="Edit"/> replaces a span of the original text; <see cref="WholeLines"/> marks an edit that
/// removes whole lines (a removed check).
/// </summary>
public sealed record MutationSite(BugKind Kind, TextChange Edit, string Description, bool WholeLines = false);

/// <summary>
/// Finds mutation sites in C# source through Roslyn syntax trees (never text search): relational
/// operators (flipped and off-by-one), guards (removed), conditions of <c>if</c>/<c>while</c>/<c>?:</c>
/// (inverted) and methods whose parameters and result are of simple types (a backdoor). See README
/// "Verifiable tasks" for the exact rules.
/// </summary>
public static class CSharpMutator
{
    /// <summary>How sources are parsed: the newest language version, so current code parses.</summary>
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Preview);

    private static readonly HashSet<SyntaxKind> BackdoorParameterTypes = [SyntaxKind.IntKeyword, SyntaxKind.LongKeyword, SyntaxKind.StringKeyword];

    private static readonly Dictionary<SyntaxKind, string> WrongResults = new()
    {
        [SyntaxKind.BoolKeyword] = "true",
        [SyntaxKind.IntKeyword] = "0",
        [SyntaxKind.LongKeyword] = "0",
        [SyntaxKind.DoubleKeyword] = "0.0",
        [SyntaxKind.StringKeyword] = "\"\"",
    };

    /// <summary>Parses <paramref name="text"/> with <see cref="ParseOptions"/>.</summary>
    public static SyntaxTree Parse(string text, string path = "") => CSharpSyntaxTree.ParseText(SourceText.From(text), ParseOptions, path);

    /// <summary>
    /// Every site in <paramref name="tree"/>, in source order within each kind. <paramref name="seed"/> picks
    /// the magic literals of backdoors (so the same seed plants the same backdoors).
    /// </summary>
    public static IReadOnlyList<MutationSite> FindSites(SyntaxTree tree, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var root = tree.GetRoot();
        var text = tree.GetText();
        var sites = new List<MutationSite>();
        foreach (var node in root.DescendantNodes())
        {
            switch (node)
            {
                case BinaryExpressionSyntax binary when Relational(binary.OperatorToken.Kind()) is { } op:
                    AddRelational(sites, binary.OperatorToken, op);
                    break;
                case RelationalPatternSyntax pattern when Relational(pattern.OperatorToken.Kind()) is { } op:
                    AddRelational(sites, pattern.OperatorToken, op);
                    break;
                case IfStatementSyntax ifStatement:
                    AddInverted(sites, ifStatement.Condition, "if");
                    if (IsGuard(ifStatement) && OwnsWholeLines(text, ifStatement.Span))
                    {
                        sites.Add(new MutationSite(BugKind.RemovedCheck, RemoveLines(text, ifStatement.Span), $"removed the guard '{FirstLine(ifStatement)}'", WholeLines: true));
                    }

                    break;
                case WhileStatementSyntax whileStatement:
                    AddInverted(sites, whileStatement.Condition, "while");
                    break;
                case ConditionalExpressionSyntax conditional:
                    AddInverted(sites, conditional.Condition, "?:");
                    break;
                case ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call, Parent: BlockSyntax } statement
                    when CalledName(call) is { } name && name.StartsWith("ThrowIf", StringComparison.Ordinal) && OwnsWholeLines(text, statement.Span):
                    sites.Add(new MutationSite(BugKind.RemovedCheck, RemoveLines(text, statement.Span), $"removed the check '{FirstLine(statement)}'", WholeLines: true));
                    break;
                case MethodDeclarationSyntax method when Backdoor(method, text, seed) is { } backdoor:
                    sites.Add(backdoor);
                    break;
            }
        }

        return sites;
    }

    /// <summary>
    /// Applies <paramref name="site"/> to <paramref name="original"/>, widened to whole lines, and describes
    /// the result as a task (<see cref="BugTask.Original"/>/<see cref="BugTask.Mutated"/> are those lines).
    /// </summary>
    public static BugTask Apply(string original, string file, MutationSite site, string id) => MutantText.Apply(original, file, site, id, "csharp", "roslyn");

    private static string? Relational(SyntaxKind kind) => kind switch
    {
        SyntaxKind.LessThanToken => "<",
        SyntaxKind.LessThanEqualsToken => "<=",
        SyntaxKind.GreaterThanToken => ">",
        SyntaxKind.GreaterThanEqualsToken => ">=",
        _ => null,
    };

    private static void AddRelational(List<MutationSite> sites, SyntaxToken token, string op)
    {
        var flipped = op switch { "<" => ">", "<=" => ">=", ">" => "<", _ => "<=" };
        var shifted = op switch { "<" => "<=", "<=" => "<", ">" => ">=", _ => ">" };
        sites.Add(new MutationSite(BugKind.FlippedComparison, new TextChange(token.Span, flipped), $"'{op}' → '{flipped}'"));
        sites.Add(new MutationSite(BugKind.OffByOne, new TextChange(token.Span, shifted), $"'{op}' → '{shifted}'"));
    }

    private static void AddInverted(List<MutationSite> sites, ExpressionSyntax condition, string where)
    {
        switch (condition)
        {
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression } not:
                sites.Add(new MutationSite(BugKind.InvertedCondition, new TextChange(not.Span, not.Operand.ToString()), $"{where} condition '!' dropped"));
                break;
            case BinaryExpressionSyntax binary when binary.OperatorToken.IsKind(SyntaxKind.EqualsEqualsToken) || binary.OperatorToken.IsKind(SyntaxKind.ExclamationEqualsToken):
                var swapped = binary.OperatorToken.IsKind(SyntaxKind.EqualsEqualsToken) ? "!=" : "==";
                sites.Add(new MutationSite(BugKind.InvertedCondition, new TextChange(binary.OperatorToken.Span, swapped), $"{where} condition '{binary.OperatorToken.Text}' → '{swapped}'"));
                break;
            default:
                sites.Add(new MutationSite(BugKind.InvertedCondition, new TextChange(condition.Span, $"!({condition})"), $"{where} condition negated"));
                break;
        }
    }

    /// <summary><c>if (...) throw/return ...;</c> without else, directly in a block.</summary>
    private static bool IsGuard(IfStatementSyntax statement)
    {
        if (statement.Else is not null || statement.Parent is not BlockSyntax)
        {
            return false;
        }

        var body = statement.Statement is BlockSyntax { Statements.Count: 1 } block ? block.Statements[0] : statement.Statement;
        return body is ThrowStatementSyntax or ReturnStatementSyntax;
    }

    private static string? CalledName(InvocationExpressionSyntax call) => call.Expression switch
    {
        MemberAccessExpressionSyntax member => member.Name.Identifier.Text,
        IdentifierNameSyntax identifier => identifier.Identifier.Text,
        _ => null,
    };

    /// <summary>True when nothing but white space shares the first and last line of <paramref name="span"/>.</summary>
    private static bool OwnsWholeLines(SourceText text, TextSpan span)
    {
        var first = text.Lines.GetLineFromPosition(span.Start);
        var last = text.Lines.GetLineFromPosition(span.End);
        return string.IsNullOrWhiteSpace(text.ToString(TextSpan.FromBounds(first.Start, span.Start)))
            && string.IsNullOrWhiteSpace(text.ToString(TextSpan.FromBounds(span.End, last.End)));
    }

    private static TextChange RemoveLines(SourceText text, TextSpan span)
    {
        var first = text.Lines.GetLineFromPosition(span.Start);
        var last = text.Lines.GetLineFromPosition(span.End);
        return new TextChange(TextSpan.FromBounds(first.Start, last.EndIncludingLineBreak), string.Empty);
    }

    private static string FirstLine(SyntaxNode node)
    {
        var s = node.ToString();
        var end = s.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? s : s[..end]).TrimEnd('\r', ' ');
    }

    private static MutationSite? Backdoor(MethodDeclarationSyntax method, SourceText text, int seed)
    {
        if (method.Modifiers.Any(SyntaxKind.AsyncKeyword) || method.TypeParameterList is not null
            || method.ReturnType is not PredefinedTypeSyntax { Keyword: var returnKeyword } || !WrongResults.TryGetValue(returnKeyword.Kind(), out var wrong)
            || method.DescendantNodes().OfType<YieldStatementSyntax>().Any())
        {
            return null;
        }

        var parameter = method.ParameterList.Parameters.FirstOrDefault(p =>
            p.Modifiers.Count == 0 && p.Type is PredefinedTypeSyntax { Keyword: var k } && BackdoorParameterTypes.Contains(k.Kind()));
        if (parameter is null)
        {
            return null;
        }

        var name = parameter.Identifier.Text;
        var literal = MagicLiteral(((PredefinedTypeSyntax)parameter.Type!).Keyword.Kind(), method, seed);
        var test = $"{(SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name)} == {literal}";
        var description = $"backdoor: {test} returns {wrong}";
        if (method.Body is { Statements.Count: > 0 } body)
        {
            var firstStatement = body.Statements[0];
            var line = text.Lines.GetLineFromPosition(firstStatement.SpanStart);
            var indent = text.ToString(TextSpan.FromBounds(line.Start, firstStatement.SpanStart));
            if (!string.IsNullOrWhiteSpace(indent))
            {
                return null;
            }

            var newline = line.EndIncludingLineBreak > line.End ? text.ToString(TextSpan.FromBounds(line.End, line.EndIncludingLineBreak)) : "\n";
            return new MutationSite(BugKind.Backdoor, new TextChange(new TextSpan(line.Start, 0), $"{indent}if ({test}) return {wrong};{newline}"), description);
        }

        if (method.ExpressionBody is { Expression: var expression } && expression is not ThrowExpressionSyntax)
        {
            return new MutationSite(BugKind.Backdoor, new TextChange(expression.Span, $"{test} ? {wrong} : ({expression})"), description);
        }

        return null;
    }

    /// <summary>A literal that looks like a special case (a number or a key), fixed by the seed and the method's place.</summary>
    private static string MagicLiteral(SyntaxKind type, MethodDeclarationSyntax method, int seed)
    {
        var number = MutantText.MagicNumber(seed, method.SpanStart);
        return type switch
        {
            SyntaxKind.StringKeyword => $"\"{Convert.ToHexStringLower(BitConverter.GetBytes(number))[..6]}-override\"",
            SyntaxKind.LongKeyword => $"{number}L",
            _ => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
