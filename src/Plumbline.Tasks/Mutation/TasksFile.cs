using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plumbline.Core;
using Plumbline.Core.Supervision.Tasks;
using Plumbline.Tasks.Files;

namespace Plumbline.Tasks.Mutation;

/// <summary>
/// The tasks file: JSONL, one task a line:
/// <c>{"id", "language", "file", "kind", "lines": {"start", "end"}, "mutant_lines": {"start", "end"},
/// "original", "mutated", "description", "code", "engine"}</c>. <c>lines</c> are the replaced lines of the original
/// file, <c>mutant_lines</c> where the defect is in <c>code</c> (the whole mutant file).
/// </summary>
public static class TasksFile
{
    /// <summary>Writes <paramref name="tasks"/> to <paramref name="path"/> at once (a temporary file moved into place).</summary>
    public static async Task WriteAsync(string path, IEnumerable<BugTask> tasks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var builder = new StringBuilder();
        foreach (var task in tasks)
        {
            builder.Append(ToJson(task).ToJsonString()).Append('\n');
        }

        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp-" + Environment.ProcessId;
        await File.WriteAllTextAsync(temporary, builder.ToString(), new UTF8Encoding(false), cancellationToken);
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>One task as a JSON object.</summary>
    public static JsonObject ToJson(BugTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new JsonObject
        {
            ["id"] = task.Id,
            ["language"] = task.Language,
            ["file"] = task.File,
            ["kind"] = task.Kind.Name(),
            ["lines"] = Span(task.Lines),
            ["mutant_lines"] = Span(task.MutantLines),
            ["original"] = task.Original,
            ["mutated"] = task.Mutated,
            ["description"] = task.Description,
            ["code"] = task.Code,
            ["engine"] = task.Engine,
        };
    }

    /// <summary>Reads a tasks file.</summary>
    /// <exception cref="PlumblineException">NotFound for a missing file; BadInput naming the file, line and field.</exception>
    public static IReadOnlyList<BugTask> Read(string path)
    {
        var tasks = new List<BugTask>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (json, _, where) in JsonLines.Read(path, "tasks file"))
        {
            var kindName = Text(json, "kind", where);
            if (!BugKinds.TryParse(kindName, out var kind))
            {
                throw PlumblineException.BadInput($"{where}: \"kind\" must be one of {string.Join(", ", BugKinds.All.Select(k => k.Name()))} (was '{kindName}')");
            }

            var task = new BugTask(
                Text(json, "id", where),
                json["language"] is JsonValue language ? language.GetValue<string>() : "csharp",
                Text(json, "file", where),
                kind,
                ReadSpan(json, "lines", where),
                ReadSpan(json, "mutant_lines", where),
                Text(json, "original", where, allowEmpty: true),
                Text(json, "mutated", where, allowEmpty: true),
                json["description"] is JsonValue d ? d.GetValue<string>() : string.Empty,
                Text(json, "code", where),
                json["engine"] is JsonValue engine ? engine.GetValue<string>() : "roslyn");
            var lines = task.MutantLineCount;
            if (task.MutantLines.Start < 1 || task.MutantLines.End > lines || task.MutantLines.Count < 1)
            {
                throw PlumblineException.BadInput($"{where}: \"mutant_lines\" {task.MutantLines} is outside the {lines} lines of \"code\"");
            }

            if (!ids.Add(task.Id))
            {
                throw PlumblineException.BadInput($"{where}: duplicate id '{task.Id}'");
            }

            tasks.Add(task);
        }

        if (tasks.Count == 0)
        {
            throw PlumblineException.BadInput($"{path}: no tasks");
        }

        return tasks;
    }

    private static JsonObject Span(LineSpan span) => new() { ["start"] = span.Start, ["end"] = span.End };

    private static string Text(JsonObject json, string field, string where, bool allowEmpty = false)
    {
        if (json[field] is JsonValue value && value.TryGetValue<string>(out var text) && (allowEmpty || text.Length > 0))
        {
            return text;
        }

        throw PlumblineException.BadInput($"{where}: needs \"{field}\" (a {(allowEmpty ? string.Empty : "non-empty ")}string)");
    }

    private static LineSpan ReadSpan(JsonObject json, string field, string where)
    {
        if (json[field] is JsonObject span && span["start"] is JsonValue s && s.TryGetValue<int>(out var start) && span["end"] is JsonValue e && e.TryGetValue<int>(out var end) && end >= start - 1)
        {
            return new LineSpan(start, end);
        }

        throw PlumblineException.BadInput($"{where}: needs \"{field}\": {{\"start\": N, \"end\": N}} with end ≥ start − 1");
    }
}
