using System.Text;

namespace Plumbline.Core.Curation;

/// <summary>
/// Reads label files in crowd-kit's CSV conventions (RFC 4180: a header row, commas, double-quoted fields
/// with doubled quotes inside, CRLF or LF). Columns are found by name, so extra columns are allowed. A bad
/// row stops the read with exit code 2 and a message naming the file, the line and the column.
/// </summary>
public static class LabelCsv
{
    /// <summary>Classification: <c>task,worker,label</c>; optional <c>guideline</c> (version) and <c>group</c> columns.</summary>
    public static IReadOnlyList<LabelRow> ReadLabels(TextReader reader, string source)
    {
        var rows = new List<LabelRow>();
        var table = Open(reader, source, ["task", "worker", "label"], ["guideline", "group"]);
        while (table.Next() is { } record)
        {
            rows.Add(new LabelRow(
                table.Required(record, "task"),
                table.Required(record, "worker"),
                table.Required(record, "label"),
                table.Optional(record, "guideline"),
                table.Optional(record, "group"),
                table.Line));
        }

        return rows;
    }

    /// <summary>Pairwise: <c>worker,task,left,right,label</c> where label equals left or right; optional <c>guideline</c>.</summary>
    public static IReadOnlyList<PairwiseRow> ReadPairwise(TextReader reader, string source)
    {
        var rows = new List<PairwiseRow>();
        var table = Open(reader, source, ["worker", "task", "left", "right", "label"], ["guideline"]);
        while (table.Next() is { } record)
        {
            var left = table.Required(record, "left");
            var right = table.Required(record, "right");
            var label = table.Required(record, "label");
            if (label != left && label != right)
            {
                throw PlumblineException.BadInput($"{source}:{table.Line}: column 'label': '{label}' is neither the left item ('{left}') nor the right one ('{right}')");
            }

            if (left == right)
            {
                throw PlumblineException.BadInput($"{source}:{table.Line}: column 'right': an item ('{left}') is compared with itself");
            }

            rows.Add(new PairwiseRow(table.Required(record, "worker"), table.Required(record, "task"), left, right, label, table.Optional(record, "guideline"), table.Line));
        }

        return rows;
    }

    /// <summary>Known answers: <c>task,label</c> (crowd-kit's gold series); one answer per task.</summary>
    public static IReadOnlyList<GoldRow> ReadGold(TextReader reader, string source)
    {
        var rows = new List<GoldRow>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var table = Open(reader, source, ["task", "label"], []);
        while (table.Next() is { } record)
        {
            var task = table.Required(record, "task");
            if (!seen.TryAdd(task, table.Line))
            {
                throw PlumblineException.BadInput($"{source}:{table.Line}: column 'task': task '{task}' has a second answer (first on line {seen[task]})");
            }

            rows.Add(new GoldRow(task, table.Required(record, "label"), table.Line));
        }

        return rows;
    }

    private static Table Open(TextReader reader, string source, string[] required, string[] optional)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var table = new Table(reader, source);
        var header = table.Next() ?? throw PlumblineException.BadInput($"{source}:1: empty file; expected a header with columns {string.Join(',', required)}");
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim().TrimStart('\uFEFF').ToLowerInvariant();
            if (name.Length > 0 && (required.Contains(name) || optional.Contains(name)) && !table.Columns.TryAdd(name, i))
            {
                throw PlumblineException.BadInput($"{source}:1: column '{name}' appears twice in the header");
            }
        }

        var missing = required.Where(r => !table.Columns.ContainsKey(r)).ToArray();
        if (missing.Length > 0)
        {
            throw PlumblineException.BadInput(
                $"{source}:1: the header lacks column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))}; expected {string.Join(',', required)}");
        }

        table.Width = header.Count;
        return table;
    }

    private sealed class Table(TextReader reader, string source)
    {
        private int _nextLine = 1;

        public Dictionary<string, int> Columns { get; } = new(StringComparer.Ordinal);

        public int Width { get; set; }

        /// <summary>The line the current record starts on.</summary>
        public int Line { get; private set; }

        public string Required(List<string> record, string column)
        {
            var value = record[Columns[column]].Trim();
            return value.Length == 0
                ? throw PlumblineException.BadInput($"{source}:{Line}: column '{column}' is empty")
                : value;
        }

        public string? Optional(List<string> record, string column) =>
            Columns.TryGetValue(column, out var i) && record[i].Trim() is { Length: > 0 } value ? value : null;

        /// <summary>The next record, skipping blank lines; null at the end.</summary>
        public List<string>? Next()
        {
            while (true)
            {
                Line = _nextLine;
                var record = ReadRecord();
                if (record is null)
                {
                    return null;
                }

                if (record.Count == 1 && record[0].Length == 0)
                {
                    continue;
                }

                if (Width > 0 && record.Count != Width)
                {
                    throw PlumblineException.BadInput($"{source}:{Line}: expected {Width} columns as in the header, found {record.Count}");
                }

                return record;
            }
        }

        private List<string>? ReadRecord()
        {
            if (reader.Peek() < 0)
            {
                return null;
            }

            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            var fieldStart = true;
            while (true)
            {
                var c = reader.Read();
                if (quoted)
                {
                    if (c < 0)
                    {
                        throw PlumblineException.BadInput($"{source}:{Line}: a quoted field is not closed before the end of the file");
                    }

                    if (c == '"')
                    {
                        if (reader.Peek() == '"')
                        {
                            reader.Read();
                            field.Append('"');
                        }
                        else
                        {
                            quoted = false;
                        }
                    }
                    else
                    {
                        if (c == '\n')
                        {
                            _nextLine++;
                        }

                        field.Append((char)c);
                    }

                    continue;
                }

                switch (c)
                {
                    case < 0:
                        fields.Add(field.ToString());
                        return fields;
                    case '\n':
                        _nextLine++;
                        fields.Add(field.ToString());
                        return fields;
                    case '\r':
                        if (reader.Peek() == '\n')
                        {
                            reader.Read();
                        }

                        _nextLine++;
                        fields.Add(field.ToString());
                        return fields;
                    case ',':
                        fields.Add(field.ToString());
                        field.Clear();
                        fieldStart = true;
                        continue;
                    case '"' when fieldStart && field.Length == 0:
                        quoted = true;
                        fieldStart = false;
                        continue;
                    case '"':
                        throw PlumblineException.BadInput($"{source}:{Line}: column {fields.Count + 1}: a quote inside an unquoted field (quote the whole field and double the quote)");
                    default:
                        fieldStart = false;
                        field.Append((char)c);
                        continue;
                }
            }
        }
    }
}
