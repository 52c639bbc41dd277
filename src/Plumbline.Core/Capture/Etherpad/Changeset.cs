using System.Text;
using Plumbline.Core.Text;

namespace Plumbline.Core.Capture.Etherpad;

/// <summary>
/// One changeset operation: keep (<c>=</c>), delete (<c>-</c>) or insert (<c>+</c>) <see cref="Chars"/> UTF-16
/// units holding <see cref="Lines"/> newlines. <see cref="Source"/> is the operation as written, for messages.
/// </summary>
internal readonly record struct ChangesetOp(char Opcode, int Chars, int Lines, string Attributes, string Source, int Offset)
{
    public string Describe() => $"'{Source}' at offset {Offset}";
}

/// <summary>
/// An Etherpad easysync changeset: <c>Z:</c>, the old length, <c>&gt;</c> or <c>&lt;</c> and the length change,
/// the operations (<c>*N</c> attribute references, an optional <c>|L</c> newline count, then <c>=</c>, <c>-</c> or
/// <c>+</c> and a count), <c>$</c> and the char bank. Numbers are base 36; lengths count UTF-16 units, as Etherpad does.
/// Text after the last operation is kept. <see cref="Parse"/> checks everything that does not need the text and
/// <see cref="Apply"/> the rest. Problems are <see cref="FormatException"/>s saying what is wrong (offsets are
/// 0-based UTF-16 offsets into the changeset), for the caller to place in the file.
/// </summary>
internal sealed class Changeset
{
    private readonly ChangesetOp[] _ops;

    private Changeset(int oldLength, int newLength, ChangesetOp[] ops, string charBank)
    {
        OldLength = oldLength;
        NewLength = newLength;
        _ops = ops;
        CharBank = charBank;
    }

    /// <summary>The length of the text the changeset applies to, in UTF-16 units.</summary>
    public int OldLength { get; }

    /// <summary>The length of the text it produces, in UTF-16 units.</summary>
    public int NewLength { get; }

    public IReadOnlyList<ChangesetOp> Ops => _ops;

    /// <summary>The characters the insert operations take, in order.</summary>
    public string CharBank { get; }

    public static Changeset Parse(string changeset)
    {
        ArgumentNullException.ThrowIfNull(changeset);
        if (!changeset.StartsWith("Z:", StringComparison.Ordinal))
        {
            throw Bad("does not start with \"Z:\"");
        }

        var at = 2;
        var oldLength = ReadNumber(changeset, ref at, "the Z: old length");
        if (at >= changeset.Length || (changeset[at] != '>' && changeset[at] != '<'))
        {
            throw Bad($"expected '>' or '<' after the Z: old length at offset {at}");
        }

        var grows = changeset[at++] == '>';
        var change = ReadNumber(changeset, ref at, "the Z: length change");
        var newLength = grows ? (long)oldLength + change : (long)oldLength - change;
        if (newLength is < 0 or > int.MaxValue)
        {
            throw Bad($"Z: old length {oldLength} {(grows ? '>' : '<')} change {change} gives the impossible new length {newLength}");
        }

        var bankStart = changeset.IndexOf('$', at);
        var opsEnd = bankStart < 0 ? changeset.Length : bankStart;
        var bank = bankStart < 0 ? "" : changeset[(bankStart + 1)..];
        var ops = new List<ChangesetOp>();
        long oldPos = 0;
        long produced = 0;
        var bankPos = 0;
        while (at < opsEnd)
        {
            var op = ReadOp(changeset, ref at, opsEnd);
            switch (op.Opcode)
            {
                case '=' or '-':
                    oldPos += op.Chars;
                    if (oldPos > oldLength)
                    {
                        throw Bad($"{op.Describe()} runs past the end of the text (old length {oldLength})");
                    }

                    produced += op.Opcode == '=' ? op.Chars : 0;
                    break;
                default:
                    if (bank.Length - bankPos < op.Chars)
                    {
                        throw Bad($"char bank too short: {op.Describe()} needs {op.Chars} characters, {bank.Length - bankPos} are left");
                    }

                    var newlines = bank.AsSpan(bankPos, op.Chars).Count('\n');
                    if (newlines != op.Lines)
                    {
                        throw Bad($"{op.Describe()} inserts {Newlines(newlines)}, but its |L says {op.Lines}");
                    }

                    bankPos += op.Chars;
                    produced += op.Chars;
                    break;
            }

            ops.Add(op);
        }

        produced += oldLength - oldPos;
        if (produced != newLength)
        {
            throw Bad($"Z: new length {newLength} does not match the length the operations produce ({produced})");
        }

        if (bankPos != bank.Length)
        {
            var unused = bank.Length - bankPos;
            throw Bad($"char bank has {unused} {(unused == 1 ? "character" : "characters")} more than the inserts take");
        }

        return new Changeset(oldLength, (int)newLength, [.. ops], bank);
    }

    /// <summary>
    /// Applies the changeset to <paramref name="text"/> and returns the new text. When <paramref name="patches"/>
    /// is given, the change is appended to it in code points, one patch per run of deletes and inserts, each
    /// patch's position referring to the text after the patches before it. A patch whose edges would split a
    /// surrogate pair is widened to take the whole pair along (deleted and inserted again).
    /// </summary>
    public string Apply(string text, List<Patch>? patches = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length != OldLength)
        {
            throw Bad($"Z: old length {OldLength} does not match the text length {text.Length}");
        }

        var output = new StringBuilder(NewLength);
        var codePoints = 0;
        var oldPos = 0;
        var bankPos = 0;
        var i = 0;
        while (i < _ops.Length)
        {
            if (_ops[i].Opcode == '=')
            {
                CheckLines(text, oldPos, _ops[i]);
                Append(output, text.AsSpan(oldPos, _ops[i].Chars), ref codePoints);
                oldPos += _ops[i].Chars;
                i++;
                continue;
            }

            var deleteStart = oldPos;
            var insertStart = bankPos;
            for (; i < _ops.Length && _ops[i].Opcode != '='; i++)
            {
                if (_ops[i].Opcode == '-')
                {
                    CheckLines(text, oldPos, _ops[i]);
                    oldPos += _ops[i].Chars;
                }
                else
                {
                    bankPos += _ops[i].Chars;
                }
            }

            var insert = CharBank.AsSpan(insertStart, bankPos - insertStart);
            if (patches is not null && ToPatch(output, codePoints, text, deleteStart, oldPos, insert) is { } patch)
            {
                patches.Add(patch);
            }

            Append(output, insert, ref codePoints);
        }

        output.Append(text, oldPos, text.Length - oldPos);
        return output.ToString();
    }

    /// <summary>The code point patch replacing <c>text[start..end]</c> with <paramref name="insert"/>, or none for a no-op.</summary>
    private static Patch? ToPatch(StringBuilder output, int codePoints, string text, int start, int end, ReadOnlySpan<char> insert)
    {
        if (start == end && insert.IsEmpty)
        {
            return null;
        }

        // The current text is output + text[start..]; a pair may straddle either edge.
        var lead = output.Length > 0 && char.IsHighSurrogate(output[^1]) ? output[^1].ToString() : "";
        var trail = end < text.Length && char.IsLowSurrogate(text[end]) ? text[end].ToString() : "";
        var deleted = string.Concat(lead, text.AsSpan(start, end - start), trail);
        var inserted = string.Concat(lead, insert, trail);
        return new Patch(codePoints - lead.Length, CodePoints.Count(deleted), inserted);
    }

    /// <summary>Appends <paramref name="part"/>, keeping <paramref name="codePoints"/> equal to the code points in <paramref name="output"/>.</summary>
    private static void Append(StringBuilder output, ReadOnlySpan<char> part, ref int codePoints)
    {
        if (part.IsEmpty)
        {
            return;
        }

        var joins = output.Length > 0 && char.IsHighSurrogate(output[^1]) && char.IsLowSurrogate(part[0]);
        codePoints += CodePoints.Count(part) - (joins ? 1 : 0);
        output.Append(part);
    }

    private static void CheckLines(string text, int position, in ChangesetOp op)
    {
        var newlines = text.AsSpan(position, op.Chars).Count('\n');
        if (newlines != op.Lines)
        {
            var verb = op.Opcode == '=' ? "keeps" : "deletes";
            throw Bad($"{op.Describe()} {verb} {Newlines(newlines)}, but its |L says {op.Lines}");
        }
    }

    private static ChangesetOp ReadOp(string changeset, ref int at, int end)
    {
        var start = at;
        while (at < end && changeset[at] == '*')
        {
            at++;
            ReadNumber(changeset, ref at, "an attribute number", end);
        }

        var attributes = changeset[start..at];
        var lines = 0;
        if (at < end && changeset[at] == '|')
        {
            at++;
            lines = ReadNumber(changeset, ref at, "a newline count", end);
        }

        if (at >= end)
        {
            throw Bad($"operation at offset {start} ends without an opcode");
        }

        var opcode = changeset[at];
        if (opcode is not ('=' or '-' or '+'))
        {
            throw Bad($"unknown opcode '{opcode}' at offset {at}");
        }

        at++;
        var chars = ReadNumber(changeset, ref at, $"the count of '{opcode}'", end);
        if (lines > chars)
        {
            throw Bad($"'{changeset[start..at]}' at offset {start} claims {lines} newlines in {chars} characters");
        }

        return new ChangesetOp(opcode, chars, lines, attributes, changeset[start..at], start);
    }

    /// <summary>Reads a base-36 number (digits and lower-case letters) at <paramref name="at"/>.</summary>
    private static int ReadNumber(string changeset, ref int at, string what, int end = -1)
    {
        end = end < 0 ? changeset.Length : end;
        var start = at;
        long value = 0;
        for (; at < end; at++)
        {
            var c = changeset[at];
            var digit = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'z' ? c - 'a' + 10 : -1;
            if (digit < 0)
            {
                break;
            }

            value = (value * 36) + digit;
            if (value > int.MaxValue)
            {
                throw Bad($"{what} at offset {start} is too large");
            }
        }

        if (at == start)
        {
            throw Bad($"expected {what} (base 36) at offset {start}");
        }

        return (int)value;
    }

    private static string Newlines(int count) => count == 1 ? "1 newline" : $"{count} newlines";

    private static FormatException Bad(string message) => new(message);
}
