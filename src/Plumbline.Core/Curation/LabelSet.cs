using System.Globalization;

namespace Plumbline.Core.Curation;

/// <summary>
/// Classification labels coded as integers and grouped by task: the form every agreement and aggregation
/// algorithm reads. Classes are ordered numerically when every label is a number (so ordinal, interval and
/// ratio levels mean something), otherwise by ordinal string comparison.
/// </summary>
public sealed class LabelSet
{
    private LabelSet(string[] tasks, string[] workers, string[] classes, double[]? classValues, int[] task, int[] worker, int[] label, string?[]? groups)
    {
        Tasks = tasks;
        Workers = workers;
        Classes = classes;
        ClassValues = classValues;
        TaskOf = task;
        WorkerOf = worker;
        ClassOf = label;
        TaskGroups = groups;
        TaskStart = new int[tasks.Length + 1];
        foreach (var t in task)
        {
            TaskStart[t + 1]++;
        }

        for (var t = 0; t < tasks.Length; t++)
        {
            TaskStart[t + 1] += TaskStart[t];
        }

        LabelsPerWorker = new int[workers.Length];
        foreach (var w in worker)
        {
            LabelsPerWorker[w]++;
        }
    }

    public IReadOnlyList<string> Tasks { get; }

    public IReadOnlyList<string> Workers { get; }

    public IReadOnlyList<string> Classes { get; }

    /// <summary>The numeric value of each class when every label is a number; otherwise null.</summary>
    public IReadOnlyList<double>? ClassValues { get; }

    /// <summary>The group of each task (e.g. <c>safety</c>) when the input had a group column; otherwise null.</summary>
    public IReadOnlyList<string?>? TaskGroups { get; }

    public int Count => ClassOf.Length;

    public int ClassCount => Classes.Count;

    internal int[] TaskOf { get; }

    internal int[] WorkerOf { get; }

    internal int[] ClassOf { get; }

    /// <summary>Labels of task t are at [TaskStart[t], TaskStart[t+1]).</summary>
    internal int[] TaskStart { get; }

    internal int[] LabelsPerWorker { get; }

    /// <summary>Codes the rows; a worker labelling the same task twice is bad input (the message names both lines).</summary>
    public static LabelSet Create(IReadOnlyList<LabelRow> rows, string source = "input")
    {
        ArgumentNullException.ThrowIfNull(rows);
        var seen = new Dictionary<(string, string), int>();
        foreach (var row in rows)
        {
            if (!seen.TryAdd((row.Task, row.Worker), row.Line))
            {
                throw PlumblineException.BadInput(
                    $"{source}:{row.Line}: worker '{row.Worker}' labelled task '{row.Task}' twice (first on line {seen[(row.Task, row.Worker)]})");
            }
        }

        var tasks = rows.Select(r => r.Task).Distinct().Order(StringComparer.Ordinal).ToArray();
        var workers = rows.Select(r => r.Worker).Distinct().Order(StringComparer.Ordinal).ToArray();
        var (classes, values) = OrderClasses(rows.Select(r => r.Label).Distinct());
        var taskIndex = Index(tasks);
        var workerIndex = Index(workers);
        var classIndex = Index(classes);
        var ordered = rows.OrderBy(r => taskIndex[r.Task]).ThenBy(r => workerIndex[r.Worker]).ToArray();
        string?[]? groups = null;
        if (rows.Any(r => r.Group is not null))
        {
            groups = new string?[tasks.Length];
            foreach (var row in rows)
            {
                var t = taskIndex[row.Task];
                if (groups[t] is { } existing && row.Group is { } group && existing != group)
                {
                    throw PlumblineException.BadInput($"{source}:{row.Line}: task '{row.Task}' is in group '{group}' here but '{existing}' on an earlier line");
                }

                groups[t] ??= row.Group;
            }
        }

        return new LabelSet(
            tasks,
            workers,
            classes,
            values,
            ordered.Select(r => taskIndex[r.Task]).ToArray(),
            ordered.Select(r => workerIndex[r.Worker]).ToArray(),
            ordered.Select(r => classIndex[r.Label]).ToArray(),
            groups);
    }

    /// <summary>Builds a set from codes directly (simulations, benchmarks): names are t0…, w0…, and the class numbers.</summary>
    public static LabelSet FromCodes(int tasks, int workers, int classes, int[] task, int[] worker, int[] label, string?[]? groups = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(label);
        if (task.Length != worker.Length || task.Length != label.Length)
        {
            throw new ArgumentException("task, worker and label arrays must have the same length");
        }

        var order = Enumerable.Range(0, task.Length).ToArray();
        var keys = new long[task.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = ((long)task[i] * workers) + worker[i];
        }

        Array.Sort(keys, order);
        return new LabelSet(
            Names("t", tasks),
            Names("w", workers),
            Enumerable.Range(0, classes).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray(),
            Enumerable.Range(0, classes).Select(c => (double)c).ToArray(),
            order.Select(i => task[i]).ToArray(),
            order.Select(i => worker[i]).ToArray(),
            order.Select(i => label[i]).ToArray(),
            groups);
    }

    /// <summary>A set of the labels for which <paramref name="keep"/> is true (same tasks, workers and classes).</summary>
    public LabelSet Where(Func<int, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var idx = Enumerable.Range(0, Count).Where(keep).ToArray();
        return new LabelSet(
            [.. Tasks],
            [.. Workers],
            [.. Classes],
            ClassValues is null ? null : [.. ClassValues],
            idx.Select(i => TaskOf[i]).ToArray(),
            idx.Select(i => WorkerOf[i]).ToArray(),
            idx.Select(i => ClassOf[i]).ToArray(),
            TaskGroups is null ? null : [.. TaskGroups]);
    }

    /// <summary>The (worker, class) codes of a task's labels, in worker order.</summary>
    public IEnumerable<(int Worker, int Class)> LabelsOfTask(int task)
    {
        for (var i = TaskStart[task]; i < TaskStart[task + 1]; i++)
        {
            yield return (WorkerOf[i], ClassOf[i]);
        }
    }

    /// <summary>How many labels the worker gave.</summary>
    public int LabelsOf(int worker) => LabelsPerWorker[worker];

    public int TaskIndex(string task)
    {
        for (var i = 0; i < Tasks.Count; i++)
        {
            if (Tasks[i] == task)
            {
                return i;
            }
        }

        return -1;
    }

    public int ClassIndex(string label)
    {
        for (var i = 0; i < Classes.Count; i++)
        {
            if (Classes[i] == label)
            {
                return i;
            }
        }

        return -1;
    }

    private static string[] Names(string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => prefix + i.ToString(CultureInfo.InvariantCulture)).ToArray();

    private static Dictionary<string, int> Index(string[] names)
    {
        var index = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            index[names[i]] = i;
        }

        return index;
    }

    private static (string[] Classes, double[]? Values) OrderClasses(IEnumerable<string> labels)
    {
        var distinct = labels.ToArray();
        var numbers = new double[distinct.Length];
        var numeric = distinct.Length > 0;
        for (var i = 0; i < distinct.Length && numeric; i++)
        {
            numeric = double.TryParse(distinct[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) && double.IsFinite(numbers[i]);
        }

        if (!numeric)
        {
            return (distinct.Order(StringComparer.Ordinal).ToArray(), null);
        }

        var order = Enumerable.Range(0, distinct.Length).OrderBy(i => numbers[i]).ThenBy(i => distinct[i], StringComparer.Ordinal).ToArray();
        return (order.Select(i => distinct[i]).ToArray(), order.Select(i => numbers[i]).ToArray());
    }
}
