namespace Plumbline.Core.Supervision.Tasks;

/// <summary>A model's answer to one bug task: where (a line range of the mutant) and what kind, or no answer.</summary>
/// <param name="Span">The lines the model points at, or null when it gave none (abstained or unparseable).</param>
/// <param name="Kind">The kind it names, or null.</param>
/// <param name="Parsed">False when the reply could not be read at all.</param>
public sealed record BugAnswer(LineSpan? Span, BugKind? Kind, bool Parsed = true)
{
    /// <summary>No usable answer.</summary>
    public static BugAnswer Unparseable { get; } = new(null, null, false);
}

/// <summary>How one task was scored.</summary>
public sealed record BugTaskScore(string TaskId, BugKind Kind, LineSpan Truth, BugAnswer Answer, bool Answered, bool LocationHit, bool KindHit, bool Correct, double GuessLocationProbability);

/// <summary>What a uniformly random guesser would score: exact expectation, central 95% range and the chance of doing at least as well as the model.</summary>
/// <param name="Expected">Expected rate.</param>
/// <param name="Low">2.5% quantile of the guesser's rate.</param>
/// <param name="High">97.5% quantile of the guesser's rate.</param>
/// <param name="PValue">P(guesser's count ≥ the model's count): the one-sided exact p-value.</param>
public sealed record GuessBaseline(double Expected, double Low, double High, double PValue);

/// <summary>The scores of one model on a tasks file.</summary>
public sealed record BugScoreSummary(
    int Tasks,
    int Answered,
    int Unparseable,
    Proportion Precision,
    Proportion Recall,
    Proportion LocationAccuracy,
    Proportion KindAccuracy,
    GuessBaseline BaselineCorrect,
    GuessBaseline BaselineLocation,
    IReadOnlyDictionary<BugKind, Proportion> RecallByKind,
    IReadOnlyList<BugTaskScore> PerTask);

/// <summary>
/// Scores answers to bug tasks. An answer <em>locates</em> the defect when its line range overlaps the
/// task's <see cref="BugTask.MutantLines"/> and is at most <c>maxSpan</c> lines long (pointing at the
/// whole file locates nothing); it is <em>correct</em> when it locates the defect and names the right
/// kind. Precision = correct / answered, recall = correct / tasks, location accuracy = located / tasks,
/// kind accuracy = right kind / tasks; each with a 95% Wilson interval. The random-guess baseline answers
/// every task with one uniformly random line of the mutant and a uniformly random kind, so it locates task
/// i with probability p_i = (truth lines inside the file) / (lines in the file) and is correct with
/// p_i / 5; its precision equals its recall. Its distribution over the tasks is the exact Poisson
/// binomial of these p_i.
/// </summary>
public static class BugScoring
{
    /// <summary>The default longest answer, in lines, that can still locate a defect.</summary>
    public const int DefaultMaxSpan = 5;

    /// <summary>Scores <paramref name="answers"/>[i] against <paramref name="tasks"/>[i].</summary>
    public static BugScoreSummary Score(IReadOnlyList<BugTask> tasks, IReadOnlyList<BugAnswer> answers, int maxSpan = DefaultMaxSpan)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSpan, 1);
        if (tasks.Count != answers.Count)
        {
            throw new ArgumentException($"{answers.Count} answers for {tasks.Count} tasks", nameof(answers));
        }

        var perTask = new List<BugTaskScore>(tasks.Count);
        for (var i = 0; i < tasks.Count; i++)
        {
            var task = tasks[i];
            var answer = answers[i];
            var answered = answer.Span is not null;
            var located = answer.Span is { } span && span.Count <= maxSpan && span.Overlaps(task.MutantLines);
            var kindHit = answer.Kind == task.Kind;
            perTask.Add(new BugTaskScore(task.Id, task.Kind, task.MutantLines, answer, answered, located, kindHit, located && kindHit, GuessLocationProbability(task)));
        }

        var n = perTask.Count;
        var answeredCount = perTask.Count(s => s.Answered);
        var correct = perTask.Count(s => s.Correct);
        var locatedCount = perTask.Count(s => s.LocationHit);
        var kinds = BugKinds.All.Count;
        var byKind = BugKinds.All
            .Where(k => perTask.Any(s => s.Kind == k))
            .ToDictionary(k => k, k => Proportion.Of(perTask.Count(s => s.Kind == k && s.Correct), perTask.Count(s => s.Kind == k)));
        return new BugScoreSummary(
            n,
            answeredCount,
            answers.Count(a => !a.Parsed),
            Proportion.Of(correct, answeredCount),
            Proportion.Of(correct, n),
            Proportion.Of(locatedCount, n),
            Proportion.Of(perTask.Count(s => s.KindHit), n),
            Baseline(perTask.Select(s => s.GuessLocationProbability / kinds).ToList(), correct),
            Baseline(perTask.Select(s => s.GuessLocationProbability).ToList(), locatedCount),
            byKind,
            perTask);
    }

    /// <summary>The chance that one uniformly random line of the mutant falls in the task's defect lines.</summary>
    public static double GuessLocationProbability(BugTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var lines = task.MutantLineCount;
        if (lines == 0)
        {
            return 0;
        }

        var inside = Math.Max(0, Math.Min(task.MutantLines.End, lines) - Math.Max(task.MutantLines.Start, 1) + 1);
        return (double)inside / lines;
    }

    /// <summary>The exact baseline for per-task success probabilities <paramref name="probabilities"/>, compared with <paramref name="observed"/> successes.</summary>
    public static GuessBaseline Baseline(IReadOnlyList<double> probabilities, int observed)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        if (probabilities.Count == 0)
        {
            return new GuessBaseline(0, 0, 0, 1);
        }

        var distribution = new PoissonBinomial(probabilities);
        double n = probabilities.Count;
        return new GuessBaseline(distribution.Mean / n, distribution.Quantile(0.025) / n, distribution.Quantile(0.975) / n, distribution.AtLeast(observed));
    }
}
