using Plumbline.Core.Text;

namespace Plumbline.Core.Datasets;

/// <summary>How a next-edit example is cut from the document.</summary>
public sealed record NextEditOptions
{
    /// <summary>The whole excerpt (context around the editable region, markers not counted) is at most this many code points (default 2048).</summary>
    public int MaxChars { get; init; } = 2048;

    /// <summary>Whole lines of context kept inside the editable region before and after the changed lines (default 1).</summary>
    public int EditableContextLines { get; init; } = 1;

    /// <summary>The editable region is at most this many code points (default 1024); a unit changing more is skipped and counted.</summary>
    public int MaxEditableChars { get; init; } = 1024;

    /// <summary>How many earlier edit units of the document are given as history (default 3).</summary>
    public int History { get; init; } = 3;

    public static NextEditOptions Default { get; } = new();

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxChars < 16)
        {
            errors.Add($"--max-chars must be 16 or more (was {MaxChars})");
        }

        if (MaxEditableChars < 1 || MaxEditableChars > MaxChars)
        {
            errors.Add($"--max-editable-chars must be in 1..--max-chars ({MaxChars}) (was {MaxEditableChars})");
        }

        if (EditableContextLines < 0)
        {
            errors.Add($"--context-lines must be 0 or more (was {EditableContextLines})");
        }

        if (History < 0)
        {
            errors.Add($"--history must be 0 or more (was {History})");
        }

        return errors;
    }
}

/// <summary>The parts of one next-edit example, before any format is applied.</summary>
public sealed record NextEditParts(
    string Path,
    IReadOnlyList<string> History,
    bool StartOfFile,
    string Prefix,
    string EditableBeforeCursor,
    string EditableAfterCursor,
    string Suffix,
    string Output)
{
    public const string EditableStart = "<|editable_region_start|>";
    public const string EditableEnd = "<|editable_region_end|>";
    public const string Cursor = "<|user_cursor_is_here|>";
    public const string FileStart = "<|start_of_file|>";

    /// <summary>What the unit changed, without the unchanged text around it: <c>-REMOVED␀+ADDED</c>.</summary>
    public string Change { get; init; } = "";

    /// <summary>The first revision of the oldest history unit (null without history).</summary>
    public int? HistoryFrom { get; init; }

    /// <summary>The edit history as Zeta writes it: <c>User edited "PATH":</c> and a fenced unified diff, per unit, oldest first.</summary>
    public string Events => string.Concat(History.Select(h => $"User edited \"{Path}\":\n```diff\n{h}```\n\n"));

    /// <summary>The excerpt with the editable region and cursor marked, fenced with the path.</summary>
    public string Input =>
        $"```{Path}\n{(StartOfFile ? FileStart + "\n" : "")}{Prefix}{EditableStart}\n{EditableBeforeCursor}{Cursor}{EditableAfterCursor}\n{EditableEnd}{Suffix}\n```";

    /// <summary>The editable region as it is after the edit, between the same markers.</summary>
    public string Target => $"{EditableStart}\n{Output}\n{EditableEnd}";

    /// <summary>The text a near-duplicate check compares: the editable region and the target.</summary>
    public string Fingerprint => EditableBeforeCursor + EditableAfterCursor + "\u0000" + Output;
}

/// <summary>Why a unit gave no example.</summary>
public enum NextEditSkip
{
    None,
    NoChange,
    TooLarge,
}

/// <summary>
/// One document's text while its edit units are replayed: cuts each unit's example from the text before it,
/// then applies it. Positions are code points; lines are split at U+000A.
/// </summary>
public sealed class NextEditDocument
{
    private readonly NextEditOptions _options;
    private readonly string _path;
    private readonly TextBuffer _text;
    private readonly LineTracker _lines;
    private readonly Queue<(string Diff, int FirstRevision)> _history = new();

    public NextEditDocument(string path, string startContent, int capacity, NextEditOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        _path = path;
        _options = options;
        _text = new TextBuffer(startContent, capacity);
        _lines = new LineTracker(_text);
    }

    public int Length => _text.Length;

    public string Text => _text.ToString();

    /// <summary>Applies a gap (withheld edits) or any unit that is not a target; gaps also clear the history.</summary>
    public void Skip(EditUnit unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ApplyAll(unit);
        if (unit.IsGap)
        {
            _history.Clear();
        }
    }

    /// <summary>Cuts the example of <paramref name="unit"/> and applies it; <paramref name="skip"/> says why there is none.</summary>
    public NextEditParts? Next(EditUnit unit, out NextEditSkip skip)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var lengthBefore = _text.Length;
        var (lo, suffix) = Span(unit, lengthBefore);
        var hiBefore = lengthBefore - suffix;
        lo = Math.Min(lo, hiBefore);

        // The editable region: whole lines around the change, with context lines inside it.
        var editStart = LineStart(Math.Min(lo, hiBefore));
        for (var i = 0; i < _options.EditableContextLines && editStart > 0; i++)
        {
            editStart = LineStart(editStart - 1);
        }

        var editEnd = LineEnd(Math.Max(lo, hiBefore));
        for (var i = 0; i < _options.EditableContextLines && editEnd < lengthBefore; i++)
        {
            editEnd = LineEnd(editEnd + 1);
        }

        if (editEnd - editStart > _options.MaxEditableChars)
        {
            editStart = Math.Max(editStart, Math.Min(lo, hiBefore) - ((_options.MaxEditableChars - (hiBefore - lo)) / 2));
            editEnd = Math.Min(editEnd, editStart + _options.MaxEditableChars);
        }

        var first = unit.Patches.First();
        var cursor = Math.Clamp(first.InsertLength == 0 ? first.Position + first.Delete : first.Position, editStart, editEnd);
        var delta = unit.Patches.Sum(p => p.InsertLength - p.Delete);
        var fits = hiBefore - lo <= _options.MaxEditableChars && editStart <= lo && hiBefore <= editEnd && editEnd - editStart + delta <= _options.MaxEditableChars;

        // The context window: as many whole lines on each side as --max-chars leaves room for.
        var budget = Math.Max(0, _options.MaxChars - (editEnd - editStart));
        var contextStart = Math.Max(0, editStart - (budget / 2));
        var contextEnd = Math.Min(lengthBefore, editEnd + (budget - (editStart - contextStart)));
        contextStart = Math.Max(0, editStart - (budget - (contextEnd - editEnd)));
        if (contextStart > 0)
        {
            var snapped = LineEndForward(contextStart);
            contextStart = snapped < editStart ? snapped + 1 : editStart;
        }

        if (contextEnd < lengthBefore)
        {
            var snapped = LineStartBackward(contextEnd);
            contextEnd = snapped > editEnd ? snapped : editEnd;
        }

        if (!fits)
        {
            ApplyAll(unit);
            _history.Clear();
            skip = NextEditSkip.TooLarge;
            return null;
        }

        var firstLine = _lines.LineAt(editStart) + 1;
        var prefix = _text.Substring(contextStart, editStart - contextStart);
        var beforeCursor = _text.Substring(editStart, cursor - editStart);
        var afterCursor = _text.Substring(cursor, editEnd - cursor);
        var suffixText = _text.Substring(editEnd, contextEnd - editEnd);
        var history = _history.Select(h => h.Diff).ToList();
        int? historyFrom = _history.Count == 0 ? null : _history.Peek().FirstRevision;
        var editableBefore = beforeCursor + afterCursor;
        ApplyAll(unit);
        var output = _text.Substring(editStart, editEnd - editStart + (_text.Length - lengthBefore));
        var diff = UnifiedDiff.Hunk(editableBefore, output, firstLine);
        if (diff.Length == 0)
        {
            skip = NextEditSkip.NoChange;
            return null;
        }

        Remember(diff, unit.FirstRevision);
        skip = NextEditSkip.None;
        return new NextEditParts(_path, history, contextStart == 0, prefix, beforeCursor, afterCursor, suffixText, output) { HistoryFrom = historyFrom, Change = ChangeOf(editableBefore, output) };
    }

    /// <summary>The differing middle of two texts, as <c>-REMOVED␀+ADDED</c>.</summary>
    internal static string ChangeOf(string before, string after)
    {
        var prefix = 0;
        while (prefix < before.Length && prefix < after.Length && before[prefix] == after[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < before.Length - prefix && suffix < after.Length - prefix && before[^(suffix + 1)] == after[^(suffix + 1)])
        {
            suffix++;
        }

        return "-" + before[prefix..^suffix] + "\u0000+" + after[prefix..^suffix];
    }

    private void ApplyAll(EditUnit unit)
    {
        foreach (var patch in unit.Patches)
        {
            _lines.BeforePatch(patch);
            _text.Apply(patch);
        }
    }

    private void Remember(string diff, int firstRevision)
    {
        if (_options.History == 0)
        {
            return;
        }

        _history.Enqueue((diff, firstRevision));
        while (_history.Count > _options.History)
        {
            _history.Dequeue();
        }
    }

    /// <summary>The changed span of a unit, from patch positions alone: the first changed position and the unchanged suffix length.</summary>
    internal static (int Lo, int Suffix) Span(EditUnit unit, int lengthBefore)
    {
        var lo = int.MaxValue;
        var suffix = int.MaxValue;
        var length = lengthBefore;
        foreach (var patch in unit.Patches)
        {
            lo = Math.Min(lo, patch.Position);
            length += patch.InsertLength - patch.Delete;
            suffix = Math.Min(suffix, length - (patch.Position + patch.InsertLength));
        }

        return (lo == int.MaxValue ? 0 : lo, suffix == int.MaxValue ? 0 : Math.Min(suffix, lengthBefore - Math.Min(lo, lengthBefore)));
    }

    /// <summary>The start of the line holding <paramref name="position"/>.</summary>
    private int LineStart(int position)
    {
        var p = Math.Min(position, _text.Length);
        while (p > 0 && _text.CodePointAt(p - 1) != '\n')
        {
            p--;
        }

        return p;
    }

    /// <summary>The end (the line break's position, or the text's end) of the line holding <paramref name="position"/>.</summary>
    private int LineEnd(int position)
    {
        var p = Math.Min(position, _text.Length);
        while (p < _text.Length && _text.CodePointAt(p) != '\n')
        {
            p++;
        }

        return p;
    }

    private int LineEndForward(int position) => LineEnd(position);

    private int LineStartBackward(int position) => position == 0 ? 0 : LineStart(position) - 1 < 0 ? 0 : LineStart(position) - 1;
}
