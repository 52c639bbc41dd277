using Plumbline.Core.Analysis.Statistics;

namespace Plumbline.Core.Supervision.Diff;

/// <summary>Which side each point is on and which prompt stratum it belongs to; tests of a group's share between sides.</summary>
internal sealed class Partition
{
    public Partition(bool[] after, int[]? strata)
    {
        After = after;
        Strata = strata;
        BeforeTotal = after.Count(a => !a);
        AfterTotal = after.Length - BeforeTotal;
    }

    public bool[] After { get; }

    /// <summary>Prompt stratum of each point, or null for an unstratified test.</summary>
    public int[]? Strata { get; }

    public int BeforeTotal { get; }

    public int AfterTotal { get; }

    public string TestName => Strata is null ? "fisher_exact" : "cochran_mantel_haenszel_by_prompt";

    public SideCounts Count(IEnumerable<int> members)
    {
        int b = 0, a = 0;
        foreach (var i in members)
        {
            if (After[i])
            {
                a++;
            }
            else
            {
                b++;
            }
        }

        return new SideCounts(b, a);
    }

    public SideShares Shares(SideCounts counts) => new((double)counts.Before / BeforeTotal, (double)counts.After / AfterTotal);

    /// <summary>p-value of "the share of <paramref name="inGroup"/> among <paramref name="universe"/> differs between before and after".</summary>
    public double Test(IReadOnlyList<int> universe, Func<int, bool> inGroup)
    {
        if (Strata is null)
        {
            int bi = 0, bo = 0, ai = 0, ao = 0;
            foreach (var i in universe)
            {
                var g = inGroup(i);
                if (After[i])
                {
                    if (g)
                    {
                        ai++;
                    }
                    else
                    {
                        ao++;
                    }
                }
                else if (g)
                {
                    bi++;
                }
                else
                {
                    bo++;
                }
            }

            return ShareTests.FisherExact(new TwoByTwo(bi, bo, ai, ao));
        }

        var tables = new Dictionary<int, int[]>();
        foreach (var i in universe)
        {
            if (!tables.TryGetValue(Strata[i], out var t))
            {
                t = new int[4];
                tables[Strata[i]] = t;
            }

            t[(After[i] ? 2 : 0) + (inGroup(i) ? 0 : 1)]++;
        }

        return ShareTests.CochranMantelHaenszel(tables.OrderBy(kv => kv.Key).Select(kv => new TwoByTwo(kv.Value[0], kv.Value[1], kv.Value[2], kv.Value[3])));
    }
}
