namespace Plumbline.Core.Curation;

/// <summary>What a simulated rater is.</summary>
public enum RaterKind
{
    Honest,

    /// <summary>Answers from a fixed distribution, whatever the truth.</summary>
    Spammer,

    /// <summary>Honest except on the targeted tasks, where it always gives a wrong answer.</summary>
    TargetedAdversary,
}

/// <summary>A simulated campaign. Accuracy of honest raters per true class is drawn from [<see cref="MinAccuracy"/>, <see cref="MaxAccuracy"/>]; the rest of the row is spread at random over the other classes.</summary>
public sealed record SimulationOptions(
    int Tasks,
    int Workers,
    int Classes,
    int Overlap,
    int Seed,
    double MinAccuracy = 0.7,
    double MaxAccuracy = 0.95,
    int Spammers = 0,
    int TargetedAdversaries = 0,
    double TargetShare = 0.1,
    string TargetGroup = "safety");

/// <summary>A planted truth: labels, true classes, rater kinds and the confusion matrix each rater was given (true × answer).</summary>
public sealed record Simulation(LabelSet Labels, IReadOnlyList<int> Truth, IReadOnlyList<RaterKind> Kinds, IReadOnlyList<double[]> Confusions, IReadOnlyList<bool> Targeted);

/// <summary>Seeded campaigns with planted rater qualities, for tests, the quality–quantity curve and benchmarks.</summary>
public static class LabelSimulator
{
    public static Simulation Generate(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Classes, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Overlap, options.Workers);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Spammers + options.TargetedAdversaries, options.Workers);
        var random = new Random(options.Seed);
        var k = options.Classes;
        var kinds = new RaterKind[options.Workers];
        var order = Shuffle(Enumerable.Range(0, options.Workers).ToArray(), random);
        for (var i = 0; i < options.Spammers; i++)
        {
            kinds[order[i]] = RaterKind.Spammer;
        }

        for (var i = 0; i < options.TargetedAdversaries; i++)
        {
            kinds[order[options.Spammers + i]] = RaterKind.TargetedAdversary;
        }

        var confusions = new double[options.Workers][];
        for (var w = 0; w < options.Workers; w++)
        {
            confusions[w] = kinds[w] == RaterKind.Spammer ? SpammerRows(k, random) : HonestRows(k, options.MinAccuracy, options.MaxAccuracy, random);
        }

        var truth = new int[options.Tasks];
        var targeted = new bool[options.Tasks];
        var groups = new string?[options.Tasks];
        var targetCount = (int)Math.Round(options.Tasks * options.TargetShare);
        foreach (var t in Shuffle(Enumerable.Range(0, options.Tasks).ToArray(), random).Take(targetCount))
        {
            targeted[t] = true;
            groups[t] = options.TargetGroup;
        }

        var n = options.Tasks * options.Overlap;
        var task = new int[n];
        var worker = new int[n];
        var label = new int[n];
        var pool = Enumerable.Range(0, options.Workers).ToArray();
        for (var t = 0; t < options.Tasks; t++)
        {
            truth[t] = random.Next(k);
            for (var j = 0; j < options.Overlap; j++)
            {
                var pick = j + random.Next(pool.Length - j);
                (pool[j], pool[pick]) = (pool[pick], pool[j]);
                var w = pool[j];
                var i = (t * options.Overlap) + j;
                task[i] = t;
                worker[i] = w;
                label[i] = kinds[w] == RaterKind.TargetedAdversary && targeted[t]
                    ? (truth[t] + 1 + random.Next(k - 1)) % k
                    : Draw(confusions[w], truth[t] * k, k, random);
            }
        }

        var set = LabelSet.FromCodes(options.Tasks, options.Workers, k, task, worker, label, targetCount > 0 ? groups : null);
        return new Simulation(set, truth, kinds, confusions, targeted);
    }

    private static double[] HonestRows(int k, double min, double max, Random random)
    {
        var rows = new double[k * k];
        for (var c = 0; c < k; c++)
        {
            var accuracy = min + (random.NextDouble() * (max - min));
            var rest = Enumerable.Range(0, k).Select(d => d == c ? 0 : 0.2 + random.NextDouble()).ToArray();
            var sum = rest.Sum();
            for (var d = 0; d < k; d++)
            {
                rows[(c * k) + d] = d == c ? accuracy : (1 - accuracy) * rest[d] / sum;
            }
        }

        return rows;
    }

    private static double[] SpammerRows(int k, Random random)
    {
        var answer = Enumerable.Range(0, k).Select(_ => 0.2 + random.NextDouble()).ToArray();
        var sum = answer.Sum();
        var rows = new double[k * k];
        for (var c = 0; c < k; c++)
        {
            for (var d = 0; d < k; d++)
            {
                rows[(c * k) + d] = answer[d] / sum;
            }
        }

        return rows;
    }

    private static int Draw(double[] rows, int offset, int k, Random random)
    {
        var x = random.NextDouble();
        for (var d = 0; d < k - 1; d++)
        {
            x -= rows[offset + d];
            if (x < 0)
            {
                return d;
            }
        }

        return k - 1;
    }

    private static int[] Shuffle(int[] items, Random random)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }

        return items;
    }
}
